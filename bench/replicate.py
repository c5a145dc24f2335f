"""A PostgreSQL gongbao database made TIMES as large by copying its documents, for measuring
search and the portal at a size the machine cannot ingest in the time (docs/scale.md).

    python bench/replicate.py postgresql://… --times 10

Every present document is copied TIMES − 1 times with new keys and new ids (``i`` + 16 hex
digits, as issue-local ids look), with its issuers, outline nodes and index row (the
tsvector copied, not cut again); the copies stay in their issues.  The copies have the real
texts of the originals, so a word matches TIMES as many documents — the growth that costs
ranking — but they are not new text: vocabulary and document lengths stay those of the
original.  Citations, relations, tasks and the clause index (node_search, used by Q&A) are
not copied.  Run once, on a database used for nothing else; the index is rebuilt at the end
and the common words' best documents listed again (``PgStore.refresh_ranking``).
"""

from __future__ import annotations

import argparse
import time

import psycopg

from gongbao.store import open_store

# (table, key column, {column: expression}) copied per round; :s is the document key shift,
# :n the outline node shift, :k the round
TABLES = (
    ("documents", "pk", {"pk": "pk + %(s)s", "id": "'i' || substr(md5(id || ':' || %(s)s), 1, 16)"}),
    ("document_issuers", "doc_pk", {"doc_pk": "doc_pk + %(s)s"}),
    ("outline_nodes", "doc_pk", {"id": "id + %(n)s", "doc_pk": "doc_pk + %(s)s", "parent_id": "parent_id + %(n)s"}),
    ("doc_search", "pk", {"pk": "pk + %(s)s"}),
)


def columns(conn: psycopg.Connection, table: str) -> list[str]:
    return [r[0] for r in conn.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema()"
        " AND table_name = %s ORDER BY ordinal_position", (table,))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("url")
    parser.add_argument("--times", type=int, default=10)
    args = parser.parse_args()
    with psycopg.connect(args.url, autocommit=True) as conn:
        max_pk = conn.execute("SELECT max(pk) FROM documents").fetchone()[0]
        max_node = conn.execute("SELECT coalesce(max(id), 0) FROM outline_nodes").fetchone()[0]
        present = "(SELECT pk FROM documents WHERE present = 1 AND pk <= %(m)s)"
        # the full-text index built once at the end, not row by row
        index = conn.execute("SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema()"
                             " AND tablename = 'doc_search' AND indexname <> 'doc_search_pkey'").fetchall()
        for name, _ in index:
            conn.execute(f"DROP INDEX {name}")
        for k in range(1, args.times):
            start = time.perf_counter()
            params = {"s": k * max_pk, "n": k * max_node, "k": str(k), "m": max_pk}
            for table, key, changed in TABLES:
                names = columns(conn, table)
                values = ", ".join(changed.get(c, c) for c in names)
                conn.execute(f"INSERT INTO {table} ({', '.join(names)}) SELECT {values} FROM {table}"
                             f" WHERE {key} IN {present}", params)
            print(f"copy {k}: {time.perf_counter() - start:.0f} s", flush=True)
        start = time.perf_counter()
        for _, definition in index:
            conn.execute(definition)
        print(f"index: {time.perf_counter() - start:.0f} s", flush=True)
        for table, key in (("documents", "pk"), ("outline_nodes", "id")):
            conn.execute(f"SELECT setval(pg_get_serial_sequence('{table}', '{key}'), (SELECT max({key}) FROM {table}))")
        conn.execute("UPDATE meta SET value = (value::bigint + 1)::text WHERE key = 'generation'")
        conn.execute("VACUUM ANALYZE")
        start = time.perf_counter()
        with open_store(args.url) as store, store.transaction():
            words = store.refresh_ranking()
        print(f"lists of {words} common words: {time.perf_counter() - start:.0f} s", flush=True)
        print(conn.execute("SELECT count(*), pg_size_pretty(pg_database_size(current_database())) FROM documents")
              .fetchone())


if __name__ == "__main__":
    main()
