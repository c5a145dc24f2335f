"""Errors that reach the user as one clear line and a non-zero exit code, never a traceback.

Exit codes (docs in the README): 0 ok, 1 some input failed (a file, a database, a document
asked for), 2 the command line or a query is wrong (usage), 70 a bug in gongbao.
"""


class GongbaoError(Exception):
    """Base of every error gongbao reports to a user."""

    exit_code = 1


class InputError(GongbaoError):
    """The input cannot be read or parsed (empty, binary, too large, not a gazette)."""


class UsageError(GongbaoError):
    """The command line or a request is wrong: an unknown format, a bad date, a query over
    the limits.  Exit code 2 in the CLI, 400 in the portal."""

    exit_code = 2


class QueryBudgetError(GongbaoError):
    """A query ran past its time budget and was stopped inside the database engine
    (exit 1; 503 with Retry-After in the portal)."""


class StoreError(GongbaoError):
    """The database is missing, not gongbao's, locked or read-only."""


class NotFoundError(GongbaoError):
    """A document, issue or unit asked for is not in the database."""
