"""The source texts stored whole by an older gongbao packed as migration 022 keeps them (the
lines its documents' body lines came from as references to them), one issue at a time so that
a large database is not read into memory at once.  Run by ``store.migrate`` on either engine.
"""

from __future__ import annotations

import json
import zlib

from gongbao.store.read import pack_by_reference, unpack_spans


def upgrade(execute) -> None:
    for (issue_id,) in execute("SELECT id FROM issues WHERE raw_refs IS NULL AND raw_zlib IS NOT NULL ORDER BY id"):
        (packed,) = execute("SELECT raw_zlib FROM issues WHERE id = ?", (issue_id,))[0]
        bodies = [(text or "", unpack_spans(json.loads(spans) if isinstance(spans, str) else spans or []))
                  for text, spans in execute("SELECT text, body_spans FROM documents WHERE issue_id = ?"
                                             " ORDER BY position", (issue_id,))]
        raw_zlib, raw_refs = pack_by_reference(zlib.decompress(packed).decode("utf-8"), bodies)
        if raw_refs is not None:
            execute("UPDATE issues SET raw_zlib = ?, raw_refs = ? WHERE id = ?", (raw_zlib, raw_refs, issue_id))
