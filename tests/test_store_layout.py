"""The stored layout of issues 12/13: each text stored once, index tokens cut once and stored,
the full-text index kept by plain-SQL triggers (any SQLite client can write), a database of
the previous layout migrated in place, corrections re-indexed on both engines."""

from __future__ import annotations

import json
import sqlite3
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from editor_fixtures import ingest  # noqa: E402
from store_fixtures import grain_doc, hero_doc, make_issue  # noqa: E402

from gongbao.editing import correct  # noqa: E402
from gongbao.serialize import plain  # noqa: E402
from gongbao.search.query import search  # noqa: E402
from gongbao.search.tokenize import index_text  # noqa: E402
from gongbao.store import Store, open_store  # noqa: E402
from gongbao.store import fts  # noqa: E402
from gongbao.store.migrate import latest_version, migrations, run_python, statements  # noqa: E402
from gongbao.store.read import pack_source, pack_spans, source_text, unpack_spans  # noqa: E402
from gongbao.store.records import DocTokens  # noqa: E402
from gongbao.store.sqlite import APPLICATION_ID  # noqa: E402

RIVER = "汀府发〔2022〕7号"  # a document of editor_fixtures.ISSUE
TOKENS = 11  # the migration that brought the token columns and node spans
PACKED = 12  # … and the one that keeps an issue's source compressed (filled by 013)
RUNS = 16  # … and the one that made each node a run of its document's index tokens (node_fts gone)
SPANS = 20  # … and the one that packed the documents' body line spans


def _ids(store: Store, query: str) -> list[str]:
    return [hit.id for hit in search(store, query).hits]


def _integrity(conn: sqlite3.Connection) -> None:
    """FTS5 checks each index (heading_fts against its content view); doc_fts, contentless,
    must hold each present document's tokens as they are cut afresh, in order, and no others."""
    for table in ("doc_fts", "heading_fts"):
        conn.execute(f"INSERT INTO {table}({table}, rank) VALUES ('integrity-check', 1)")
    conn.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.held USING fts5vocab(main, doc_fts, 'instance')")
    held: dict[tuple[int, str], list[str]] = {}
    for r in conn.execute("SELECT doc, col, term FROM temp.held ORDER BY doc, col, offset"):
        held.setdefault((r["doc"], r["col"]), []).append(r["term"])
    indexed = fts.index_tokens(fts.get_scheme("words"))
    expected = {}
    for pk, t in _fresh_tokens(conn, "present = 1").items():
        for col, tokens in (("title", t.title), ("doc_number", t.doc_number), ("issuers", t.issuers), ("text", t.text)):
            if indexed(tokens):
                expected[(pk, col)] = indexed(tokens)
    assert held == expected


def _outline_texts(doc: dict) -> list[tuple[str, str]]:
    out, stack = [], list(reversed(doc["outline"]))
    while stack:
        node = stack.pop()
        out.append((node["anchor"], node["text"]))
        stack.extend(reversed(node["children"]))
    return out


def test_node_texts_are_spans_of_the_document_text_and_read_back_whole(tmp_path):
    issue = make_issue([grain_doc(), hero_doc()])
    with open_store(tmp_path / "g.db") as store:
        ids = store.ingest_issue(issue, raw="源文本").document_ids
        for model, doc_id in zip(issue.documents, ids):
            stored = _outline_texts(plain(store.get_document(doc_id)))
            expected, stack = [], list(reversed(model.outline))
            while stack:
                node = stack.pop()
                expected.append((node.anchor, node.text))
                stack.extend(reversed(node.children))
            assert stored == expected
        rows = store.conn.execute("SELECT text, text_start, text_end, tok_start, tok_end FROM outline_nodes").fetchall()
        spans = [r for r in rows if r["text_start"] is not None]
        # no token spans: SQLite keeps no body token string for them to point into
        assert spans and all(r["text"] == "" and r["tok_start"] is None and r["tok_end"] is None for r in spans)
        _integrity(store.conn)


def test_a_whole_document_reads_its_text_once(tmp_path):
    # the outline's spans are cut from the text the document's row brought, not a second read
    with open_store(tmp_path / "g.db") as store:
        doc_id = store.ingest_issue(make_issue([grain_doc()]), raw="源文本").document_ids[0]
        statements: list[str] = []
        store.conn.set_trace_callback(statements.append)
        doc = store.get_document(doc_id)
        store.conn.set_trace_callback(None)
    assert any(node.text for node in doc.outline)
    assert [s for s in statements if "text FROM documents" in s] == []


