"""How many outline nodes hold each index token, kept as issues are written (SQLite).

A clause's BM25 idf and a question word's frequency are node frequencies.  Counted from the
index at query time, a very common word pays a read of all its places in the bodies (0.4 s
for 的 on lawref).  So the writer keeps them in ``node_terms`` (migration 021): each node
counts once for each token of its heading or text, added as its document goes in and taken
off, from its stored texts cut again, before an issue's older revision is deleted.

The table is trusted only while meta holds ``node_terms``: triggers take that mark away when
outline nodes change any other way (the sqlite3 shell, a copy between databases, a new
tokenisation scheme), and the writer puts it back after each issue it counted.  The next
open for writing counts the whole database again (``refresh``); until then readers count
from the index as before.
"""

from __future__ import annotations

from collections.abc import Iterable

from gongbao.search.tokenize import Scheme
from gongbao.store.fts import recut

FRESH = "node_terms"  # the meta key

Delta = dict[str, int]  # token → nodes holding it added (taken off: negative)
# Documents' counts (``DocTokens.node_terms``, made where their tokens were cut) with their
# sign: +1 going in, -1 going out.  The writer keeps them as they come and sums them once,
# when its transaction commits (summing each issue's as it was written cost twice as much).
Counts = list[tuple[int, Delta]]


def total(counts: Iterable[tuple[int, Delta]]) -> Delta:
    """The sum of ``counts``: each token's nodes added (taken off: negative)."""
    out: Delta = {}
    get = out.get
    for sign, terms in counts:
        if not out and sign > 0:
            out.update(terms)  # the first document's as it is (copied in C)
            continue
        for token, n in terms.items():
            out[token] = get(token, 0) + sign * n
    return out


def is_fresh(conn) -> bool:
    return conn.execute("SELECT 1 FROM meta WHERE key = ?", (FRESH,)).fetchone() is not None


def mark_fresh(conn) -> None:
    conn.execute("INSERT INTO meta(key, value) VALUES (?, '1') ON CONFLICT(key) DO NOTHING", (FRESH,))


def add(conn, delta: Delta) -> None:
    """Apply what issues written (and counted) changed; a token no node holds is dropped."""
    changed = sorted((token, n) for token, n in delta.items() if n)
    conn.executemany("INSERT INTO node_terms(term, nodes) VALUES (?, ?)"
                     " ON CONFLICT(term) DO UPDATE SET nodes = nodes + excluded.nodes", changed)
    conn.executemany("DELETE FROM node_terms WHERE term = ? AND nodes <= 0", [(t,) for t, n in changed if n < 0])


def refresh(conn, scheme: Scheme) -> None:
    """Count every node again (in the caller's transaction), unless the table is fresh."""
    if is_fresh(conn):
        return
    counts = total((1, tokens.node_terms) for _, _, tokens in recut(conn, scheme, "present = 1", []))
    conn.execute("DELETE FROM node_terms")
    conn.executemany("INSERT INTO node_terms(term, nodes) VALUES (?, ?)", sorted(counts.items()))
    mark_fresh(conn)

