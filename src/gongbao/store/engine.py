"""Which engine a database target names: a PostgreSQL URL opens a ``PgStore``, anything else
the SQLite file at that path.  The one place that knows both engines, so neither engine
module imports the other."""

from __future__ import annotations

import os

from gongbao.store.pgconn import is_url
from gongbao.store.sqlite import Store


def open_store(target: str | os.PathLike = "gongbao.db", create: bool = True, readonly: bool = False,
               tokenizer: str | None = None) -> Store:
    """Open (and, if ``create``, make or upgrade) the database ``target`` names: a
    ``postgresql://`` URL or a SQLite file (``Store.open``, which lists the errors)."""
    name = os.fspath(target)
    if is_url(name):
        from gongbao.store.postgres import PgStore  # psycopg is loaded only for a server database

        return PgStore.open(name, create=create, readonly=readonly, tokenizer=tokenizer)
    return Store.open(name, create=create, readonly=readonly, tokenizer=tokenizer)
