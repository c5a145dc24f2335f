"""The PostgreSQL connection as the store's statements see it: psycopg 3 behind the small
part of the ``sqlite3`` interface the store uses (``execute``, ``executemany``, rows as dicts
with JSON columns decoded, ``lastrowid``), so one text of each portable statement serves both
engines.  Placeholders are translated (``?`` and ``:name`` → psycopg's), connections come
from a psycopg_pool pool per URL, and psycopg's errors become one clear StoreError line.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit

from gongbao.errors import StoreError
from gongbao.store.read import decode_row

# A quoted string, or a placeholder, or a literal % (psycopg reads % as its own marker).
_TOKEN = re.compile(r"'(?:[^']|'')*'|\?|(?<!:):([A-Za-z_]\w*)|%")
# Tables whose key the database assigns: an INSERT into one returns it (lastrowid).
KEYED = {"documents": "pk", "issues": "id", "series": "id", "outline_nodes": "id", "tasks": "id",
          "issue_revisions": "id", "qa_entries": "id", "doc_tables": "id", "citations": "id", "relations": "id",
          "attachments": "id", "embedded": "id", "articles": "id", "toc_entries": "id", "reconciliation": "id"}
_INSERT = re.compile(r"^\s*INSERT\s+INTO\s+(\w+)", re.IGNORECASE)
# A read of the full-text tables (store.postgres): planned without sequential scans (indexed).
_FULL_TEXT_READ = re.compile(r"^\s*(?:SELECT|WITH)\b(?!.*\b(?:INSERT|UPDATE|DELETE)\b).*\b(?:doc_search|node_search)\b",
                             re.IGNORECASE | re.DOTALL)
# Sent before such a read in the same simple query, an implicit transaction: the settings
# last for that statement only.  A read in the RUM index's order (<=>) is kept from bitmap
# scans too, which compute the order from every match's stored tsvector before sorting.
_NO_SEQSCAN = "SET LOCAL enable_seqscan = off; "
_NO_BITMAP = "SET LOCAL enable_bitmapscan = off; "
_SETTING = re.compile(r"SET LOCAL (\w+) = \w+;")
# A read marked so wants the table's rows in their stored order from the first: one process
# reading from block 0 (not joining another scan midway), no index.
TABLE_ORDER = "/* in table order */"
_TABLE_ORDER_SETTINGS = ("SET LOCAL enable_indexscan = off; SET LOCAL enable_bitmapscan = off;"
                         " SET LOCAL synchronize_seqscans = off; SET LOCAL max_parallel_workers_per_gather = 0; ")
POOL_MAX = 16  # connections per URL and process
RESERVE_BLOCK = 256  # keys taken from a sequence at once (reserve_ids)


def is_url(target: object) -> bool:
    return isinstance(target, str) and target.startswith(("postgresql://", "postgres://"))


def safe_url(url: str) -> str:
    """The URL without its password, for messages."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    return url.replace(f":{parts.password}@", ":***@", 1)


def translate(sql: str) -> str:
    """SQLite placeholders → psycopg's; a literal % doubled."""
    def sub(m: re.Match) -> str:
        text = m.group(0)
        if text.startswith("'"):
            return text.replace("%", "%%")
        if text == "?":
            return "%s"
        if text == "%":
            return "%%"
        return f"%({m.group(1)})s"

    return _TOKEN.sub(sub, sql)


def _returning(sql: str) -> str:
    m = _INSERT.match(sql)
    if m and m.group(1) in KEYED and "RETURNING" not in sql.upper():
        return f"{sql} RETURNING {KEYED[m.group(1)]}"
    return sql


class PgCursor:
    """The rows of one statement, fetched at once (statements return few rows, or are paged)."""

    def __init__(self, rows: list, rowcount: int, lastrowid: int | None) -> None:
        self._rows = rows
        self.rowcount = rowcount
        self.lastrowid = lastrowid

    def fetchone(self):
        return self._rows[0] if self._rows else None

    def fetchall(self) -> list:
        return self._rows

    def __iter__(self) -> Iterator:
        return iter(self._rows)


