"""Ranking at scale on PostgreSQL: candidate sets that do not grow with the corpus.

A word in most documents (印发, 人民政府) matches hundreds of thousands of them at 1 M, and ranking
every match — ts_rank reading each tsvector, or RUM scoring each from its positions — is what
made the search p95 grow with the corpus (docs/scale.md).  So, as an impact-ordered index
keeps each word's best postings first: for every word in more than COMMON documents,
``term_best`` holds its TOP best documents by ``ts_rank`` of the word alone (``term_common``
its document frequency and the rank of its last kept document), made once a first load is in
(``refresh``) and kept by each issue written after (``add``: a new document joins a word's
list when it ranks above the list's last).

A query whose words are all common — or, for a relaxed query of alternatives (OR), one
holding any common word — is then ranked among the documents of those lists for its words,
plus every match of its other words (each in COMMON documents at most, as of the lists'
making).  A document that holds all the common words of a query but is in none of their
lists is not found: the price of a bounded candidate set, measured against ranking every
match in docs/scale.md.  A query needing a rarer word is ranked from the RUM index as
before: that word bounds its matches.  Needs the RUM index (the lists are
made from its order); without it search ranks every match.
"""

from __future__ import annotations

from gongbao.store.pgconn import TABLE_ORDER, PgConn

COMMON = 2000  # a word in more documents than this has its best documents listed
TOP = 300  # documents kept per word
SAMPLE = 5000  # documents read to find the common words
PER_QUERY = 100  # candidates a query takes from each common word's list, and from its other words'
# matches (best first in the RUM index's order)
DENSE = 0.3  # a query whose words are in this share of the documents is probed for its first matches
PROBE = 4  # rows read per match wanted, at most, by that probe


def refresh(conn: PgConn, weights: str) -> int:
    """List again the best documents of every common word (after a first load); returns how
    many words are common.  Which words are common is read from a sample of SAMPLE documents
    (ts_stat over every document reads the whole index table: minutes at 1 M); their lists
    come from one pass over the index table ranking each document for the common words it
    holds, each word's TOP best by ``ts_rank`` kept (a statement per word scoring its matches
    in the RUM index's order listed about one word a second at 100 k documents: 2,624 words,
    44 minutes; docs/scale.md)."""
    conn.execute("DELETE FROM term_best")
    conn.execute("DELETE FROM term_common")
    total = conn.execute("SELECT count(*) AS n FROM doc_search").fetchone()["n"]
    if total <= COMMON:
        return 0
    share = min(1.0, SAMPLE / total)
    # a sample's counts are noisy (half the threshold taken); every document read, they are exact
    least = COMMON + 1 if share == 1 else max(1, COMMON * share / 2)
    conn.execute(f"INSERT INTO term_common(term, df, floor) SELECT word, round(ndoc / {share!r}), 0 FROM"
                 f" ts_stat('SELECT tsv FROM doc_search TABLESAMPLE BERNOULLI ({100 * share:.6f}) REPEATABLE (1)')"
                 " WHERE ndoc >= ?", [least])
    conn.execute(f"INSERT INTO term_best(term, pk, rank) SELECT term, pk, rank FROM (SELECT h.term, h.pk, h.rank,"
                 f" row_number() OVER (PARTITION BY h.term ORDER BY h.rank DESC, h.pk) AS n FROM ({_held(weights)}) h) s"
                 f" WHERE n <= {TOP}")
    conn.execute("UPDATE term_common t SET floor = b.floor FROM (SELECT term, min(rank) AS floor FROM term_best"
                 " GROUP BY term) b WHERE t.term = b.term")
    return conn.execute("SELECT count(*) AS n FROM term_common").fetchone()["n"]


def _held(weights: str, where: str = "true") -> str:
    """(term, pk, rank, floor) of each common word held by each document ``where`` (over
    doc_search x), ranked by ``ts_rank`` of the word alone."""
    query = "quote_literal(c.term)::tsquery"
    return (f"SELECT c.term, x.pk, ts_rank({weights}, x.tsv, {query}, 1) AS rank, c.floor FROM doc_search x"
            " CROSS JOIN LATERAL unnest(tsvector_to_array(x.tsv)) AS l(term)"
            f" JOIN term_common c ON c.term = l.term WHERE {where}")


