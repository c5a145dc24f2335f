"""node_terms (store/nodeterms.py): each index token's node frequency, written with each issue,
so that no question counts a common word's nodes from the index.  It must hold exactly what
counting from the index gives (the frequencies the clause ranking and Q&A used before), after
an ingest, a replaced issue, a migration from a database without it, and a change made by a
plain SQLite client."""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from editor_fixtures import ISSUE, ingest  # noqa: E402

from gongbao.search.tokenize import index_text  # noqa: E402
from gongbao.store import Store  # noqa: E402
from gongbao.store.nodefts import Phrase, phrase_counts  # noqa: E402

NODE_TERMS = 21  # the migration that brought node_terms


def _counted_from_index(store: Store) -> dict[str, int]:
    """Every token's node frequency as the index gives it (nodefts.phrase_counts)."""
    conn = store.conn
    for table in ("doc_fts", "heading_fts"):
        conn.execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.{table}_words USING fts5vocab(main, {table}, 'row')")
    terms = {r["term"] for r in conn.execute("SELECT term FROM temp.doc_fts_words UNION SELECT term FROM temp.heading_fts_words")}
    out = {t: len(phrase_counts(conn, store._runs(), Phrase((t,), False))) for t in terms}
    return {t: n for t, n in out.items() if n}


def _table(store: Store) -> dict[str, int]:
    return {r["term"]: r["nodes"] for r in store.conn.execute("SELECT term, nodes FROM node_terms")}


def _fresh(store: Store) -> bool:
    return store.conn.execute("SELECT 1 FROM meta WHERE key = 'node_terms'").fetchone() is not None


def test_an_ingest_writes_each_tokens_node_frequency(tmp_path):
    db = ingest(tmp_path)
    with Store.open(db, readonly=True) as store:
        expected = _counted_from_index(store)
        assert len(expected) > 50 and expected["年"] >= 2
        assert _fresh(store) and _table(store) == expected
        assert store.fts_node_frequency("河道") == expected["河道"]


def test_a_replaced_issue_takes_its_older_nodes_off(tmp_path):
    db = ingest(tmp_path)
    changed = ISSUE.replace("一、落实河长责任。", "一、落实河长责任，鳜鱼养殖另行规定。").replace("二、开展林区巡查。", "")
    ingest(tmp_path, changed, db)
    with Store.open(db, readonly=True) as store:
        expected = _counted_from_index(store)
        assert expected["鳜鱼"] == 1 and "林区" not in expected
        assert _fresh(store) and _table(store) == expected


def test_a_database_without_the_table_is_counted_on_first_open_for_writing(tmp_path):
    db = ingest(tmp_path)
    conn = sqlite3.connect(db)  # back to the schema before: no table, no triggers, no mark
    for trigger in ("node_terms_ai", "node_terms_ad", "node_terms_au", "node_terms_du"):
        conn.execute(f"DROP TRIGGER {trigger}")
    conn.execute("DROP TABLE node_terms")
    conn.execute("DELETE FROM meta WHERE key = 'node_terms'")
    conn.execute(f"PRAGMA user_version = {NODE_TERMS - 1}")
    conn.commit()
    conn.close()
    with Store.open(db, readonly=True) as store:  # a reader of an older database upgrades it first
        assert _fresh(store) and _table(store) == _counted_from_index(store)


def test_nodes_written_by_another_client_are_counted_again(tmp_path):
    db = ingest(tmp_path)
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA foreign_keys = ON")
    pk = conn.execute("SELECT min(pk) FROM documents").fetchone()[0]
    conn.execute("INSERT INTO outline_nodes(doc_pk, position, depth, anchor, level, number, heading, text, tok_heading,"
                 " tokens) VALUES (?, 99, 0, 'x-1', 'article', '九十九', '第九十九条', '鳜鱼养殖', ?, ?)",
                 (pk, index_text("第九十九条"), index_text("鳜鱼养殖")))
    conn.commit()
    with Store.open(db, readonly=True) as store:  # the table is stale: the index is counted
        assert not _fresh(store) and store.fts_node_frequency("鳜鱼") == 1
    with Store.open(db) as store:
        assert _fresh(store) and _table(store) == _counted_from_index(store) and _table(store)["鳜鱼"] == 1
    conn.execute("DELETE FROM documents WHERE pk = ?", (pk,))
    conn.commit()
    conn.close()
    with Store.open(db) as store:
        assert _fresh(store) and _table(store) == _counted_from_index(store) and "鳜鱼" not in _table(store)


def test_a_batch_counts_its_issues_once_and_forgets_one_that_failed(tmp_path):
    """Ingest sums the documents' counts when its batch commits: an issue replaced within the
    batch is taken off, and one that failed half-way (rolled back to its savepoint) leaves
    nothing, though its first document had been counted."""
    from gongbao.pipeline import read_issue
    from gongbao.store import fts

    db = ingest(tmp_path)
    changed = ISSUE.replace("2022年第5期", "2022年第6期").replace("二、开展林区巡查。", "二、开展鳜鱼巡查。")
    replaced = ISSUE.replace("一、落实河长责任。", "一、落实河长责任，鲈鱼养殖另行规定。")
    failing = ISSUE.replace("2022年第5期", "2022年第7期").replace("开展专项整治", "开展鲟鱼整治")
    with Store.open(db) as store, store.batch():
        for text, name in ((changed, "six.txt"), (replaced, "five.txt")):
            issue = read_issue(text.encode(), str(tmp_path / name))
            assert store.ingest_issue(issue, text).status in ("added", "replaced")
        issue = read_issue(failing.encode(), str(tmp_path / "seven.txt"))
        tokens = fts.pretokenise(issue, store.scheme)
        assert len(tokens) == 2
        try:
            store.ingest_issue(issue, failing, tokens[:1])  # the second document has no tokens: it fails
        except ValueError:
            pass
        else:
            raise AssertionError("an issue with a document short of its tokens was written")
    with Store.open(db, readonly=True) as store:
        expected = _counted_from_index(store)
        assert expected["鳜鱼"] == 1 and expected["鲈鱼"] == 1 and "鲟鱼" not in expected
        assert _fresh(store) and _table(store) == expected


def test_a_corrected_title_leaves_the_counts_as_a_recount_gives(tmp_path):
    from gongbao.editing import correct

    db = ingest(tmp_path)
    with Store.open(db) as store:
        correct(store, "汀府发〔2022〕7号", "title", "汀州市人民政府关于加强河道和湖泊管理的通知", "原文标题有“和湖泊”", "王编辑")
    with Store.open(db, readonly=True) as store:
        assert _fresh(store) and _table(store) == _counted_from_index(store)