def test_document_tokens_cut_once_and_each_node_a_span_of_them():
    cut = fts._cutter(fts.get_scheme("words"))
    text = "第一条 为加强超标粮食处置管理，制定本办法。\n第二条 超标粮食应当定点收购。\n（一）专库存放；\n附则文字。"
    nodes = [("", "为加强超标粮食处置管理，制定本办法。"), ("", "超标粮食应当定点收购。\n附则文字。"), ("", "专库存放；")]
    tokens = fts.document_tokens(fts._cut_each(fts.get_scheme("words")), "标题", None, ["重庆市人民政府"], text, nodes)
    first, listed, item = tokens.nodes
    assert text[slice(*first.text_span)] == nodes[0][1]
    assert tokens.text[slice(*first.token_span)] == cut(nodes[0][1])
    assert listed.text_span is None and listed.text == nodes[1][1] and listed.tokens == cut(nodes[1][1])
    assert tokens.text[slice(*item.token_span)] == cut("专库存放；")
    assert set(tokens.text.split()) == set(cut(text).split())  # the body's words, cut once
    assert tokens.issuers == cut("重庆市人民政府")


@pytest.mark.parametrize("texts", [
    ["中华", "人民共和国", "", "成立"],  # joined without a mark, jieba would cut 中华人民共和国 as one word
    ["", "第一条\r", "\n第二条 ＡＢＣ１２", "ΑΣ", "Σ", "e\u0301", "\u0301x", ""],  # \r\n, full width, final sigma, accents
    ["单独", "含\ue001标记"],  # a text holding the mark itself: each cut alone
    ["一段"],
    [],
])
def test_texts_cut_together_are_cut_as_each_alone(texts):
    scheme = fts.get_scheme("words")
    cut = fts._cutter(scheme)
    assert fts._cut_each(scheme)(texts) == [cut(text) for text in texts]


def test_any_sqlite_client_writes_the_database_and_the_index_follows(tmp_path):
    path = tmp_path / "g.db"
    with open_store(path) as store:
        grain, hero = store.ingest_issue(make_issue([grain_doc(), hero_doc()]), raw="源文本").document_ids
    conn = sqlite3.connect(path)  # the plain client: no function of gongbao's registered
    conn.execute("PRAGMA foreign_keys = ON")
    title = "重庆市粮食储备条例"
    conn.execute("UPDATE documents SET title = ?, tok_title = ? WHERE id = ?", (title, index_text(title), grain))
    conn.execute("DELETE FROM documents WHERE id = ?", (hero,))  # its outline goes with it (cascade)
    conn.commit()
    conn.row_factory = sqlite3.Row
    _integrity(conn)
    conn.close()
    with open_store(path) as store:
        assert _ids(store, "储备条例") == [grain]
        assert _ids(store, "见义勇为") == []


def test_a_node_a_client_writes_by_hand_is_indexed_by_trigger(tmp_path):
    path = tmp_path / "g.db"
    with Store.open(path) as store:
        store.ingest_issue(make_issue([grain_doc(), hero_doc()]), raw="源文本")
        _integrity(store.conn)
        pk = store.conn.execute("SELECT pk FROM documents ORDER BY pk LIMIT 1").fetchone()["pk"]
    conn = sqlite3.connect(path)  # the plain client: its node (a text of its own) goes in through the trigger
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("INSERT INTO outline_nodes(doc_pk, position, depth, anchor, level, number, heading, text, tok_heading,"
                 " tokens)"
                 " VALUES (?, 99, 0, 'x-1', 'article', '九十九', '第九十九条', '鳜鱼养殖', ?, ?)",
                 (pk, index_text("第九十九条"), index_text("鳜鱼养殖")))
    conn.commit()
    conn.row_factory = sqlite3.Row
    _integrity(conn)
    conn.commit()
    with Store.open(path) as store:
        assert [n.text for n in store.fts_nodes('"鳜鱼"', 5)] == ["鳜鱼养殖"]
        assert store.fts_node_count('"鳜鱼" AND "养殖"') == 1 and store.fts_node_frequency("鳜鱼") == 1
    conn.execute("DELETE FROM documents WHERE pk = ?", (pk,))  # its nodes leave both indexes with it
    conn.commit()
    _integrity(conn)
    conn.close()
    with Store.open(path) as store:
        assert store.fts_node_count('"鳜鱼"') == 0


