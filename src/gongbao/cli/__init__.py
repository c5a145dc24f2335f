"""The ``gongbao`` command: a thin Typer layer over the library.

Each ``*_cmd`` module in this package registers its commands on ``app``; they are found
by name so that areas of the CLI live in their own files.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys

import typer
from rich.console import Console

from gongbao.errors import GongbaoError

app = typer.Typer(
    name="gongbao",
    help="gongbao (公报): parse, store, search and serve Chinese government gazettes.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
err_console = Console(stderr=True)

for _module in pkgutil.iter_modules(__path__):
    if _module.name.endswith("_cmd"):
        importlib.import_module(f"{__name__}.{_module.name}")


def main() -> None:
    """Console-script entry: run the app, turning known errors into one line + exit code."""
    try:
        app(standalone_mode=False)
    except GongbaoError as exc:
        err_console.print(f"[bold red]error:[/] {exc}", highlight=False, soft_wrap=True)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        err_console.print("[bold red]interrupted[/]")
        sys.exit(130)
    except SystemExit:
        raise
    except Exception as exc:  # click usage errors and the like
        import click

        if isinstance(exc, click.exceptions.ClickException):
            exc.show()
            sys.exit(exc.exit_code)
        if isinstance(exc, click.exceptions.Abort):
            sys.exit(130)
        err_console.print(f"[bold red]internal error:[/] {type(exc).__name__}: {exc}", highlight=False)
        sys.exit(70)
