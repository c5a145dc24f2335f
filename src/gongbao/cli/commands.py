"""The Typer application: every command but the query commands (``cli.query``).

Each ``*_cmd`` module in this package registers its commands on ``app``; they are found by
name so that areas of the CLI live in their own files.  ``search`` and ``ask`` are listed
here as pass-through commands to ``cli.query``, which parses their arguments itself.
"""

from __future__ import annotations

import importlib
import pkgutil

import typer

import gongbao.cli

app = typer.Typer(
    name="gongbao",
    help="gongbao (公报): parse, store, search and serve Chinese government gazettes.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

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


def _pass_through(name: str, summary: str) -> None:
    @app.command(name, help=summary, add_help_option=False,
                 context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
    def command(ctx: typer.Context) -> None:
        from gongbao.cli.query import run

        run([name, *ctx.args])


def _register() -> None:
    from gongbao.cli.query import COMMANDS

    for name, summary in COMMANDS.items():
        _pass_through(name, summary)
    for module in pkgutil.iter_modules(gongbao.cli.__path__):
        if module.name.endswith("_cmd"):
            importlib.import_module(f"gongbao.cli.{module.name}")


_register()
