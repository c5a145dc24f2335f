"""``gongbao search`` and ``gongbao ask``: the query commands, on argparse and the library.

Someone searching from a shell, or a script calling gongbao once per query, waits for the
whole process: these two import neither typer (which pulls in pydantic) nor rich nor the
parser.  ``cli.main`` runs them before anything else is loaded; the Typer app lists them and
passes its arguments through.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import os
from pathlib import Path

from gongbao import labels
from gongbao.cli.options import choice
from gongbao.errors import UsageError

COMMANDS = {
    "search": "Full-text search: documents best first, with the clauses that match.",
    "ask": "Answer a policy question with the clauses that answer it, best first.",
}
_MARK = re.compile(r"(<mark>.*?</mark>)")


def _bounded(low: int, high: int | None = None):
    def convert(value: str) -> int:
        number = int(value)
        if number < low or (high is not None and number > high):
            raise argparse.ArgumentTypeError(f"{number} is not in the range {low}<=x<={high}" if high is not None
                                             else f"{number} is not >= {low}")
        return number
    return convert


class _Parser(argparse.ArgumentParser):
    """Usage errors as the other commands give them: one Chinese line, exit code 2."""

    def error(self, message: str):
        raise UsageError(f"用法错误：{message}（运行 `{self.prog} --help` 查看用法）")


class _Help(argparse.HelpFormatter):
    """Help worded as the other commands' (Typer's): "Usage: gongbao search …"."""

    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, prefix="Usage: " if prefix is None else prefix)


def _parser() -> argparse.ArgumentParser:
    top = _Parser(prog="gongbao", formatter_class=_Help)
    commands = top.add_subparsers(dest="command", required=True, parser_class=_Parser)
    search = commands.add_parser("search", help=COMMANDS["search"], description=COMMANDS["search"], formatter_class=_Help)
    search.add_argument("query", help='Words (AND), "a phrase", a OR b, -excluded, or a 文号.')
    search.add_argument("--issuer", help="Only documents of this issuer (part of the name).")
    search.add_argument("--year", type=int, help="Only documents of this year.")
    search.add_argument("--type", help="Only this 文种 (通知, 意见, 办法, …).")
    search.add_argument("--status", help="Only documents in this status: in_force, repealed, expired, not_yet_in_force, "
                                          "revised, unknown (or 现行有效, 已废止, …); looks among the best "
                                          f"{STATUS_SCAN} matches.")
    search.add_argument("--limit", type=_bounded(1, 1000), default=10, help="How many results (1–1000).")
    search.add_argument("--offset", type=_bounded(0), default=0, help="Skip this many results.")
    ask = commands.add_parser("ask", help=COMMANDS["ask"], description=COMMANDS["ask"], formatter_class=_Help)
    ask.add_argument("question", help="The question, in plain Chinese: 考上大学有补助吗")
    ask.add_argument("--limit", type=_bounded(1, 50), default=5, help="At most this many answers (1–50).")
    ask.add_argument("--thesaurus", type=Path, action="append", help="Extra thesaurus YAML file (repeatable).")
    ask.add_argument("--as-of", help="Answer as in force on this ISO date (default today).")
    ask.add_argument("--region", help="Answer for this jurisdiction (重庆): its own and national rules first "
                                      "(default $GONGBAO_JURISDICTION).")
    for command in (search, ask):
        command.add_argument("--format", default="text", help="text or json.")
        command.add_argument("--db", default=os.environ.get("GONGBAO_DB", "gongbao.db"),
                             help="Database: a SQLite file or postgresql://user:password@host/name (env GONGBAO_DB).")
    return top


class _Out:
    """Plain lines, with ANSI bold/colour when stdout is a terminal."""

    def __init__(self) -> None:
        self.styled = sys.stdout.isatty()

    def style(self, text: str, code: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if self.styled else text

    def marked(self, snippet: str) -> str:
        """A search snippet (HTML-escaped, <mark>ed) as terminal text, matches in bold yellow."""
        from html import unescape  # here: `gongbao ask` prints no snippet, and html costs 5–7 ms to import

        return "".join(self.style(unescape(p[6:-7]), "1;33") if p.startswith("<mark>") else unescape(p)
                       for p in _MARK.split(snippet))

    @staticmethod
    def line(text: str = "") -> None:
        sys.stdout.write(text + "\n")


def _print_json(value) -> None:
    sys.stdout.write(json.dumps(value, ensure_ascii=False, indent=2) + "\n")


def _find(store, args: argparse.Namespace, status: str | None):
    from gongbao.search.query import search

    filters = {"issuer": args.issuer, "year": args.year, "type": args.type}
    return search(store, args.query, filters, limit=args.limit, offset=args.offset, status=status)


def _print_hits(result) -> None:
    out = _Out()
    if not result.hits:
        out.line("没有找到公文")
        return
    note = "（没有公文包含全部词语，列出包含部分词语的）" if result.relaxed else ""
    out.line(f"共 {result.total} 件{'以上' if result.total_capped else ''}公文{note}")
    for rank, hit in enumerate(result.hits, start=result.offset + 1):
        head = " · ".join(x for x in (hit.doc_number, "、".join(hit.issuers), hit.date, labels.STATUS.get(hit.status)) if x)
        out.line(f"\n{out.style(f'{rank}. {hit.title}', '1')}  {out.style(f'{head}  {hit.id}', '2')}")
        out.line("   " + out.marked(hit.snippet))
        for clause in hit.clauses:
            out.line(f"   {out.style(_anchor(clause.anchor), '36')} {clause.heading}: {out.marked(clause.snippet)}")


def _search(args: argparse.Namespace) -> None:
    from gongbao.store import open_store

    fmt = choice("--format", args.format, ("text", "json"))
    status = _status_code(args.status)
    with open_store(args.db, readonly=True) as store, store.budget():
        result = _find(store, args, status)
    if fmt == "json":
        _print_json(result.to_json())
    else:
        _print_hits(result)


STATUS_SCAN = 200  # search.query.STATUS_SCAN, for the help text (not imported: it would slow start-up)


def _anchor(anchor: str) -> str:
    return f"{labels.anchor_label(anchor)} #{anchor}"


def _status_code(text: str | None) -> str | None:
    if text is None:
        return None
    code = {v: k for k, v in labels.STATUS.items()}.get(text, text)
    return choice("--status", code, tuple(labels.STATUS))


def _print_validity(out: _Out, v: dict) -> None:
    name = " ".join(x for x in (v.get("doc_number"), f"《{v['title']}》") if x)
    line = f"效力：{name} {v['status_label']}"
    if v.get("by"):
        line += f"，被{v['by'].get('doc_number') or ''}《{v['by']['title']}》废止或修订"
    if v.get("since"):
        line += f"（自 {v['since']} 起）"
    out.line(line)
    for evidence in v.get("evidence") or []:  # why: 截至…未见废止, 将自…起废止, the clause that says so
        out.line(f"  {evidence['label']}")


def _answer_head(i: int, a: dict) -> str:
    """"1. 【编辑答复】文号《标题》 第三条  (score 2.1, 现行有效)"."""
    where = " ".join(x for x in (a.get("doc_number"), f"《{a['title']}》" if a.get("title") else None) if x)
    anchor = f" {a.get('label') or a['anchor']}" if a.get("anchor") else ""
    kind = "【编辑答复】" if a["source"] == "curated" else ""
    return f"\n{i}. {kind}{where}{anchor}  (score {a['score']}, {a.get('status_label') or a['status']})"


def _answer_notes(a: dict) -> list[str]:
    """The lines between an answer's head and its text: issuers and date, warning, what
    replaced it, the short answer."""
    lines = []
    if a.get("issuers") or a.get("date"):
        lines.append("   " + "，".join(x for x in ("、".join(a.get("issuers") or []), a.get("date")) if x))
    if a.get("warning"):
        lines.append(f"   ⚠ {a['warning']}")
    if a.get("replaced_by"):
        lines.append(f"   ↳ 现行依据：{a['replaced_by'].get('doc_number') or ''}《{a['replaced_by']['title']}》")
    if a.get("short"):
        lines.append(f"   答：{a['short']}")
    return lines


def _answer_text(a: dict) -> list[str]:
    """The answer's text, its answering sentence in 【】, then its interpretation links."""
    text, sentence = a["text"], a.get("sentence") or ""
    if sentence and sentence != text and sentence in text:
        text = text.replace(sentence, f"【{sentence}】", 1)
    lines = ["   " + text]
    for link in a.get("interpretations") or []:
        verb = "解读了" if link["direction"] == "interprets" else "政策解读："
        lines.append(f"   ↳ {verb}{link.get('doc_number') or ''}《{link['title']}》")
    return lines


