"""The portal's derived tables (store/portalsql.py), brought up to date by the first process
that finds them stale; below ``deps`` so that every layer of the portal may call it."""

from __future__ import annotations

from gongbao.web import views


def refresh(db_path, st) -> None:
    """Bring the derived tables up to date (``st``: a reader on ``db_path``)."""
    from gongbao.store import open_store

    day = views.today()
    if st.portal_fresh(day):
        return
    with open_store(db_path) as writer:
        writer.refresh_portal(day, lambda s: views.all_statuses(s, day))