class PgConn:
    """A PostgreSQL database speaking the store's statements (rows as dicts or, with
    ``tuples``, as tuples).  Each statement borrows a connection of the URL's pool, except
    inside ``pinned()`` (a transaction, a migration), which holds one throughout: so a portal
    thread holds no connection between requests."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.raw = None  # the pinned connection, if any
        self.time_left: Callable[[], float | None] = lambda: None  # the store's budget clock
        self._keys: dict[str, list[int]] = {}  # keys reserved from each table's sequence, not yet used
        self.held: list[tuple[str, Sequence]] = []  # statements sent with the commit (at_commit)
        self._begin = False  # a BEGIN waiting to go with the next statement (begin)
        self.reading = False  # inside a read-only snapshot (PgStore.snapshot): reads are planned as outside one
        self.column_types: dict[str, dict[str, str]] = {}  # table → column → SQL type (store.pgwrite)

    @property
    def in_transaction(self) -> bool:
        from psycopg.pq import TransactionStatus

        return self.raw is not None and self.raw.info.transaction_status != TransactionStatus.IDLE

    @contextmanager
    def pinned(self) -> Iterator[None]:
        """Hold one connection for the statements inside (nested calls share it)."""
        if self.raw is not None:
            yield
            return
        with borrowed(self.url) as raw:
            self.raw = raw
            try:
                yield
            finally:
                self.raw, self._begin = None, False

    @contextmanager
    def _connection(self) -> Iterator[Any]:
        if self.raw is not None:
            yield self.raw
        else:
            with borrowed(self.url) as raw:
                yield raw

    def execute(self, sql: str, params: Sequence | dict = (), tuples: bool = False) -> PgCursor:
        import psycopg

        keyed = _returning(sql)
        with self._connection() as raw, pg_errors():
            seconds = self.time_left()
            prefix = self._prefix(raw, keyed, sql, seconds is None)
            with (psycopg.ClientCursor(raw) if prefix else raw.cursor()) as cur, _timeout(cur, seconds):
                result = self._run(cur, keyed, sql, params, tuples, prefix)
                if self.reading and prefix.startswith("SET LOCAL"):  # the snapshot's later reads plan as usual
                    cur.execute(_SETTING.sub(r"SET LOCAL \1 TO DEFAULT;", prefix))
                return result

    def begin(self) -> None:
        """Start a transaction on the pinned connection: its BEGIN goes with the next statement,
        in one simple query — a round trip less per transaction (an issue written costs a few)."""
        self._begin = True

    def _prefix(self, raw: Any, keyed: str, sql: str, foldable: bool = False) -> str:
        """What is sent before ``sql`` in its simple query: the transaction's BEGIN (sent on
        its own here when it cannot go along: a statement under a time limit, whose setting
        must fall inside the transaction), or a full-text read's settings; '' for nothing."""
        if self._begin and foldable:
            self._begin = False
            return "BEGIN; "
        self._begun(raw)
        if not _indexed(raw, keyed, self.reading):
            return ""
        return _TABLE_ORDER_SETTINGS if TABLE_ORDER in sql else _NO_SEQSCAN + (_NO_BITMAP if "<=>" in keyed else "")

    def _begun(self, raw: Any) -> None:
        """The transaction's BEGIN, if it waits, sent on its own."""
        if self._begin:
            self._begin = False
            raw.execute("BEGIN")

    def rollback(self) -> None:
        """End the pinned connection's transaction without its changes (one that sent nothing
        yet has nothing to roll back)."""
        self.held.clear()
        self._begin = False
        if not self.raw.closed and self.in_transaction:
            with pg_errors():
                self.raw.rollback()

    @staticmethod
    def _run(cur: Any, keyed: str, sql: str, params: Sequence | dict, tuples: bool, prefix: str) -> PgCursor:
        text = translate(keyed) if params else keyed
        if prefix:
            text, params = prefix + cur.mogrify(text, params or None), ()
        cur.execute(text, params if params else None)
        while cur.description is None and cur.nextset():  # past the setting's result, to the read's
            pass
        rows: list = []
        if cur.description is not None:
            names = [d.name for d in cur.description]
            rows = cur.fetchall() if tuples else [decode_row(names, r) for r in cur.fetchall()]
        lastrowid = None
        if keyed is not sql and rows:
            lastrowid = rows[-1][0] if tuples else rows[-1][KEYED[_INSERT.match(sql).group(1)]]
        return PgCursor(rows, cur.rowcount, lastrowid)

    def at_commit(self, sql: str, params: Sequence = ()) -> None:
        """Run ``sql`` at the end of the transaction, sent with its COMMIT: for a statement
        whose result nobody reads (an issue's index rows), no round trip of its own."""
        self.held.append((sql, params))

    def commit(self, last: str) -> None:
        """``last``, then COMMIT, after the statements held by ``at_commit``: one simple query
        (the parameters bound here, quoted by psycopg), one round trip."""
        import psycopg

        held, self.held = self.held, []
        with self._connection() as raw:
            bound = [psycopg.ClientCursor(raw).mogrify(translate(sql), params) if params else sql
                     for sql, params in held]
        self.execute("; ".join([*bound, last, "COMMIT"]))

    def reserve_ids(self, table: str, n: int) -> list[int]:
        """``n`` new keys from the sequence of ``table``'s key: taken from the sequence
        RESERVE_BLOCK at a time and handed out from here (a key reserved and never used is
        a gap, as a rolled-back insert leaves one), so most calls cost no round trip."""
        kept = self._keys.setdefault(table, [])
        if len(kept) < n:
            rows = self.execute(f"SELECT nextval(pg_get_serial_sequence('{table}', '{KEYED[table]}'))"
                                " FROM generate_series(1, %s)" % max(int(n), RESERVE_BLOCK), tuples=True).fetchall()
            kept.extend(row[0] for row in rows)
        out, self._keys[table] = kept[:n], kept[n:]
        return out

    def executemany(self, sql: str, seq: Sequence) -> None:
        seq = list(seq)
        if seq:
            with self._connection() as raw, pg_errors(), raw.cursor() as cur:
                self._begun(raw)
                cur.executemany(translate(sql), seq)

    def copy_rows(self, table: str, columns: Sequence[str], rows: Iterable[Sequence]) -> None:
        """Rows into ``table`` by COPY: one stream, where executemany is a statement per row
        (a million rows: seconds instead of minutes)."""
        with self._connection() as raw, pg_errors(), raw.cursor() as cur:
            self._begun(raw)
            with cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)


