"""The ``gongbao`` command: a thin Typer layer over the library.

Each ``*_cmd`` module in this package registers its commands on ``app``; they are found
by name so that areas of the CLI live in their own files.

Exit codes: 0 ok, 1 some input failed, 2 usage (command line or query wrong), 70 a bug in
gongbao, 130 interrupted.  Every error is one line on standard error, never a traceback.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys

import typer

from gongbao.errors import GongbaoError

app = typer.Typer(
    name="gongbao",
    help="gongbao (公报): parse, store, search and serve Chinese government gazettes.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

EXIT_OK, EXIT_INPUT, EXIT_USAGE, EXIT_INTERNAL, EXIT_INTERRUPTED = 0, 1, 2, 70, 130

for _module in pkgutil.iter_modules(__path__):
    if _module.name.endswith("_cmd"):
        importlib.import_module(f"{__name__}.{_module.name}")

# The command-line errors of the Click that Typer bundles, by class name (the classes live in
# a private module of Typer; the public base is typer.TyperException).
_USAGE_KINDS = {
    "MissingParameter": "缺少参数", "NoSuchOption": "没有这个选项", "BadOptionUsage": "选项用法有误",
    "BadArgumentUsage": "参数用法有误", "BadParameter": "参数值无效", "FileError": "无法打开文件",
}


def usage_message(exc: typer.TyperException) -> str:
    """A Click usage error as one Chinese line, with where to find the usage."""
    kind = _USAGE_KINDS.get(type(exc).__name__)
    ctx = getattr(exc, "ctx", None)
    where = ctx.command_path if ctx is not None else "gongbao"
    return f"用法错误：{kind + '：' if kind else ''}{exc.format_message()}（运行 `{where} --help` 查看用法）"


def _fail(message: str, code: int) -> None:
    sys.stdout.flush()
    print(" ".join(message.split()), file=sys.stderr)
    sys.exit(code)


def main() -> None:
    """Console-script entry: run the app, turning every error into one line and an exit code."""
    try:
        code = app(standalone_mode=False)  # typer.Exit(n) comes back as n
    except GongbaoError as exc:
        _fail(f"错误：{exc}", exc.exit_code)
    except typer.TyperException as exc:  # Click's usage errors: missing argument, unknown command, bad value
        if type(exc).__name__ == "NoArgsIsHelpError":
            exc.show()  # plain `gongbao`: the help, as a usage error
        else:
            _fail(usage_message(exc), EXIT_USAGE)
        sys.exit(EXIT_USAGE)
    except (KeyboardInterrupt, typer.Abort):
        _fail("已中断", EXIT_INTERRUPTED)
    except BrokenPipeError:
        sys.exit(EXIT_OK)  # `gongbao … | head`: the reader stopped early, nothing failed
    except Exception as exc:
        _fail(f"内部错误（gongbao 的缺陷，请报告）：{type(exc).__name__}: {exc}", EXIT_INTERNAL)
    sys.exit(code if isinstance(code, int) else EXIT_OK)