def _issuers(stored: str | list | None) -> list[str]:
    return json.loads(stored or "[]") if not isinstance(stored, list) else stored


def _fresh_tokens(conn: sqlite3.Connection, where: str = "1 = 1") -> dict[int, DocTokens]:
    """Each document's index tokens, cut afresh from its stored texts (SQLite stores no token
    string of the body)."""
    cut = fts._cut_each(fts.get_scheme("words"))
    out = {}
    for d in conn.execute(f"SELECT pk, title, doc_number, issuers, text FROM documents WHERE {where}").fetchall():
        nodes = conn.execute(f"SELECT n.heading, {fts.node_text()} AS text FROM outline_nodes n"
                             " JOIN documents d ON d.pk = n.doc_pk WHERE n.doc_pk = ? ORDER BY n.position",
                             (d["pk"],)).fetchall()
        out[d["pk"]] = fts.document_tokens(cut, d["title"], d["doc_number"], _issuers(d["issuers"]),
                                           d["text"] or "", [(n["heading"] or "", n["text"] or "") for n in nodes])
    return out


def _node_tokens(conn: sqlite3.Connection) -> dict[int, tuple[str, str]]:
    """Each outline node's (heading, text) index tokens, cut afresh."""
    fresh = _fresh_tokens(conn)
    out = {}
    for pk, tokens in fresh.items():
        ids = [r["id"] for r in conn.execute("SELECT id FROM outline_nodes WHERE doc_pk = ? ORDER BY position", (pk,))]
        out.update((i, fts.node_index_tokens(tokens, t)) for i, t in zip(ids, tokens.nodes))
    return out


def _node_index(conn) -> None:
    """The node index of layout 3 (each node's heading and text tokens, one row a node) in temp,
    to rank against."""
    conn.execute("CREATE TEMP TABLE ref_content(id INTEGER PRIMARY KEY, heading TEXT, text TEXT)")
    conn.executemany("INSERT INTO ref_content VALUES (?, ?, ?)", [(i, *t) for i, t in _node_tokens(conn).items()])
    conn.execute("CREATE VIRTUAL TABLE temp.ref USING fts5(heading, text, content='ref_content', content_rowid='id',"
                 " tokenize='unicode61 remove_diacritics 0')")
    conn.execute("INSERT INTO temp.ref(ref) VALUES ('rebuild')")
    conn.execute("CREATE VIRTUAL TABLE temp.ref_terms USING fts5vocab(temp, ref, 'row')")


RANKED = ['"河道"', '"管理" OR ("加强" AND "工作")', '("管理" AND "规定") OR ("加强" AND "工作") OR "河道"',
          '"人民政府"', '"人*"', '"粮食" OR "储备"', '"第一条"']


def test_clauses_are_found_and_ranked_from_the_body_index_as_a_node_index_ranks_them(tmp_path):
    made = ingest(tmp_path)
    with open_store(made) as store:
        conn = store.conn
        tables = {r["name"] for r in conn.execute("SELECT name FROM sqlite_master")}
        assert "doc_fts" in tables and "node_fts" not in tables  # the body is indexed once
        _node_index(conn)
        for expression in RANKED:
            expected = [r["rowid"] for r in conn.execute(
                "SELECT ref.rowid FROM temp.ref WHERE ref MATCH ? ORDER BY ref.rank, ref.rowid LIMIT 40", (expression,))]
            assert [n.id for n in store.fts_nodes(expression, 40)] == expected, expression
            count = conn.execute("SELECT count(*) AS n FROM temp.ref WHERE ref MATCH ?", (expression,)).fetchone()["n"]
            assert store.fts_node_count(expression) == count
        some = conn.execute("SELECT term, doc FROM temp.ref_terms ORDER BY cnt DESC LIMIT 30").fetchall()
        assert [store.fts_node_frequency(r["term"]) for r in some] == [r["doc"] for r in some]
        assert store.fts_node_frequency("，") == 0