def adding(weights: str, where: str) -> str:
    """The statement putting the documents ``where`` (over doc_search x) in the lists of the
    common words they hold where they rank above the list's last, and counting them in those
    words' frequency."""
    return (f"WITH h AS ({_held(weights, where)}), counted AS (UPDATE term_common t SET df = t.df + n.n FROM"
            " (SELECT term, count(*) AS n FROM h GROUP BY term) n WHERE t.term = n.term)"
            " INSERT INTO term_best(term, pk, rank) SELECT term, pk, rank FROM h WHERE rank >= floor"
            " ON CONFLICT (term, pk) DO UPDATE SET rank = excluded.rank")


_WORDS = ("SELECT DISTINCT l.term FROM unnest(?::text[]) AS u(text),"
          " unnest(tsvector_to_array(to_tsvector('simple', u.text))) AS l(term)")


def best(query: str, params: list, units: list[str], weights: str, k: int) -> tuple[str, list]:
    """The statement giving (pk, rank) of the ``k`` best documents matching the tsquery SQL
    ``query`` (its ``params``), ranked among the candidates of its ``units`` (the query's
    quoted words): the listed best of the common words and the matches of the others (all
    of them when a needed word is one of those: the result is then exact).  Each candidate
    is read by its key."""
    sql = (f"WITH w AS ({_WORDS}),"
           " r AS (SELECT string_agg(quote_literal(w.term), ' | ')::tsquery AS q FROM w"
           " WHERE NOT EXISTS (SELECT 1 FROM term_common t WHERE t.term = w.term)),"
           f" c AS (SELECT b.pk FROM w CROSS JOIN LATERAL (SELECT pk FROM term_best b WHERE b.term = w.term"
           f" ORDER BY b.rank DESC LIMIT {PER_QUERY}) b UNION (SELECT s.pk FROM doc_search s"
           f" WHERE s.tsv @@ (SELECT q FROM r) ORDER BY s.tsv <=> (SELECT q FROM r) LIMIT {PER_QUERY}))"
           f" SELECT x.pk, ts_rank({weights}, x.tsv, q.q, 1) AS rank FROM doc_search x CROSS JOIN (SELECT {query} AS q) q"
           " WHERE x.pk = ANY(ARRAY(SELECT pk FROM c)) AND x.tsv @@ q.q ORDER BY rank DESC, x.pk LIMIT ?")
    return sql, [units, *params, k]


def listed(units: list[str], either: bool) -> tuple[str, list]:
    """The statement saying whether a query of ``units`` is ranked from the lists: when all its
    words are common, or (``either``: its words are alternatives) when any is — a needed rarer
    word bounds the matches by itself, and the RUM index ranks them (store.postgres)."""
    found = "bool_or" if either else "bool_and"
    return (f"SELECT coalesce({found}(t.term IS NOT NULL), false) FROM ({_WORDS}) w"
            " LEFT JOIN term_common t ON t.term = w.term", [units])


def first_matches(query: str, params: list, either: bool, limit: int) -> tuple[str, list]:
    """The statement giving the first ``limit`` matches of the tsquery SQL ``query`` (its
    ``params``, the query's quoted words) in the table's order, read from the table's first
    rows — fewer when its common words (``either``: alternatives) are not in DENSE of the
    documents, or when fewer match among the first PROBE × ``limit`` rows.  The index gives
    a word's matches in the rows' order too (a row updated in place keeps its first place
    there: then the same number, not the same documents), but reads every one of them
    first (a word in 164,000 of 202,000 documents: 390 ms for the first 1,001, 35 ms read
    from the table)."""
    frequency = "max" if either else "min"
    dense = (f"SELECT coalesce({frequency}(coalesce(t.df, 0)), 0) >= {DENSE} * n.n AND n.n >= 10 * ?"
             f" FROM ({_WORDS}) w LEFT JOIN term_common t ON t.term = w.term"
             " CROSS JOIN (SELECT reltuples AS n FROM pg_class WHERE oid = 'doc_search'::regclass) n GROUP BY n.n")
    sql = (f"SELECT {TABLE_ORDER} x.pk FROM (SELECT pk, tsv FROM doc_search WHERE ({dense}) LIMIT ?) x"
           f" CROSS JOIN (SELECT {query} AS q) q WHERE x.tsv @@ q.q LIMIT ?")
    return sql, [limit, params, PROBE * limit, *params, limit]
