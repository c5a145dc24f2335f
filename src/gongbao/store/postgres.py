"""The gongbao database on PostgreSQL: the server store several portal machines share.

``open_store("postgresql://…")`` (store.engine) returns a ``PgStore``.  Everything but the engine's own
parts is the SQLite store's code: the same portable statements (store.pgconn translates
placeholders), the same migrations (``migrations/NNN_*.sql``, turned into PostgreSQL DDL by
``pg_ddl``, or ``migrations/pg/NNN_*.sql`` where the engines differ), the same records.

Full text: each present document and each outline node gets a ``tsvector`` made with the
``simple`` configuration from the same rjieba tokens SQLite's FTS5 index is given
(``search.tokenize``), in ``doc_search`` and ``node_search`` with GIN indexes; title and 文号
weigh A, issuers C, body D, and ``ts_rank`` orders matches (docs/scale.md has the measured
nDCG beside SQLite's BM25).  Where the server has the RUM access method (Debian's
``postgresql-15-rum``), the documents' index is a RUM index (migration 014), which keeps positions and so
hands back matches best first without reading their tsvectors: the best ``RERANK`` come from
it and only those are ranked by ``ts_rank`` — ranking no longer reads every match, the cost
that grew with the corpus (docs/scale.md).  Without RUM, a GIN index and ``ts_rank`` over
every match, as before.  A query matching very many documents is ranked among its words'
listed best documents (store.pgsearch).  An issue's rows go in with one statement (store.pgwrite).  Query expressions are the FTS5 ones of search.query, parsed
here into tsquery operators over ``phraseto_tsquery`` of each quoted unit, so both sides are
cut by the same PostgreSQL parser.  No extension is needed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, nullcontext, suppress
from pathlib import Path

from gongbao.errors import StoreError
from gongbao.search.tokenize import get_scheme
from gongbao.store.filters import Filters
from gongbao.store.fts import fill_tokens, node_tokens
from gongbao.store.migrate import MIGRATIONS_DIR, latest_version, migrations, run_python
from gongbao.store.pgconn import PgConn, safe_url
from gongbao.store import pgsearch
from gongbao.store.pgwrite import BatchConn, batched
from gongbao.store.read import NODE_TEXT_COLS
from gongbao.store.records import DocTokens, NodeText, Preamble
from gongbao.store.searchsql import index_filter
from gongbao.store.sqlite import Store

PG_DIR = MIGRATIONS_DIR / "pg"
MIGRATE_LOCK = 0x47424442  # pg_advisory_lock key: one migrating process at a time
RANK_WEIGHTS = "'{0.1, 0.2, 0.4, 1.0}'"  # ts_rank weights of D (body), C (issuers), B, A (title, 文号)
RANK = f"ts_rank({RANK_WEIGHTS}, x.tsv, q.q, 1)"
_DOC_JOIN = " JOIN documents d ON d.pk = x.pk LEFT JOIN issues i ON i.id = d.issue_id LEFT JOIN series s ON s.id = i.series_id"
# The full-text indexes by name.  The documents' is RUM's where the database has the extension
# (migration 014 installs it where the server has it and the role may), else GIN's.
FTS_INDEXES = {
    "doc_search_rum": "CREATE INDEX IF NOT EXISTS doc_search_rum ON doc_search USING rum (tsv rum_tsvector_ops)",
    "doc_search_tsv": "CREATE INDEX IF NOT EXISTS doc_search_tsv ON doc_search USING gin (tsv)",
    "node_search_tsv": "CREATE INDEX IF NOT EXISTS node_search_tsv ON node_search USING gin (tsv)",
}
SEARCH_DDL = (
    "CREATE TABLE IF NOT EXISTS doc_search (pk BIGINT PRIMARY KEY REFERENCES documents(pk) ON DELETE CASCADE,"
    " tsv tsvector NOT NULL)",
    FTS_INDEXES["doc_search_tsv"],
    "CREATE TABLE IF NOT EXISTS node_search (id BIGINT PRIMARY KEY REFERENCES outline_nodes(id) ON DELETE CASCADE,"
    " doc_pk BIGINT NOT NULL, tsv tsvector NOT NULL)",
    FTS_INDEXES["node_search_tsv"],
    # SQLite's instr(), which the portable statements use
    "CREATE OR REPLACE FUNCTION instr(text, text) RETURNS integer LANGUAGE sql IMMUTABLE PARALLEL SAFE"
    " AS 'SELECT strpos($1, $2)'",
)
# The tsvectors of documents d and their outline nodes n, from the token columns (store.fts).
_DOC_TSV_SHAPE = ("setweight(to_tsvector('simple', coalesce({title}, '')), 'A')"
                  " || setweight(to_tsvector('simple', coalesce({number}, '')), 'A')"
                  " || setweight(to_tsvector('simple', coalesce({issuers}, '')), 'C')"
                  " || setweight(to_tsvector('simple', coalesce({text}, '')), 'D')")
_DOC_TSV = _DOC_TSV_SHAPE.format(title="d.tok_title", number="d.tok_number", issuers="d.tok_issuers", text="d.tok_text")
_NODE_TSV_SHAPE = ("setweight(to_tsvector('simple', coalesce({heading}, '')), 'A')"
                   " || to_tsvector('simple', coalesce({text}, ''))")
_NODE_TSV = _NODE_TSV_SHAPE.format(heading="n.tok_heading", text=node_tokens())
# of the tokens sent with the rows (store.pgwrite: a JSON array of [id, doc_pk, heading, text])
_NODE_INDEX = ("INSERT INTO node_search(id, doc_pk, tsv) SELECT (r.v->>0)::bigint, (r.v->>1)::bigint,"
               f" {_NODE_TSV_SHAPE.format(heading='r.v->>2', text='r.v->>3')}"
               " FROM jsonb_array_elements(?::jsonb) AS r(v)")
# of the tokens sent with the rows (a JSON array of [pk, title, 文号, issuers, body])
_BODY_INDEX = ("INSERT INTO doc_search(pk, tsv) SELECT (r.v->>0)::bigint,"
               f" {_DOC_TSV_SHAPE.format(title='r.v->>1', number='r.v->>2', issuers='r.v->>3', text='r.v->>4')}"
               " FROM jsonb_array_elements(?::jsonb) AS r(v)")
BULK_MIN_FILES = 50  # a first ingest of at least this many files builds the indexes after the rows
BULK_MEMORY = "512MB"  # maintenance_work_mem while building them
RERANK = 200  # matches taken best first from the RUM index and ranked by ts_rank
INDEX_LAYOUT = "pg4"  # recorded with the scheme: another layout is indexed again when opened


def _doc_index(where: str) -> str:
    """The statement (re)indexing the present documents d matching ``where`` from their stored tokens."""
    return (f"INSERT INTO doc_search(pk, tsv) SELECT d.pk, {_DOC_TSV} FROM documents d WHERE {where}"
            " AND d.present = 1 ON CONFLICT (pk) DO UPDATE SET tsv = excluded.tsv")


def _index_documents(conn: PgConn, where: str, params: list, nodes: bool = True) -> None:
    """(Re)index the present documents d matching ``where`` and (unless not ``nodes``) their
    outline nodes, in two statements run by the server over the stored tokens."""
    conn.execute(_doc_index(where), params)
    if not nodes:
        return
    conn.execute(f"INSERT INTO node_search(id, doc_pk, tsv) SELECT n.id, n.doc_pk, {_NODE_TSV} FROM outline_nodes n"
                 f" JOIN documents d ON d.pk = n.doc_pk WHERE {where} AND d.present = 1"
                 " ON CONFLICT (id) DO UPDATE SET tsv = excluded.tsv", params)


def pg_ddl(sql: str) -> str:
    """A SQLite migration as PostgreSQL DDL: keys the database assigns become identity
    columns, integers 64-bit, blobs bytea."""
    sql = re.sub(r"\bINTEGER PRIMARY KEY\b", "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY", sql)
    sql = re.sub(r"\bBLOB\b", "BYTEA", sql)
    sql = re.sub(r"\bADD COLUMN\b", "ADD COLUMN IF NOT EXISTS", sql)  # as SQLite's migrate skips them
    return re.sub(r"\bINTEGER\b", "BIGINT", sql)


def migration_source(path: Path) -> Path:
    """The file of a migration PostgreSQL runs: its pg/ variant (SQL or Python) when there is one."""
    for suffix in (".py", ".sql"):
        own = PG_DIR / f"{path.stem}{suffix}"
        if own.exists():
            return own
    return path


def migration_sql(path: Path) -> str:
    """The PostgreSQL text of an SQL migration: its pg/ variant when there is one."""
    own = migration_source(path)
    return own.read_text(encoding="utf-8") if own != path else pg_ddl(path.read_text(encoding="utf-8"))


# --- FTS5 expression → tsquery ------------------------------------------------------------

_EXPR_TOKEN = re.compile(r'"((?:[^"]|"")*)"(\*?)|(\()|(\))|\b(AND|OR|NOT)\b')


class _Expr:
    """Recursive descent over the FTS5 expressions search.query makes (quoted units, AND, OR,
    NOT, parentheses; NOT binds tightest, then AND, then OR), written as a tsquery SQL
    expression with one parameter per unit."""

    def __init__(self, expression: str) -> None:
        self.tokens = [m for m in _EXPR_TOKEN.finditer(expression)]
        self.i = 0
        self.params: list[str] = []

    def _peek(self, word: str) -> bool:
        return self.i < len(self.tokens) and self.tokens[self.i].group(5) == word

    def parse(self) -> str:
        return self._or()

    def _or(self) -> str:
        parts = [self._and()]
        while self._peek("OR"):
            self.i += 1
            parts.append(self._and())
        return parts[0] if len(parts) == 1 else "(" + " || ".join(parts) + ")"

    def _and(self) -> str:
        parts = [self._not()]
        while self._peek("AND"):
            self.i += 1
            parts.append(self._not())
        return parts[0] if len(parts) == 1 else "(" + " && ".join(parts) + ")"

    def _not(self) -> str:
        out = self._primary()
        while self._peek("NOT"):
            self.i += 1
            out = f"({out} && !!{self._primary()})"
        return out

    def _primary(self) -> str:
        token = self.tokens[self.i]
        self.i += 1
        if token.group(3):
            inner = self._or()
            self.i += 1  # the closing parenthesis
            return inner
        text = token.group(1).replace('""', '"')
        if token.group(2):  # a prefix: any token starting with it
            self.params.append("'" + text.replace("'", "''").replace("\\", "\\\\") + "':*")
            return "to_tsquery('simple', ?)"
        self.params.append(text)
        return "phraseto_tsquery('simple', ?)"


def tsquery(expression: str) -> tuple[str, list[str]]:
    """(SQL tsquery expression, its parameters) for an FTS5 ``expression``."""
    parser = _Expr(expression)
    return parser.parse(), parser.params


class PgStore(Store):
    """A gongbao database on PostgreSQL (see the module's doc)."""

    GROUP_CONCAT = "string_agg"

    engine = "postgresql"
    rum = False  # whether the documents' index is RUM's (set when opened)

    @classmethod
    def open(cls, path: str, create: bool = True, readonly: bool = False, tokenizer: str | None = None) -> PgStore:
        conn = PgConn(path)
        with conn.pinned():
            scheme = cls._prepare_pg(conn, path, readonly, tokenizer)
            if not readonly:  # a bulk load stopped before it built them
                _build_indexes(conn)
            rum = "doc_search_rum" in _present_indexes(conn)
        store = cls(conn, path, readonly, scheme)
        store.rum = rum
        conn.time_left = store.time_left  # statement_timeout follows the store's budget
        return store

    @staticmethod
    def _prepare_pg(conn: PgConn, url: str, readonly: bool, tokenizer: str | None) -> str:
        version = _schema_version(conn, url)
        latest = latest_version()
        if version > latest:
            raise StoreError(f"{safe_url(url)} 由更新版本的 gongbao 建立（结构版本 {version}，本版本只认识到 {latest}）；请升级 gongbao")
        if version < latest or not readonly:
            _migrate(conn, url)
        recorded = conn.execute("SELECT value FROM meta WHERE key = 'fts_scheme'").fetchone()
        scheme = get_scheme(tokenizer or (recorded["value"].split(":")[0] if recorded else None))
        if scheme.index is None:
            raise StoreError(f"the {scheme.name} scheme indexes raw text, which PostgreSQL's index cannot cut; use words")
        tag = f"{scheme.name}:{scheme.version}:{INDEX_LAYOUT}"
        if recorded is None or recorded["value"] != tag:
            if readonly:
                raise StoreError(f"{safe_url(url)}: its index is not built yet; open it for writing once")
            with conn.pinned():
                conn.execute("BEGIN")
                try:
                    _reindex_all(conn, scheme)
                    conn.execute("INSERT INTO meta(key, value) VALUES ('fts_scheme', ?) ON CONFLICT (key) DO UPDATE"
                                 " SET value = excluded.value", (tag,))
                    conn.execute("COMMIT")
                except BaseException:
                    conn.raw.rollback()
                    raise
        return scheme.name

    def close(self) -> None:
        """Nothing is held between statements (the pool keeps the connections)."""

    @contextmanager
    def snapshot(self) -> Iterator[PgStore]:
        """Reads that see one state of the database (one connection held, REPEATABLE READ):
        as the SQLite store's. Inside a transaction already: that one."""
        if self.conn.raw is not None:
            yield self
            return
        with self.conn.pinned():
            self.conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            self.conn.reading = True
            try:
                yield self
            finally:
                self.conn.reading = False
                self.conn.rollback()

    @contextmanager
    def transaction(self) -> Iterator[PgStore]:
        """One write transaction; anything raised inside (Ctrl-C, a lost server) rolls it back."""
        if self.readonly:
            raise StoreError(f"database {safe_url(self.path)} was opened read-only")
        with self.conn.pinned():
            self.conn.begin()
            try:
                yield self
                # one round trip with the statements held for it (at_commit)
                self.conn.commit("UPDATE meta SET value = (value::bigint + 1)::text WHERE key = 'generation'")
            except BaseException:
                self.conn.rollback()
                raise

    def batch(self) -> nullcontext[PgStore]:
        """Each transaction commits on its own (a server's commit is cheap beside SQLite's
        index flush, and a batch would hold the locks of many issues)."""
        return nullcontext(self)

    def _tuples(self, sql: str, params: list | tuple = ()) -> list[tuple]:
        return self.conn.execute(sql, params, tuples=True).fetchall()

    def _version(self) -> tuple:
        return (self._value("SELECT value FROM meta WHERE key = 'generation'"),)

    def has_table(self, table: str) -> bool:
        return bool(self._value("SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()"
                                " AND table_name = ?", [table]))

    def table_columns(self, table: str) -> list[str]:
        return self._column("SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema()"
                            " AND table_name = ? ORDER BY ordinal_position", [table])

    def after_copy(self, tables: list[str]) -> None:
        """Move the key sequences past the copied keys and index every copied issue."""
        for table in tables:
            key = "pk" if table == "documents" else "id"
            if key in self.table_columns(table) and self._value("SELECT pg_get_serial_sequence(?, ?)", [table, key]):
                self.conn.execute(f"SELECT setval(pg_get_serial_sequence('{table}', '{key}'),"
                                  f" coalesce((SELECT max({key}) FROM {table}), 0) + 1, false)")
        fill_tokens(self.conn, get_scheme(self.scheme), "present = 1")  # its tokens are not copied (transfer.DERIVED)
        for issue_id in self._column("SELECT id FROM issues ORDER BY id"):
            _index_documents(self.conn, "d.issue_id = ?", [issue_id])
        self.refresh_ranking()

    def refresh_ranking(self) -> int:
        """List the best documents of every common word again (store.pgsearch; with the RUM
        index only, whose order makes them); returns how many words are common."""
        if "doc_search_rum" not in _present_indexes(self.conn):
            return 0
        return pgsearch.refresh(self.conn, RANK_WEIGHTS)

    def schema_version(self) -> int:
        """The schema version of this open gongbao database: one look-up, not the catalogue
        query that tells a gongbao database from another program's at open (0.5 ms of server
        time; every search and portal page asks, through ``portal_fresh``)."""
        return int(self._value("SELECT max(version) FROM gongbao_schema") or 0)

    def size_bytes(self) -> int:
        return int(self._value("SELECT pg_database_size(current_database())"))

    @contextmanager
    def bulk_load(self, files: int) -> Iterator[None]:
        """A first ingest of ``files`` files into an empty database: the full-text indexes are
        dropped and built once the rows are in — for RUM 13× cheaper than keeping the index
        row by row (docs/scale.md) — and the common words' best documents listed.  Stopped half-way, the next store opened for writing
        builds them.  Otherwise nothing changes."""
        if self.readonly or files < BULK_MIN_FILES or self._value("SELECT EXISTS (SELECT 1 FROM documents)"):
            yield
            return
        for name in _present_indexes(self.conn):
            self.conn.execute(f"DROP INDEX {name}")
        try:
            yield
        except BaseException:
            with suppress(StoreError):  # the server is gone: the next open builds them
                _build_indexes(self.conn)
            raise
        _build_indexes(self.conn)
        with self.transaction():  # searches read the lists as they were until it is done
            self.refresh_ranking()

    def _issue_writer(self):
        """The issue's rows go in together, in one statement, when it is written (store.pgwrite)."""
        return batched(self.conn)

    def _counts_node_terms(self) -> bool:
        return False  # no node_terms: its node index counts a token's nodes (migrations/pg/021)

    def _writer_hooks(self, counts: list) -> dict:
        """The documents and their nodes are indexed from the tokens in hand, so the body's
        token string is not stored (its TOAST compression and its reading back cost the
        server more than the tsvector did; docs/scale.md); a replaced issue's index rows
        (doc_search) go with its documents."""
        return {"index_nodes": self._index_nodes, "index_body": self._index_body}

    @staticmethod
    def _index_nodes(conn: BatchConn, doc_pk: int, rows: list[tuple[int, str, str | None]]) -> None:
        """Index a document's new outline nodes from the tokens the writer holds: sent with the
        rows rather than cut out of the stored token string per node by the server (which
        reads the whole string again for each node of a long law); one statement for the
        issue's nodes."""
        conn.later.setdefault(_NODE_INDEX, []).extend(
            (node_id, doc_pk, heading, text) for node_id, heading, text in rows)

    @staticmethod
    def _index_body(conn: BatchConn, doc_pk: int, tokens: DocTokens) -> None:
        """Index a document from the tokens the writer holds, with the issue's rows (one
        statement for the issue's documents)."""
        conn.later.setdefault(_BODY_INDEX, []).append(
            (doc_pk, tokens.title, tokens.doc_number, tokens.issuers, tokens.text))

    def _index_issue(self, issue_id: int) -> None:
        """Put the issue's documents (indexed as they went in) in the lists of the common words
        they rank high for."""
        self.conn.at_commit(pgsearch.adding(RANK_WEIGHTS, "x.pk IN (SELECT pk FROM documents WHERE issue_id = ?)"),
                            [issue_id])

    def _index_document(self, pk: int) -> None:
        """Cut an edited document's title, 文号 and issuers again and index it anew."""
        fill_tokens(self.conn, get_scheme(self.scheme), "pk = ?", [pk])
        self.conn.execute("DELETE FROM doc_search WHERE pk = ?", [pk])
        _index_documents(self.conn, "d.pk = ?", [pk])

    # --- full-text index --------------------------------------------------------------

    def _matches(self, table: str, expression: str, join: str = "") -> tuple[str, list]:
        """FROM … WHERE over ``table`` (alias x, ``join`` added) matching ``expression``, and
        its parameters."""
        query, params = tsquery(expression)
        return f"{table} x CROSS JOIN (SELECT {query} AS q) q{join} WHERE x.tsv @@ q.q", params

    def _documents_matching(self, expression: str, filters: Filters | None) -> tuple[str, list]:
        where, params = index_filter(filters)
        if where is None:
            return self._matches("doc_search", expression)
        match, args = self._matches("doc_search", expression, _DOC_JOIN)
        return f"{match} AND {where}", [*args, *params]

    def fts_matching(self, expression: str, filters: Filters | None = None, limit: int | None = None) -> list[int]:
        if limit is not None and index_filter(filters)[0] is None:
            found = self._column(*pgsearch.first_matches(*tsquery(expression), " OR " in expression, int(limit)))
            if len(found) == limit:
                return found
        match, args = self._documents_matching(expression, filters)
        return self._column(f"SELECT x.pk FROM {match} LIMIT ?", [*args, limit])  # LIMIT NULL: all

    def fts_best(self, expression: str, filters: Filters | None, k: int) -> list[tuple[int, float]]:
        if self.rum:  # no filter (search's empty Filters too): the common words' lists serve
            statement = self._listed(expression, k) if index_filter(filters)[0] is None else None
            rows = self._tuples(*(statement or self._reranked(expression, filters, k)))
            return [(pk, float(rank)) for pk, rank in rows]
        match, args = self._documents_matching(expression, filters)
        rows = self._tuples(f"SELECT x.pk, {RANK} AS rank FROM {match} ORDER BY rank DESC, x.pk LIMIT ?", [*args, k])
        return [(pk, float(rank)) for pk, rank in rows]

    def _listed(self, expression: str, k: int) -> tuple[str, list] | None:
        """The statement ranking ``expression``'s matches among its words' listed best
        documents (store.pgsearch) when its words are common; None when its matches are
        ranked from the RUM index."""
        query, params = tsquery(expression)
        if re.search(r"\bto_tsquery", query):  # a prefix unit: no one word's list holds its best
            return None
        if not self._value(*pgsearch.listed(params, " OR " in expression)):
            return None
        return pgsearch.best(query, params, params, RANK_WEIGHTS, k)

    @staticmethod
    def _reranked(expression: str, filters: Filters | None, k: int) -> tuple[str, list]:
        """The statement giving (pk, rank) of the ``k`` best documents matching ``expression``
        (and ``filters``): the RERANK best in the RUM index's order (its own rank, read from
        the index), those ranked by ``ts_rank``.  The tsquery is written out in the ORDER BY
        (a constant the index can order by), not joined in."""
        query, params = tsquery(expression)
        where, filter_params = index_filter(filters)
        join, where = (_DOC_JOIN, f" AND {where}") if where is not None else ("", "")
        best = (f"SELECT x.pk, x.tsv FROM doc_search x{join} WHERE x.tsv @@ {query}{where}"
                f" ORDER BY x.tsv <=> {query} LIMIT ?")
        sql = f"SELECT c.pk, ts_rank({RANK_WEIGHTS}, c.tsv, {query}, 1) AS rank FROM ({best}) c ORDER BY rank DESC, c.pk LIMIT ?"
        return sql, [*params, *params, *filter_params, *params, max(RERANK, k), k]

    def fts_nodes(self, expression: str, limit: int) -> list[NodeText]:
        match, args = self._matches("node_search", expression,
                                    " JOIN outline_nodes n ON n.id = x.id JOIN documents d ON d.pk = n.doc_pk")
        # the texts cut from the documents' texts the store keeps, as on SQLite (SearchQueries._nodes)
        return self._nodes(f"SELECT n.id, n.doc_pk, n.parent_id, n.anchor, n.number, n.heading, {NODE_TEXT_COLS}"
                           f" FROM {match} AND d.present = 1 ORDER BY ts_rank(x.tsv, q.q) DESC, n.id LIMIT ?",
                           [*args, limit])

    def fts_preambles(self, expression: str, limit: int) -> list[Preamble]:
        if self.rum:  # the index holds present documents only
            order = [pk for pk, _ in self.fts_best(expression, None, limit)]
            if not order:
                return []
            rows = {r["pk"]: r for r in self._rows(
                "SELECT d.pk, d.title, d.text, d.body_spans, (SELECT min(n.line_first) FROM outline_nodes n"
                f" WHERE n.doc_pk = d.pk) AS first_node FROM documents d WHERE d.pk = ANY(?)", [order])}
            return [Preamble(**rows[pk]) for pk in order]
        match, args = self._matches("doc_search", expression, " JOIN documents d ON d.pk = x.pk")
        rows = self._rows(
            "SELECT d.pk, d.title, d.text, d.body_spans, (SELECT min(n.line_first) FROM outline_nodes n"
            f" WHERE n.doc_pk = d.pk) AS first_node FROM {match} AND d.present = 1 ORDER BY {RANK} DESC, d.pk LIMIT ?",
            [*args, limit])
        return [Preamble(**r) for r in rows]

    def fts_node_count(self, expression: str) -> int:
        match, args = self._matches("node_search", expression)
        return self._value(f"SELECT count(*) FROM {match}", args)

    def fts_node_frequency(self, token: str) -> int:
        return self._value("SELECT count(*) FROM node_search WHERE tsv @@ phraseto_tsquery('simple', ?)", [token])


def _reindex_all(conn: PgConn, scheme) -> None:
    """Cut every stored text again under ``scheme`` and rebuild the index (a database made
    before the token columns, or asked for another scheme)."""
    if conn.execute("SELECT count(*) AS n FROM documents").fetchone()["n"]:
        fill_tokens(conn, scheme)
    conn.execute("DELETE FROM node_search")
    conn.execute("DELETE FROM doc_search")
    _index_documents(conn, "1 = 1", [])


def _present_indexes(conn: PgConn) -> list[str]:
    """The full-text indexes the database has."""
    return [r["indexname"] for r in conn.execute(
        "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() AND indexname = ANY(?)",
        [list(FTS_INDEXES)])]


def _build_indexes(conn: PgConn) -> None:
    """Make the full-text indexes the database should have and lacks, each on a connection of
    its own at the same time: a build runs on one core, and after a first load the two were
    its last minutes on one core of two."""
    rum = conn.execute("SELECT count(*) AS n FROM pg_extension WHERE extname = 'rum'").fetchone()["n"]
    wanted = ["doc_search_rum" if rum else "doc_search_tsv", "node_search_tsv"]
    missing = [name for name in wanted if name not in _present_indexes(conn)]
    if not missing:
        return
    with ThreadPoolExecutor(len(missing)) as builders:
        for built in [builders.submit(_build_index, conn.url, name) for name in missing]:
            built.result()
    conn.execute("ANALYZE doc_search")
    conn.execute("ANALYZE node_search")


def _build_index(url: str, name: str) -> None:
    one = PgConn(url)
    with one.pinned():
        one.execute(f"SET maintenance_work_mem = '{BULK_MEMORY}'")
        try:
            one.execute(FTS_INDEXES[name])
        finally:
            if not one.raw.closed:
                one.execute("RESET maintenance_work_mem")


def _schema_version(conn: PgConn, url: str) -> int:
    """The schema version of a gongbao database; 0 for an empty one; StoreError for another
    program's."""
    tables = {r["table_name"] for r in conn.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()")}
    if "gongbao_schema" in tables:
        row = conn.execute("SELECT max(version) AS v FROM gongbao_schema").fetchone()
        return int(row["v"] or 0)
    if tables:
        raise StoreError(f"{safe_url(url)} 不是 gongbao 数据库（其中已有别的程序的表：{', '.join(sorted(tables)[:3])}…）")
    return 0


def _migrate(conn: PgConn, url: str) -> list[int]:
    """Apply every pending migration, each in its own transaction, one process at a time."""
    applied = []
    conn.execute("SELECT pg_advisory_lock(?)", (MIGRATE_LOCK,))
    try:
        conn.execute("CREATE TABLE IF NOT EXISTS gongbao_schema (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)")
        version = _schema_version(conn, url)
        for migration in migrations():
            if migration.version <= version:
                continue
            conn.execute("BEGIN")
            try:
                source = migration_source(migration.path)
                if source.suffix == ".py":
                    run_python(source, lambda sql, params=(): conn.execute(sql, params, tuples=True).fetchall())
                else:
                    conn.execute(migration_sql(migration.path))
                if migration.version == 1:
                    for statement in SEARCH_DDL:
                        conn.execute(statement)
                    conn.execute("INSERT INTO meta(key, value) VALUES ('application', 'gongbao'), ('generation', '0')")
                conn.execute("INSERT INTO gongbao_schema(version, applied_at) VALUES (?, now()::text)", (migration.version,))
                conn.execute("COMMIT")
            except BaseException as exc:
                conn.raw.rollback()
                if isinstance(exc, StoreError):
                    raise StoreError(f"migration {migration.name} failed: {exc}") from exc
                raise
            applied.append(migration.version)
    finally:
        if not conn.raw.closed:
            conn.execute("SELECT pg_advisory_unlock(?)", (MIGRATE_LOCK,))
    return applied