def test_each_node_is_a_run_of_its_documents_index_tokens(tmp_path):
    made = ingest(tmp_path)
    with open_store(made) as store:
        conn = store.conn
        conn.execute("CREATE VIRTUAL TABLE temp.places USING fts5vocab(main, doc_fts, 'instance')")
        body: dict[int, dict[int, str]] = {}
        for r in conn.execute("SELECT term, doc, offset FROM temp.places WHERE col = 'text'"):
            body.setdefault(r["doc"], {})[r["offset"]] = r["term"]
        cut = _node_tokens(conn)
        nodes = [{**r, "tokens": cut[r["id"]][1]} for r in conn.execute(
            "SELECT id, doc_pk, fts_first, fts_count, fts_size, tok_heading FROM outline_nodes").fetchall()]
        runs = [n for n in nodes if n["fts_first"] is not None]
        assert len(runs) > len(nodes) / 2
        for n in runs:
            terms = [body[n["doc_pk"]][i] for i in range(n["fts_first"], n["fts_first"] + n["fts_count"])]
            assert terms == fts.index_tokens(fts.get_scheme("words"))(n["tokens"])
        for n in nodes:
            indexed = fts.index_tokens(fts.get_scheme("words"))
            assert n["fts_size"] == len(indexed(n["tok_heading"] or "")) + len(indexed(n["tokens"] or ""))


def _steps(conn: sqlite3.Connection, action) -> int:
    """How many instructions of SQLite's machine ``action`` runs (a progress handler called at each)."""
    count = [0]

    def tick() -> int:
        count[0] += 1
        return 0

    conn.set_progress_handler(tick, 1)
    try:
        action()
    finally:
        conn.set_progress_handler(None, 0)
    return count[0]


def test_a_replaced_issue_and_a_corrected_title_leave_the_index_as_fresh_cuts_without_reading_it(tmp_path):
    with Store.open(tmp_path / "g.db") as store:
        conn = store.conn
        store.ingest_issue(make_issue([grain_doc("40", extra="粮食质量安全，" * 3000)], raw="大", number=4), raw="大")
        store.ingest_issue(make_issue([grain_doc(), hero_doc()]), raw="一")
        conn.execute("CREATE VIRTUAL TABLE temp.places USING fts5vocab(main, doc_fts, 'instance')")
        places = conn.execute("SELECT count(*) AS n FROM temp.places").fetchone()["n"]
        issue = make_issue([grain_doc(extra="专库存放"), hero_doc()], raw="二")
        tokens = fts.pretokenise(issue, store.scheme)
        replaced = []
        # Reading a document's tokens back from the index takes at least an instruction per place
        # FTS5 keeps; the writer gives FTS5 the tokens cut again instead.
        assert _steps(conn, lambda: replaced.append(store.ingest_issue(issue, raw="二", tokens=tokens))) < places / 2
        assert replaced[0].status == "replaced"
        _integrity(conn)
        grain = replaced[0].document_ids[0]
        title = "重庆市人民政府办公厅关于印发重庆市超标粮食处置办法的补充通知"
        assert _steps(conn, lambda: correct(store, grain, "title", title, "原文标题有“补充”", "王编辑")) < places / 2
        _integrity(conn)
        assert _ids(store, "补充通知") == [grain]


def test_a_document_whose_tokens_cut_again_differ_is_taken_out_by_the_triggers(tmp_path, monkeypatch):
    with Store.open(tmp_path / "g.db") as store:
        store.ingest_issue(make_issue([grain_doc(), hero_doc()]), raw="一")
        issue = make_issue([grain_doc(extra="专库存放"), hero_doc()], raw="二")
        tokens = fts.pretokenise(issue, store.scheme)
        cutter = fts._cutter
        # a cutter that changed since the documents were indexed: FTS5 counted other tokens
        monkeypatch.setattr(fts, "_cutter", lambda scheme: lambda text: cutter(scheme)(text) + " 又" if text else "")
        assert store.ingest_issue(issue, raw="二", tokens=tokens).status == "replaced"
        monkeypatch.undo()
        _integrity(store.conn)


def _segments_left(conn: sqlite3.Connection) -> bool:
    """Whether doc_fts holds more than one segment: FTS5's 'merge' across levels changes
    nothing when there is one (checked on a copy: the caller's database is left as it is)."""
    before = conn.total_changes
    conn.execute("SAVEPOINT look")
    conn.execute("INSERT INTO doc_fts(doc_fts, rank) VALUES ('merge', -100000)")
    merged = conn.total_changes - before >= 2
    conn.execute("ROLLBACK TO look")
    conn.execute("RELEASE look")
    return merged


