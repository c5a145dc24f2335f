"""The ``gongbao`` command: a thin layer over the library.

The query commands (``search``, ``ask``) run on argparse and the search library alone
(``cli.query``), so that a whole process answers in a fraction of a second; every other
command is a Typer command (``cli.commands``, which pulls in typer, pydantic and rich),
loaded only when one of them is called.  ``app`` is that Typer application.

Exit codes: 0 ok, 1 some input failed, 2 usage (command line or query wrong), 70 a bug in
gongbao, 130 interrupted.  Every error is one line on standard error, never a traceback.
"""

from __future__ import annotations

import sys

from gongbao.errors import GongbaoError

EXIT_OK, EXIT_INPUT, EXIT_USAGE, EXIT_INTERNAL, EXIT_INTERRUPTED = 0, 1, 2, 70, 130


def __getattr__(name: str):
    if name == "app":  # loaded on first use: the query commands never need it
        from gongbao.cli.commands import app

        return app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _fail(message: str, code: int) -> None:
    sys.stdout.flush()
    print(" ".join(message.split()), file=sys.stderr)
    sys.exit(code)


def _run(argv: list[str]):
    from gongbao.cli.query import COMMANDS, run

    if argv and argv[0] in COMMANDS:
        return run(argv)
    from gongbao.cli.commands import app

    return app(argv, standalone_mode=False)  # typer.Exit(n) comes back as n


def _framework_error(exc: Exception) -> None:
    """Typer's (Click's) own errors, when the Typer app was loaded; else a bug."""
    typer = sys.modules.get("typer")
    if typer is not None and isinstance(exc, typer.TyperException):  # missing argument, unknown command, bad value
        if type(exc).__name__ == "NoArgsIsHelpError":
            exc.show()  # plain `gongbao`: the help, as a usage error
            sys.exit(EXIT_USAGE)
        from gongbao.cli.commands import usage_message

        _fail(usage_message(exc), EXIT_USAGE)
    if typer is not None and isinstance(exc, typer.Abort):
        _fail("已中断", EXIT_INTERRUPTED)
    _fail(f"内部错误（gongbao 的缺陷，请报告）：{type(exc).__name__}: {exc}", EXIT_INTERNAL)


def main() -> None:
    """Console-script entry: run the command, turning every error into one line and an exit code."""
    try:
        code = _run(sys.argv[1:])
    except GongbaoError as exc:
        _fail(f"错误：{exc}", exc.exit_code)
    except KeyboardInterrupt:
        _fail("已中断", EXIT_INTERRUPTED)
    except BrokenPipeError:
        sys.exit(EXIT_OK)  # `gongbao … | head`: the reader stopped early, nothing failed
    except Exception as exc:
        _framework_error(exc)
    sys.exit(code if isinstance(code, int) else EXIT_OK)
