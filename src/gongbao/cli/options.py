"""What the commands share: the --db option, the check of a choice option such as --format."""

from __future__ import annotations

from gongbao.errors import UsageError


def __getattr__(name: str):
    """``DB_OPTION`` made on first use: `search` and `ask` import ``choice`` from here and must
    not load Typer (tests/test_cli_query.py)."""
    if name == "DB_OPTION":
        import typer

        # A SQLite file or a PostgreSQL URL; GONGBAO_DB in the environment sets it for every command.
        return typer.Option("gongbao.db", "--db", envvar="GONGBAO_DB",
                            help="Database: a SQLite file or postgresql://user:password@host/name (env GONGBAO_DB).")
    raise AttributeError(name)


def choice(option: str, value: str, allowed: tuple[str, ...]) -> str:
    """``value`` when it is one of ``allowed``; a usage error (exit 2) naming the option otherwise."""
    if value not in allowed:
        raise UsageError(f"{option} 只能是 {'、'.join(allowed)}，不能是 {value!r}")
    return value