def test_a_load_adding_many_documents_leaves_one_segment_and_a_small_one_leaves_them(tmp_path):
    def load(numbers: range) -> None:
        with store.bulk_load(len(numbers)):
            for n in numbers:  # a commit each: a segment each (automerge merges them four at a time)
                store.ingest_issue(make_issue([grain_doc(str(n), extra="第" * n)], raw=str(n), number=n + 1),
                                   raw=str(n))

    with Store.open(tmp_path / "g.db") as store:
        load(range(12))
        assert not _segments_left(store.conn)
        assert store.conn.execute("PRAGMA freelist_count").fetchone()["freelist_count"] == 0  # given back
        load(range(12, 13))  # a thirteenth of the documents: not worth merging the whole index again
        assert _segments_left(store.conn)
        found = store.conn.execute("SELECT count(*) AS n FROM doc_fts WHERE doc_fts MATCH ?", ('"粮食"',)).fetchone()
        assert found["n"] == 13
        _integrity(store.conn)


def test_triggers_of_an_older_gongbao_are_made_anew_without_rebuilding_the_index(tmp_path):
    path = tmp_path / "g.db"
    with Store.open(path) as store:
        store.ingest_issue(make_issue([grain_doc()]), raw="源文本")
        wanted = store.conn.execute("SELECT sql FROM sqlite_master WHERE name = 'heading_fts_ai'").fetchone()["sql"]
    conn = sqlite3.connect(path)
    conn.execute("DROP TRIGGER heading_fts_ai")
    conn.execute(wanted.replace(" WHEN ", " WHEN new.id < 0 AND ", 1))  # a trigger of another gongbao
    conn.commit()
    conn.close()
    with Store.open(path) as store:
        assert store.conn.execute("SELECT sql FROM sqlite_master WHERE name = 'heading_fts_ai'").fetchone()["sql"] == wanted
        store.ingest_issue(make_issue([hero_doc()], raw="二", number=2), raw="二")
        _integrity(store.conn)


