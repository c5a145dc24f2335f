"""PostgreSQL keeps no node_terms (021_node_terms.sql, SQLite): a token's nodes are counted in
its own node index, node_search, whose GIN index lists them.  A table written by every issue
would put a row lock on each common word (的, 和) that concurrent ingests all wait for."""


def upgrade(execute) -> None:
    """Nothing changes in a PostgreSQL database."""
