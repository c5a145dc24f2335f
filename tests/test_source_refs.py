"""An issue's source stored as references to its documents' lines (store.read.pack_by_reference,
migrations 022/023): the text read back is the file's, byte for byte, whatever the parser took
out of a line; a revision keeps its whole text; a database made before is packed in place; a
document changed outside gongbao is said, not read back wrong."""

from __future__ import annotations

import sqlite3
import sys
import zlib
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).parent))
from editor_fixtures import ISSUE, ingest  # noqa: E402
from test_store_layout import _database_before  # noqa: E402

from gongbao.errors import StoreError  # noqa: E402
from gongbao.store import open_store  # noqa: E402
from gongbao.store.read import pack_by_reference, pack_source, source_text  # noqa: E402

REFS = 22  # the migration that brought raw_refs (023 packs older rows)

LAW = "## 第一章  总则\n\n第一条 为了规范管理，制定本条例。\n\n第二条　本条例自2021年5月1日 起施行。\n容积400m<sup>3</sup>以上\n"
BODY = "第一章 总则\n第一条为了规范管理，制定本条例。\n本条例自2021年5月1日起施行。\n容积400m³以上"  # as a parser leaves it
SPANS = [[1, 1], [3, 3], [5, 5], [6, 6]]


def _read(text: str, bodies) -> str:
    raw_zlib, raw_refs = pack_by_reference(text, bodies)
    return source_text({"raw_text": "", "raw_zlib": raw_zlib, "raw_refs": raw_refs}, bodies)


def test_lines_the_parser_shortened_are_references_and_read_back_whole():
    raw_zlib, raw_refs = pack_by_reference(LAW, [(BODY, SPANS)])
    kept = zlib.decompress(raw_zlib).decode("utf-8").split("\n")
    # the heading, 第一条 and 第二条 are references (the characters taken out are kept); the
    # last line's ³ is no character of its source line: it stays as it is
    assert kept[0] == kept[2] == kept[4] == "" and kept[5] == "容积400m<sup>3</sup>以上"
    assert raw_refs is not None and _read(LAW, [(BODY, SPANS)]) == LAW


def test_a_source_no_line_of_which_a_document_has_is_stored_whole():
    raw_zlib, raw_refs = pack_by_reference(LAW, [("别的文字", [[1, 1]])])
    assert raw_refs is None and raw_zlib == pack_source(LAW)


_CHARS = st.sampled_from("第一条 　#*本例施行。\r\t")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.text(_CHARS, max_size=12), st.lists(st.booleans(), max_size=12)), min_size=1, max_size=6),
       st.booleans())
@example([("a  b", [True, False, True, True])], False)
def test_any_lines_with_characters_taken_out_read_back_as_they_were(lines, twice):
    """Each body line is its source line with some characters taken out (``keep`` says which);
    ``twice``: a second document names the same source lines (a line is referenced once)."""
    text = "\n".join(line for line, _ in lines)
    body = "\n".join("".join(c for c, k in zip(line, keep + [True] * len(line)) if k) for line, keep in lines)
    spans = [[n, n] for n in range(1, len(lines) + 1)]
    bodies = [(body, spans)] * (2 if twice else 1)
    assert _read(text, bodies) == text


def test_an_ingested_issue_reads_back_the_file_and_its_revision_keeps_the_whole_text(tmp_path):
    db = ingest(tmp_path)
    changed = ISSUE.replace("一、落实河长责任。", "一、落实河长责任，鳜鱼养殖另行规定。")
    with open_store(db) as store:
        (issue,) = store.list_issues()
        row = store.conn.execute("SELECT raw_zlib, raw_refs FROM issues").fetchone()
        assert row["raw_refs"] is not None and len(zlib.decompress(row["raw_zlib"])) < len(ISSUE.encode()) / 2
        assert store.issue_source(issue.id) == ISSUE
    ingest(tmp_path, changed, db)
    with open_store(db) as store:
        assert store.issue_source(issue.id) == changed
        assert store.get_revision(issue.id, 1).raw_text == ISSUE
        revision = store.conn.execute("SELECT raw_zlib FROM issue_revisions").fetchone()
        assert zlib.decompress(revision["raw_zlib"]).decode("utf-8") == ISSUE  # whole: its documents are gone


def test_a_document_changed_outside_gongbao_is_said_not_read_back_wrong(tmp_path):
    db = ingest(tmp_path)
    conn = sqlite3.connect(db)
    conn.execute("UPDATE documents SET text = replace(text, '河长', '湖长')")
    conn.commit()
    conn.close()
    with open_store(db, readonly=True) as store:
        (issue,) = store.list_issues()
        with pytest.raises(StoreError, match="原文无法复原"):
            store.issue_source(issue.id)


def test_a_database_with_whole_sources_is_packed_in_place(tmp_path):
    (tmp_path / "made").mkdir()
    made = ingest(tmp_path / "made")
    old = tmp_path / "old.db"
    conn = _database_before(old, Path(made), REFS - 1)
    conn.execute("COMMIT")
    conn.close()
    with open_store(old) as store:
        (issue,) = store.list_issues()
        row = store.conn.execute("SELECT raw_zlib, raw_refs FROM issues").fetchone()
        assert row["raw_refs"] is not None and len(zlib.decompress(row["raw_zlib"])) < len(ISSUE.encode()) / 2
        assert store.issue_source(issue.id) == ISSUE
