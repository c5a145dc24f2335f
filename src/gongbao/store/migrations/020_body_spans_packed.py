"""Issue 13: a document's body line spans packed (``store.read.pack_spans``: a run of one-line
spans at a constant step stored as one ``[-count, step]``; 8.0 → 0.2 MB on lawref + samples),
one row at a time (packed rows stay as they are).  ``read.unpack_spans`` reads both forms, so readers see the same lists.  Run
by ``store.migrate`` on either engine.
"""

from __future__ import annotations

import json

from gongbao.store.read import pack_spans, unpack_spans


def upgrade(execute) -> None:
    for (pk,) in execute("SELECT pk FROM documents WHERE body_spans IS NOT NULL ORDER BY pk"):
        (stored,) = execute("SELECT body_spans FROM documents WHERE pk = ?", (pk,))[0]
        spans = json.loads(stored) if isinstance(stored, str) else stored
        execute("UPDATE documents SET body_spans = ? WHERE pk = ?", (json.dumps(pack_spans(unpack_spans(spans))), pk))