def _print_answers(result: dict) -> None:
    out = _Out()
    answers = result["answers"]
    out.line(f"问：{result['question']}")
    if result.get("validity"):
        _print_validity(out, result["validity"])
        if not answers:
            return
    if not answers:
        out.line("没有找到能回答这个问题的条款。"
                 "可以换个说法（写出政策名称、事项或对象），或用 `gongbao search` 按关键词查找。")
        return
    for i, a in enumerate(answers, 1):
        for line in [_answer_head(i, a), *_answer_notes(a), *_answer_text(a)]:
            out.line(line)


def _ask(args: argparse.Namespace) -> None:
    from gongbao.search.ask import ask
    from gongbao.search.thesaurus import load_thesaurus
    from gongbao.store import open_store

    fmt = choice("--format", args.format, ("text", "json"))
    if not args.question.strip():
        raise UsageError("问题是空的")
    with open_store(args.db, create=False, readonly=True) as store, store.budget():
        result = ask(store, args.question, limit=args.limit, thesaurus=load_thesaurus(args.thesaurus or None),
                     as_of=args.as_of, region=args.region)
    if fmt == "json":
        _print_json(result.to_json())
    else:
        _print_answers(result.to_json())


def run(argv: list[str]) -> None:
    """Run ``gongbao search …`` or ``gongbao ask …`` (``argv`` without the program name)."""
    args = _parser().parse_args(argv)
    {"search": _search, "ask": _ask}[args.command](args)