def _indexed(raw: Any, sql: str, reading: bool = False) -> bool:
    """Whether ``sql`` is a read of the full-text tables outside a transaction (or in a
    read-only snapshot, where the settings are undone after it): it is sent
    after a setting forbidding sequential scans, in one simple query (its parameters bound
    client-side).  The planner's cost of a scan counts the table's pages, not its TOASTed
    tsvectors: with a few thousand documents it chose to read and match every tsvector
    (30–70 ms a query) over the index (under 1 ms), and to order a word's matches by reading
    them all (36 ms) over the RUM index's order (6 ms) — the search p95 of 75 ms at 3,505
    documents (docs/scale.md)."""
    from psycopg.pq import TransactionStatus

    return (reading or raw.info.transaction_status == TransactionStatus.IDLE) and bool(_FULL_TEXT_READ.match(sql))


@contextmanager
def _timeout(cur: Any, seconds: float | None) -> Iterator[None]:
    """The statement inside runs under ``statement_timeout`` = the budget's time left (the
    server cancels it, pg_errors turns that into QueryBudgetError); the pooled connection
    is handed back without the limit."""
    if seconds is None:
        yield
        return
    from psycopg.pq import TransactionStatus

    cur.execute("SELECT set_config('statement_timeout', %s, false)", (str(max(1, int(seconds * 1000))),))
    try:
        yield
    finally:
        # In a failed transaction the rollback undoes the setting itself.
        if not cur.connection.closed and cur.connection.info.transaction_status != TransactionStatus.INERROR:
            cur.execute("SELECT set_config('statement_timeout', '0', false)")


