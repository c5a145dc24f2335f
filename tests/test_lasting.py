"""What one process computes and keeps for the next (gongbao.lasting): a changed input is a miss,
a damaged or unwritable cache costs only the computation, never an error or a stale answer."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

from gongbao.errors import QueryBudgetError
from gongbao.lasting import kept_file, write_file
from gongbao.search.thesaurus import load_thesaurus
from gongbao.store import open_store

SAMPLES = Path(__file__).resolve().parents[1] / "samples"


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("GONGBAO_CACHE", str(folder))
    return folder


def counting(value):
    calls = []

    def compute():
        calls.append(1)
        return value

    return compute, calls


def test_a_value_is_computed_once_per_version(cache):
    compute, calls = counting({"a": [1, 2]})
    assert kept_file("thing", "owner", "v1", compute) == {"a": [1, 2]}
    assert kept_file("thing", "owner", "v1", compute) == {"a": [1, 2]}
    assert len(calls) == 1
    other, other_calls = counting("new")
    assert kept_file("thing", "owner", "v2", other) == "new"  # another version: computed again
    assert len(other_calls) == 1
    assert len(list(cache.glob("thing-*"))) == 1  # the owner's older version is removed


def test_a_growing_mapping_is_rewritten_in_place_and_replaces_older_versions(cache):
    known = kept_file("words", "db", "v1", dict)
    for word in ("低保", "试用期"):  # a process adds to the mapping and writes it again
        known[word] = len(word)
        write_file("words", "db", "v1", known)
    assert kept_file("words", "db", "v1", dict) == {"低保": 2, "试用期": 3}
    assert len(list(cache.glob("words-*"))) == 1
    write_file("words", "db", "v2", {})  # the database changed: the first write of v2 removes v1
    write_file("words", "db", "v2", {"养老": 2})
    assert len(list(cache.glob("words-*"))) == 1
    assert kept_file("words", "db", "v2", dict) == {"养老": 2}


def test_files_not_written_for_a_month_go_when_a_new_one_is_written(cache):
    kept_file("thing", "owner", "v", lambda: 1)
    old, recent = cache / "node-gone-database.pickle", cache / "words-2-1-2.sqlite"
    for path in (old, recent):
        path.write_bytes(b"x")
    month = time.time() - 31 * 86400
    os.utime(old, (month, month))
    (cache / "templates").mkdir()
    kept_file("thing", "owner", "v", lambda: 2)  # read, not written: nothing is removed
    assert old.exists()
    kept_file("other", "owner", "v", lambda: 3)  # a new file: the month-old one goes
    assert not old.exists() and recent.exists() and (cache / "templates").is_dir()
    assert kept_file("thing", "owner", "v", lambda: 4) == 1


def test_owners_do_not_share_values(cache):
    kept_file("thing", "one", "v", lambda: 1)
    assert kept_file("thing", "two", "v", lambda: 2) == 2
    assert kept_file("thing", "one", "v", lambda: 3) == 1


def test_a_damaged_file_is_computed_again(cache):
    kept_file("thing", "owner", "v", lambda: 1)
    for path in cache.glob("thing-*"):
        path.write_bytes(b"not a pickle")
    assert kept_file("thing", "owner", "v", lambda: 2) == 2
    assert kept_file("thing", "owner", "v", lambda: 3) == 2  # and written again


def test_no_usable_cache_folder_only_costs_time(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    monkeypatch.setenv("GONGBAO_CACHE", str(blocker / "below"))
    compute, calls = counting(5)
    assert kept_file("thing", "owner", "v", compute) == 5
    assert kept_file("thing", "owner", "v", compute) == 5
    assert len(calls) == 2


def test_an_edited_user_thesaurus_is_read_again(cache, tmp_path):
    extra = tmp_path / "mine.yaml"
    extra.write_text("groups:\n  - [甲词语, 乙词语]\n", encoding="utf-8")
    assert "乙词语" in load_thesaurus([extra]).expand("甲词语")
    extra.write_text("groups:\n  - [甲词语, 丙词语]\n", encoding="utf-8")
    assert load_thesaurus([extra]).expand("甲词语") == {"丙词语"}
    assert load_thesaurus([]).expand("甲词语") == set()


def test_a_thesaurus_from_the_cache_equals_one_read_from_yaml(cache):
    from gongbao.search import thesaurus as module

    first = load_thesaurus([])
    module._loaded.clear()  # as a new process: from the file in the cache folder
    again = load_thesaurus([])
    assert again is not first
    assert (again.related, again.sources, again.rewrites) == (first.related, first.sources, first.rewrites)


@pytest.fixture
def db(tmp_path) -> Path:
    from gongbao.ingest import ingest_paths

    path = tmp_path / "g.db"
    ingest_paths([SAMPLES], path, progress=False)
    return path


def test_database_values_last_until_the_database_changes(cache, db):
    with open_store(db, readonly=True) as st:
        compute, calls = counting(("n", 1))
        assert st.kept("a value", compute, lasting=True) == ("n", 1)
    with open_store(db, readonly=True) as st:  # another process, the same database
        assert st.kept("a value", compute, lasting=True) == ("n", 1)
        sizes = st.node_sizes()
    assert len(calls) == 1
    with open_store(db) as st, st.transaction():
        st.conn.execute("UPDATE outline_nodes SET heading = heading || '补' WHERE id = (SELECT min(id) FROM outline_nodes)")
    with open_store(db, readonly=True) as st:
        assert st.kept("a value", compute, lasting=True) == ("n", 1)
        assert st.node_sizes() != sizes  # one character more over all nodes: computed again
    assert len(calls) == 2


def test_a_lasting_value_is_made_whole_past_the_query_budget(cache, db):
    # made by the first query that needs it, it is kept for every later process: stopped at that
    # query's budget it saved nothing, and every later query began it again
    def compute():
        time.sleep(0.6)  # the query's budget runs out while the value is made
        return st._value("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300000)"
                         " SELECT count(*) FROM n")

    with open_store(db, readonly=True) as st:
        with st.budget(0.5):
            assert st.kept("a slow value", compute, lasting=True) == 300000
        with pytest.raises(QueryBudgetError), st.budget(0.01):  # the query's own statements still stop
            st._value("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 30000000)"
                      " SELECT count(*) FROM n")
    with open_store(db, readonly=True) as st:
        assert st.kept("a slow value", lambda: None, lasting=True) == 300000


def test_a_copied_database_is_another_owner(cache, db, tmp_path):
    copy = tmp_path / "copy.db"
    shutil.copy(db, copy)
    with open_store(db, readonly=True) as st:
        st.kept("a value", lambda: 1, lasting=True)
    with open_store(copy, readonly=True) as st:
        assert st.kept("a value", lambda: 2, lasting=True) == 2


def test_another_gongbao_keeps_its_own_files(cache, monkeypatch):
    import gongbao.lasting as lasting

    kept_file("thing", "owner", "v", lambda: "mine")
    with monkeypatch.context() as patched:
        patched.setattr(lasting, "code_version", lambda: "another gongbao")
        assert kept_file("thing", "owner", "v", lambda: "theirs") == "theirs"  # its code differs: not read
    assert kept_file("thing", "owner", "v", lambda: "again") == "mine"  # and not removed


def test_a_mapping_filled_as_it_goes_is_kept_again(cache, db):
    with open_store(db, readonly=True) as st:
        words = st.kept("some words", dict, lasting=True)
        words["甲"] = 1
        st.keep_again("some words")
    with open_store(db, readonly=True) as st:  # the next process
        assert st.kept("some words", dict, lasting=True) == {"甲": 1}


def test_question_word_frequencies_last_across_processes(cache, db):
    from gongbao.search.ask import corpus_stats

    with open_store(db, readonly=True) as st:
        first = corpus_stats(st, ["养老", "补助"])
    with open_store(db, readonly=True) as st:
        kept = st.kept("qa term frequencies", dict, lasting=True)
        assert kept == first.df
        assert corpus_stats(st, ["养老", "补助"]).df == first.df


def test_document_texts_are_read_once_and_bounded(db, monkeypatch):
    from gongbao.store import read

    with open_store(db, readonly=True) as st:
        pks = [r[0] for r in st._tuples("SELECT pk FROM documents ORDER BY pk LIMIT 3")]
        expected = dict(st._tuples(f"SELECT pk, text FROM documents WHERE pk IN ({','.join('?' * len(pks))})", pks))
        texts = read.DocumentTexts()
        statements: list[str] = []
        st.conn.set_trace_callback(statements.append)
        assert texts.read(st.conn, pks) == expected
        assert texts.read(st.conn, pks[:2]) == {pk: expected[pk] for pk in pks[:2]}
        assert len(statements) == 1  # the second read came from memory
        monkeypatch.setattr(read, "TEXT_CACHE_CHARS", len(expected[pks[0]]))
        texts.read(st.conn, pks)
        st.conn.set_trace_callback(None)
        assert texts.size <= len(expected[pks[0]]) and len(texts.values) <= 1


def test_read_only_stores_of_a_process_share_texts_and_outlines_until_a_write(db):
    # the portal's threads each hold a store: each kept its own texts and outlines (up to 40
    # copies a worker); a writer keeps its own (it reads inside its transactions)
    from gongbao.store.outlines import Outlines

    with open_store(db, readonly=True) as one, open_store(db, readonly=True) as two, open_store(db) as writer:
        pk = one._tuples("SELECT pk FROM documents ORDER BY pk LIMIT 1")[0][0]
        one.outlines([pk])
        assert two.outlines is not one.outlines and two.document_texts() is one.document_texts()
        assert pk in two.kept("outlines", Outlines, shared=True).values
        assert writer.document_texts() is not one.document_texts()
        with writer.transaction():
            writer.conn.execute("UPDATE meta SET value = value + 1 WHERE key = 'generation'")
        assert pk not in two.kept("outlines", Outlines, shared=True).values  # a new version, kept anew


def test_a_value_loaded_twice_is_counted_once():
    # threads share a store's kept values and load outside its lock: two may load one value
    from gongbao.store.kept import KeptByPk

    kept = KeptByPk(lambda: 100, len)

    def load(pks):
        if 2 not in kept.values:  # another thread loads the same value meanwhile
            kept.kept_or_loaded([2], lambda chunk: {pk: "ab" for pk in chunk})
        return {pk: "ab" for pk in pks}

    kept.kept_or_loaded([1, 2], load)
    assert set(kept.values) == {1, 2} and kept.size == 4


def test_compiled_templates_are_kept_in_the_cache_folder(tmp_path, monkeypatch):
    # a worker's first page loads compiled templates instead of compiling them; a cache folder
    # that cannot be written (here a file) costs only the compile
    from gongbao.web.deps import templates
    env = templates.env
    monkeypatch.setenv("GONGBAO_CACHE", str(tmp_path / "cache"))
    env.cache.clear()
    env.get_template("error.html")
    assert len(list((tmp_path / "cache" / "templates").glob("*.cache"))) >= 1
    env.cache.clear()

    def no_compile(*args, **kwargs):
        raise AssertionError("compiled again")
    with monkeypatch.context() as m:
        m.setattr(env, "compile", no_compile)
        assert env.get_template("error.html").name == "error.html"  # from the kept file
    (tmp_path / "a-file").write_text("x")
    monkeypatch.setenv("GONGBAO_CACHE", str(tmp_path / "a-file"))
    env.cache.clear()
    assert env.get_template("error.html").name == "error.html"
    env.cache.clear()


@pytest.fixture
def ingesting():
    """As in a process that ingests: its dataclasses pickled by constructor calls (copyreg)."""
    import copyreg

    from gongbao.ingest import send_by_constructor

    saved = dict(copyreg.dispatch_table)
    send_by_constructor()
    yield
    copyreg.dispatch_table.clear()
    copyreg.dispatch_table.update(saved)


def test_big_arrays_come_back_mapped_from_the_file_not_copied(cache, ingesting):
    from array import array

    from gongbao.models import Runs

    runs = Runs(array("q", [0, 5, 1 << 40]), array("q", [4, 9, (1 << 40) + 3]), array("q", [7, 8, 9]),
                array("q", [0, 2, 2, 3]), array("q", [-1, 3, 2]), array("q", [0, 1, 2]), 3, 10)
    kept_file("runs", "owner", "v", lambda: runs)
    again = kept_file("runs", "owner", "v", lambda: None)
    assert isinstance(again.starts, memoryview) and again.starts.readonly  # a view of the mapped file
    names = ("starts", "ends", "ids", "firsts", "sizes", "docs")
    assert [list(getattr(again, n)) for n in names] == [list(getattr(runs, n)) for n in names]
    assert (again.rows, again.tokens) == (3, 10)


def test_a_kept_file_cut_short_is_computed_again(cache):
    from array import array

    from gongbao.models import Runs

    big = array("q", range(1000))
    kept_file("runs", "owner", "v", lambda: Runs(big, big, big, big, big, big, 1, 2))
    for path in cache.glob("runs-*"):
        path.write_bytes(path.read_bytes()[:-8])  # the last buffer short of one number
    assert kept_file("runs", "owner", "v", lambda: 5) == 5
