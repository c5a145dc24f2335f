"""Errors that reach the user as one clear line and a non-zero exit code, never a traceback."""


class GongbaoError(Exception):
    """Base of every error gongbao reports to a user."""

    exit_code = 2


class InputError(GongbaoError):
    """The input cannot be read or parsed (empty, binary, not a gazette)."""


class StoreError(GongbaoError):
    """The database is missing, not gongbao's, locked or read-only."""


class NotFoundError(GongbaoError):
    """A document, issue or unit asked for is not in the database."""

    exit_code = 1