_pools: dict[str, Any] = {}
_pools_lock = threading.Lock()


def pool(url: str):
    """The connection pool of ``url`` in this process (made on first use, checked at once)."""
    import logging  # here, not at the top: a SQLite store's process (`gongbao ask`) never logs through it

    from psycopg_pool import ConnectionPool

    with _pools_lock:
        found = _pools.get(url)
        if found is None:
            # the pool logs each failed attempt; the caller reports the failure once, in Chinese
            logging.getLogger("psycopg.pool").addHandler(logging.NullHandler())
            found = ConnectionPool(url, min_size=0, max_size=POOL_MAX, open=False, timeout=3,
                                   kwargs={"autocommit": True, "connect_timeout": 5})
            found.open(wait=False)
            _pools[url] = found
        return found


@contextmanager
def borrowed(url: str) -> Iterator[Any]:
    """A connection of ``url``'s pool for the block (a lost one is discarded on return)."""
    import psycopg_pool

    try:
        with pool(url).connection() as raw:
            yield raw
    except psycopg_pool.PoolTimeout as exc:
        raise ServerGoneError(_unreachable(url)) from exc


def generation(url: str) -> str | None:
    """The database's write counter (bumped by every write transaction), for caches; None
    while the server cannot be reached."""
    try:
        with pool(url).connection(timeout=2) as raw:
            row = raw.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()
    except Exception:  # noqa: BLE001 - a server down answers "unknown": nothing is cached then
        return None
    return row[0] if row else None


def _unreachable(url: str) -> str:
    """Why a connection to ``url`` failed, in one line (asked of the server directly)."""
    import psycopg

    try:
        psycopg.connect(url, connect_timeout=5).close()
    except psycopg.OperationalError as exc:
        return _connect_message(url, str(exc))
    return f"无法连接 PostgreSQL 数据库 {safe_url(url)}（连接池已满或超时）"


def _connect_message(url: str, message: str) -> str:
    where = safe_url(url)
    if "password authentication failed" in message or "no password supplied" in message:
        return f"PostgreSQL 拒绝登录 {where}：用户名或密码错误"
    if "does not exist" in message and "database" in message:
        return f"PostgreSQL 上没有数据库 {where}（请先 createdb）"
    if "invalid" in message and ("dsn" in message or "URI" in message or "connection option" in message):
        return f"数据库地址无效：{where}"
    return f"无法连接 PostgreSQL 数据库 {where}：服务器未运行或不可达（{message.strip().splitlines()[0]}）"


@contextmanager
def pg_errors() -> Iterator[None]:
    """psycopg's errors as one StoreError line; a lost server as ServerGoneError."""
    import psycopg

    try:
        yield
    except psycopg.errors.QueryCanceled as exc:  # before OperationalError, its base class
        from gongbao.errors import QueryBudgetError

        raise QueryBudgetError("查询超出时间限制，已被数据库中止；请缩小查询范围") from exc
    except psycopg.OperationalError as exc:
        raise ServerGoneError(f"与 PostgreSQL 服务器的连接中断：{str(exc).strip().splitlines()[0]}") from exc
    except psycopg.Error as exc:
        raise StoreError(f"PostgreSQL: {str(exc).strip().splitlines()[0]}") from exc


class ServerGoneError(StoreError):
    """The PostgreSQL server went away (restarted, stopped): retry later."""
