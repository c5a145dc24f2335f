"""Editors at work on the database: correct a field, read a document's history.

The one library door for the CLI (``gongbao correct``) and the portal's correction form:
the field and value are checked by ``gongbao.corrections`` (one Chinese error, nothing
written), the store keeps and applies the correction, citation resolution runs again when
a relation was corrected.
"""

from __future__ import annotations

import getpass
import os

from gongbao.corrections import check_reason, field_ref, parse_value, render_value
from gongbao import labels
from gongbao.store import Store
from gongbao.store.records import CorrectionRecord


def default_editor() -> str:
    """Who corrects, when not said: $GONGBAO_EDITOR, else the login name."""
    try:
        return os.environ.get("GONGBAO_EDITOR") or getpass.getuser()
    except (KeyError, OSError):
        return "editor"


def correct(store: Store, doc: str, field: str, value: str, reason: str | None, editor: str | None = None
            ) -> CorrectionRecord:
    """Correct ``field`` of the document ``doc`` (id, 文号 or title) to ``value``, saying why."""
    ref = field_ref(field)
    parsed = parse_value(ref, value)
    why = check_reason(reason)
    record = store.add_correction(doc, ref, parsed, why, (editor or default_editor()).strip() or default_editor())
    if ref.base == "relation":
        from gongbao.links.resolve import resolve_citations

        with store.transaction():
            resolve_citations(store)
    return record


def correction_dict(c: CorrectionRecord) -> dict:
    """A correction as JSON: codes with their Chinese ``label`` beside them, values also as text."""
    ref = field_ref(c.field)
    return {
        "id": c.id, "doc_id": c.doc_id, "doc_number": c.doc_number, "title": c.doc_title,
        "field": c.field, "field_label": ref.label, "value": c.value, "value_text": render_value(c.field, c.value),
        "parser_value": c.parser_value, "parser_text": render_value(c.field, c.parser_value),
        "reason": c.reason, "editor": c.editor, "created_at": c.created_at,
        "state": c.state, "state_label": labels.label("correction_state", c.state), "state_at": c.state_at,
        "state_note": c.state_note,
    }