def _database_before(path: Path, source: Path, version: int) -> sqlite3.Connection:
    """A database as a gongbao of schema ``version`` left it, with the rows of ``source`` (the
    columns that schema has; the issues' source texts in the clear, or whole and compressed
    from schema 12, as it stored them); the connection is left in a transaction."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA encoding = 'UTF-16be'")  # the source's (SQLite attaches only files of one encoding)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    for migration in migrations():
        if migration.version <= version and migration.path.suffix == ".py":
            run_python(migration.path, lambda sql, params=(): conn.execute(sql, params).fetchall())
        elif migration.version <= version:
            for statement in statements(migration.path.read_text(encoding="utf-8")):
                conn.execute(statement)
    conn.execute(f"PRAGMA user_version = {version}")
    conn.execute("ATTACH ? AS src", (str(source),))
    conn.execute("BEGIN")
    tables = [r[0] for r in conn.execute("SELECT name FROM main.sqlite_master WHERE type = 'table'")]
    for table in tables:
        old = [r[1] for r in conn.execute(f"PRAGMA main.table_info({table})")]
        cols = ", ".join(old)
        conn.execute(f"INSERT INTO main.{table}({cols}) SELECT {cols} FROM src.{table}")
    with open_store(source, readonly=True) as made:  # an issue's source may be references to its documents' lines
        texts = {issue.id: made.issue_source(issue.id) for issue in made.list_issues()}
    packed = "raw_zlib" in [r[1] for r in conn.execute("PRAGMA main.table_info(issues)")]  # whole, compressed
    for row_id, text in texts.items():
        if packed:
            conn.execute("UPDATE main.issues SET raw_text = '', raw_zlib = ? WHERE id = ?", (pack_source(text), row_id))
        else:
            conn.execute("UPDATE main.issues SET raw_text = ? WHERE id = ?", (text, row_id))
    for row_id, raw_text, raw_zlib in conn.execute("SELECT id, raw_text, raw_zlib FROM src.issue_revisions").fetchall():
        text = source_text({"raw_text": raw_text, "raw_zlib": raw_zlib})
        conn.execute("UPDATE main.issue_revisions SET raw_text = ? WHERE id = ?", (text, row_id))
    return conn


def _old_database(path: Path, source: Path) -> None:
    """A database as the previous gongbao left it: the schema before TOKENS, node texts in their rows, no
    token columns, the index kept through the Python function gb_index (registered here only)."""
    conn = _database_before(path, source, TOKENS - 1)
    conn.execute(f"UPDATE main.outline_nodes SET text = (SELECT {fts.node_text()} FROM src.outline_nodes n"
                 " JOIN src.documents d ON d.pk = n.doc_pk WHERE n.id = main.outline_nodes.id)")
    conn.create_function("gb_index", 1, lambda text: index_text(text) if text else "")
    for name, content, rowid, cols in (("doc_fts", "documents", "pk", "title, doc_number, issuers, text"),
                                       ("node_fts", "outline_nodes", "id", "heading, text")):
        conn.execute(f"CREATE VIRTUAL TABLE {name} USING fts5({cols}, content='{content}', content_rowid='{rowid}',"
                     " tokenize='unicode61 remove_diacritics 0')")
        values = ", ".join(f"gb_index(new.{c.strip()})" for c in cols.split(","))
        conn.execute(f"CREATE TRIGGER {name}_ai AFTER INSERT ON {content} BEGIN INSERT INTO {name}(rowid, {cols})"
                     f" VALUES (new.{rowid}, {values}); END")
        conn.execute(f"INSERT INTO {name}(rowid, {cols}) SELECT {rowid}, "
                     + ", ".join(f"gb_index({c.strip()})" for c in cols.split(",")) + f" FROM {content}")
    conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('fts_scheme', 'words:1:2')")
    conn.execute("COMMIT")
    conn.execute("DETACH src")
    conn.close()


def test_a_database_of_the_previous_layout_is_migrated_in_place(tmp_path):
    (tmp_path / "made").mkdir()
    made = ingest(tmp_path / "made")
    with open_store(made) as store:
        before = {d.id: _outline_texts(plain(store.get_document(d.id))) for d in store.list_documents().items}
        found = _ids(store, "河道")
    old = tmp_path / "old.db"
    _old_database(old, Path(made))
    client = sqlite3.connect(old)
    assert client.execute("SELECT count(*) FROM outline_nodes WHERE text != ''").fetchone()[0] > 0
    with pytest.raises(sqlite3.OperationalError, match="gb_index"):  # the old layout: no plain client could write
        client.execute("INSERT INTO documents(id, key, title, created_at) VALUES ('x', 'x', 'x', 'now')")
    client.close()
    with open_store(old) as store:
        assert store.schema_version() >= TOKENS and store.stats().tokenizer == "words"
        after = {d.id: _outline_texts(plain(store.get_document(d.id))) for d in store.list_documents().items}
        assert after == before and found and _ids(store, "河道") == found
        stored = store.conn.execute("SELECT count(*) AS n FROM outline_nodes WHERE text_start IS NULL AND text != ''"
                                    ).fetchone()["n"]
        total = store.conn.execute("SELECT count(*) AS n FROM outline_nodes").fetchone()["n"]
        assert stored < total / 2  # most node texts are now spans of their document's
        _integrity(store.conn)


def test_a_database_with_its_sources_in_the_clear_is_packed_in_place(tmp_path):
    (tmp_path / "made").mkdir()
    made = ingest(tmp_path / "made")
    with open_store(made) as store:
        issues = [i.id for i in store.list_issues()]
        sources = {i: store.issue_source(i) for i in issues}
        found = _ids(store, "河道")
    assert all(sources.values()) and found
    old = tmp_path / "old.db"
    conn = _database_before(old, Path(made), PACKED - 1)
    conn.execute("DELETE FROM main.meta WHERE key = 'fts_scheme'")  # its index is made again when opened
    conn.execute("COMMIT")
    conn.close()
    plain = sqlite3.connect(old)
    assert plain.execute("SELECT count(*) FROM issues WHERE raw_text != ''").fetchone()[0] == len(issues)
    plain.close()
    with open_store(old) as store:
        assert store.schema_version() > PACKED
        assert {i: store.issue_source(i) for i in issues} == sources
        rows = store.conn.execute("SELECT raw_text, length(raw_zlib) AS packed FROM issues").fetchall()
        assert all(r["raw_text"] == "" and r["packed"] for r in rows)
        assert _ids(store, "河道") == found


def test_body_spans_are_stored_packed_and_read_back_whole(tmp_path):
    issue = make_issue([grain_doc()])
    with open_store(tmp_path / "g.db") as store:
        (grain,) = store.ingest_issue(issue, raw="源文本").document_ids
        assert plain(store.get_document(grain))["body_spans"] == [[20, 20], [21, 21], [22, 22]]
        stored = store.conn.execute("SELECT body_spans FROM documents WHERE id = ?", (grain,)).fetchone()
        assert stored["body_spans"] == [[20, 20], [21, 21], [22, 22]]  # decoded by the row factory
        raw = store.conn.execute("SELECT CAST(body_spans AS TEXT) AS s FROM documents WHERE id = ?", (grain,))
        assert json.loads(raw.fetchone()["s"].replace("'", '"')) == [[20, 20], [-2, 1]]


@pytest.mark.parametrize("spans", [
    [], [[7, 7]], [[1, 3]], [[5, 5], [7, 7], [9, 9], [10, 12], [13, 13], [14, 14], [3, 3], [3, 3]],
    [[1, 2], [4, 4], [6, 6], [8, 8], [9, 9], [9, 9], [12, 12]],
])
def test_packed_spans_unpack_to_the_same_and_pack_again_to_the_same(spans):
    packed = pack_spans(spans)
    assert unpack_spans(packed) == spans and unpack_spans(spans) == spans  # the older form reads as it is
    assert pack_spans(unpack_spans(packed)) == packed


def test_a_database_with_its_body_spans_in_full_is_packed_in_place(tmp_path):
    (tmp_path / "made").mkdir()
    made = ingest(tmp_path / "made")
    with open_store(made) as store:
        before = {d.id: plain(store.get_document(d.id)) for d in store.list_documents().items}
    old = tmp_path / "old.db"
    conn = _database_before(old, Path(made), SPANS - 1)
    conn.execute("DELETE FROM main.meta WHERE key = 'fts_scheme'")  # its index is made again when opened
    full = {pk: unpack_spans(json.loads(spans))
            for pk, spans in conn.execute("SELECT pk, body_spans FROM main.documents").fetchall()}
    conn.executemany("UPDATE main.documents SET body_spans = ? WHERE pk = ?", [(json.dumps(s), pk) for pk, s in full.items()])
    conn.execute("COMMIT")
    conn.close()
    assert any(len(pack_spans(spans)) < len(spans) for spans in full.values())
    with open_store(old) as store:
        assert store.schema_version() >= SPANS
        assert {d.id: plain(store.get_document(d.id)) for d in store.list_documents().items} == before
        stored = {r["pk"]: json.loads(r["s"]) for r in store.conn.execute(
            "SELECT pk, CAST(body_spans AS TEXT) AS s FROM documents")}
        assert stored == {pk: pack_spans(spans) for pk, spans in full.items()}


def test_a_corrected_title_is_found_by_search(tmp_path, db_target):
    db = ingest(tmp_path, db=db_target)
    with open_store(db) as store:
        river = plain(store.get_document(RIVER))["id"]
        assert _ids(store, "湖泊") == []
        correct(store, RIVER, "title", "汀州市人民政府关于加强河道和湖泊管理的通知", "原文标题有“和湖泊”", "王编辑")
        assert _ids(store, "湖泊") == [river]


def _layout_before(tmp_path: Path, version: int) -> tuple[dict, list[str], Path, sqlite3.Connection]:
    """What the new layout finds (clauses for RANKED, hits for 河道), and a database of schema
    ``version`` with the body's tokens stored and read by doc_fts through a view, as gongbao
    kept them before layout 5 (its connection left in a transaction)."""
    (tmp_path / "made").mkdir()
    made = ingest(tmp_path / "made")
    with open_store(made) as store:
        found = {e: [n.id for n in store.fts_nodes(e, 40)] for e in RANKED}
        hits = _ids(store, "河道")
    old = tmp_path / "old.db"
    conn = _database_before(old, Path(made), version)
    conn.row_factory = sqlite3.Row
    conn.executemany("UPDATE documents SET tok_text = ? WHERE pk = ?",
                     [(t.text, pk) for pk, t in _fresh_tokens(conn).items()])
    conn.execute("CREATE VIEW doc_fts_content AS SELECT pk, tok_title AS title, tok_number AS doc_number,"
                 " tok_issuers AS issuers, tok_text AS text FROM documents WHERE present = 1")
    return found, hits, old, conn


def _migrated_finds_the_same(store: Store, found: dict, hits: list[str]) -> None:
    assert {e: [n.id for n in store.fts_nodes(e, 40)] for e in RANKED} == found
    assert _ids(store, "河道") == hits
    assert store.conn.execute("SELECT count(*) AS n FROM documents WHERE tok_text IS NOT NULL").fetchone()["n"] == 0
    _integrity(store.conn)


def test_a_database_of_layout_three_loses_its_second_index_of_the_body_in_place(tmp_path):
    found, hits, old, conn = _layout_before(tmp_path, RUNS - 1)  # the schema before, its node index as layout 3 kept it
    conn.execute("CREATE VIEW node_fts_content AS SELECT n.id, n.tok_heading AS heading,"
                 f" {fts.node_tokens()} AS text FROM outline_nodes n JOIN documents d ON d.pk = n.doc_pk")
    for name, cols, rowid in (("doc_fts", "title, doc_number, issuers, text", "pk"), ("node_fts", "heading, text", "id")):
        conn.execute(f"CREATE VIRTUAL TABLE {name} USING fts5({cols}, content='{name}_content', content_rowid='{rowid}',"
                     " tokenize='unicode61 remove_diacritics 0')")
        conn.execute(f"INSERT INTO {name}({name}) VALUES ('rebuild')")
    conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('fts_scheme', 'words:1:3')")
    conn.execute("COMMIT")
    conn.close()
    with open_store(old) as store:
        assert store.schema_version() >= RUNS
        names = {r["name"] for r in store.conn.execute("SELECT name FROM sqlite_master")}
        assert "node_fts" not in names and "node_fts_content" not in names and "heading_fts" in names
        _migrated_finds_the_same(store, found, hits)


def test_a_database_of_layout_four_drops_the_bodys_token_string_in_place(tmp_path):
    found, hits, old, conn = _layout_before(tmp_path, latest_version())
    conn.execute("UPDATE documents SET tok_text = tok_text || printf(' %.*c', 20000, 'x')")  # room to give back
    conn.execute("CREATE VIRTUAL TABLE doc_fts USING fts5(title, doc_number, issuers, text, content='doc_fts_content',"
                 " content_rowid='pk', tokenize='unicode61 remove_diacritics 0')")
    conn.execute("INSERT INTO doc_fts(doc_fts) VALUES ('rebuild')")
    conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('fts_scheme', 'words:1:4')")
    conn.execute("COMMIT")
    conn.close()
    pages = {}
    with open_store(old) as store:
        assert "doc_fts_content" not in {r["name"] for r in store.conn.execute("SELECT name FROM sqlite_master")}
        _migrated_finds_the_same(store, found, hits)
    pages["migrated"] = _data_pages(sqlite3.connect(old))
    pages["made"] = _data_pages(sqlite3.connect(tmp_path / "made" / "g.db"))
    assert pages["migrated"] <= pages["made"]  # the space the older layout used is given back (VACUUM)


def _data_pages(conn) -> int:
    """The file's pages but the schema's (how full the schema's pages are depends on the order
    its entries were made in, which a migrated database does not share with a new one)."""
    return conn.execute("SELECT count(*) FROM dbstat WHERE name != 'sqlite_schema'").fetchone()[0]


def test_a_new_database_keeps_its_texts_in_utf16_sorted_by_code_point(tmp_path):
    with open_store(tmp_path / "g.db") as store:
        store.ingest_issue(make_issue([grain_doc()]), raw="源文本")
        conn = store.conn
        assert conn.execute("PRAGMA encoding").fetchone()["encoding"] == "UTF-16be"
        row = conn.execute("SELECT text, length(CAST(text AS BLOB)) AS size FROM documents").fetchone()
        assert row["size"] == 2 * len(row["text"])  # 2 bytes a Chinese character, not 3
        words = ["（一）", "中国", "人民", "Ａ类", "a类", "〔2021〕"]
        conn.execute("CREATE TEMP TABLE w(x TEXT)")
        conn.executemany("INSERT INTO w VALUES (?)", [(w,) for w in words])
        assert [r["x"] for r in conn.execute("SELECT x FROM w ORDER BY x")] == sorted(words)


def test_a_database_with_node_token_spans_on_sqlite_has_them_taken_off_in_place(tmp_path):
    """Migration 024: tok_start/tok_end pointed into a body token string SQLite does not keep."""
    db = ingest(tmp_path)
    with open_store(db) as store:
        found = _ids(store, "河道")
    conn = sqlite3.connect(db)  # as a gongbao of schema 23 left it: the spans written
    conn.execute("UPDATE outline_nodes SET tok_start = 0, tok_end = 4 WHERE text_start IS NOT NULL")
    conn.execute("PRAGMA user_version = 23")
    conn.commit()
    assert conn.execute("SELECT count(*) FROM outline_nodes WHERE tok_start IS NOT NULL").fetchone()[0] > 0
    conn.close()
    with open_store(db) as store:
        assert store.conn.execute("SELECT count(*) AS n FROM outline_nodes WHERE tok_start IS NOT NULL"
                                  " OR tok_end IS NOT NULL").fetchone()["n"] == 0
        assert _ids(store, "河道") == found
