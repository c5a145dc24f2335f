"""Printed gazettes for the tests: the sample issues typeset as PDF by a real typesetter.

There are no real gazette PDFs in the repository, so the tests make them at test time: each
sample text becomes an HTML page set as a printed gazette — A4, serif CJK body (Noto Serif
CJK, the 仿宋-like face Debian ships), red banner and red headers (红头) with a red rule,
centred titles and 文号, right-aligned signatures and dates, a running header with the
gazette's name and a page number in the footer, the news section in two columns, tables
ruled and allowed to break across pages — and Chromium prints it to PDF.  Output is cached
under the system temp folder (keyed by this file's and the sample's content), never
committed.  ``typeset_pdf`` returns None when Chromium is not installed (tests skip).
"""

from __future__ import annotations

import hashlib
import html
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

CACHE = Path(tempfile.gettempdir()) / "gongbao-test-artifacts"
_HEADING = re.compile(r"^(#{1,6})\s+")
_BULLET = re.compile(r"^\s*[-*+]\s+")
_BANNER = re.compile(r"^[\u4e00-\u9fff（）()]{4,30}(?:文件|公报)$")
_DOC_NUMBER = re.compile(r"^[\u4e00-\u9fff]{1,12}\s*[〔\[［(（]\s*\d{4}\s*[〕\]］)）]\s*\d+\s*号$|^第\s*\d+\s*号$")
_DATE = re.compile(r"^\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日$")
_SIGNER = re.compile(r"(政府|办公厅|办公室|局|委员会|委|厅|院|部)$")
_TITLE_TAIL = re.compile(r"(通知|决定|意见|办法|批复|通报|报告|方案|规定|细则|公告|通告|命令|要点|规划|决议)$")
_NEWS = re.compile(r"要闻|动态|简讯|大事记")
_RULE = re.compile(r"^[-=_*|:\s]+$")

_CSS = """
@page { size: A4; margin: 22mm 24mm 20mm 26mm;
  @top-center { content: "%(header)s"; font: 9pt "Noto Serif CJK SC"; color: #333; }
  @bottom-center { content: "— " counter(page) " —"; font: 9pt "Noto Serif CJK SC"; } }
body { font-family: "Noto Serif CJK SC", serif; font-size: 12pt; line-height: 1.55; }
p { margin: 0 0 2pt 0; text-indent: 2em; text-align: justify; }
.banner { color: #d40000; font-size: 26pt; font-weight: bold; text-align: center; text-indent: 0;
  margin: 6pt 0 8pt; letter-spacing: 2pt; }
.redhead { color: #d40000; font-size: 22pt; text-align: center; text-indent: 0; margin-top: 10pt;
  border-bottom: 1.5pt solid #d40000; padding-bottom: 8pt; margin-bottom: 10pt; break-before: page; }
.title { font-size: 16pt; font-weight: bold; text-align: center; text-indent: 0; margin: 10pt 3em 8pt; }
.centre { text-align: center; text-indent: 0; }
.heading { font-weight: bold; }
.right { text-align: right; text-indent: 0; padding-right: 3em; }
.flat { text-indent: 0; }
.toc { display: flex; align-items: flex-end; text-indent: 0; } .toc span:first-child { flex: 1; }
.news { column-count: 2; column-gap: 18pt; }
table { border-collapse: collapse; width: 100%; margin: 4pt 0 8pt; font-size: 10pt; line-height: 1.35; }
td { border: 0.8pt solid #000; padding: 2pt 3pt; vertical-align: middle; }
tr { break-inside: avoid; }
"""


def chromium() -> str | None:
    """Chromium, when it and the Noto CJK fonts the gazettes are set in are installed."""
    fonts = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True).stdout if shutil.which("fc-list") else ""
    if "Noto Serif CJK" not in fonts:
        return None
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def _gazette_name(lines: list[str]) -> str:
    for line in lines:
        bare = _HEADING.sub("", line).strip().replace(" ", "")
        if bare.endswith("公报") and len(bare) <= 20:
            return bare
    return "政府公报"


def _cells(line: str) -> list[str]:
    return [html.escape(c.strip()) for c in line.split("\t")]


def _block(line: str, prev: str, nxt: str) -> str:
    """One source line as one HTML block, styled by what it is."""
    marks = _HEADING.match(line)
    text = _BULLET.sub("", _HEADING.sub("", line)).strip()
    bare = text.replace(" ", "")
    esc = html.escape(text)
    if _BANNER.match(bare):
        return f'<p class="{"banner" if bare.endswith("公报") else "redhead"}">{esc}</p>'
    if _DOC_NUMBER.match(bare):
        return f'<p class="centre">{esc}</p>'
    if _DATE.match(bare) or (_SIGNER.search(bare) and len(bare) <= 24 and _DATE.match(nxt.replace(" ", ""))):
        return f'<p class="right">{esc}</p>'
    if marks and len(marks.group(1)) <= 2 and (_TITLE_TAIL.search(bare) or len(bare) <= 14):
        return f'<p class="title">{esc}</p>' if _TITLE_TAIL.search(bare) else f'<p class="centre heading">{esc}</p>'
    if marks:
        return f'<p class="heading">{esc}</p>'
    if "\t" in line:  # a table-of-contents entry with its page number
        cells = [c for c in _cells(line) if c]
        return '<p class="toc">' + "".join(f"<span>{c}</span>" for c in cells) + "</p>"
    return f"<p>{esc}</p>"


def typeset_html(text: str) -> str:
    """The HTML of a printed gazette for an issue's text (one block per source line)."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]
    content = [line for line in lines if line.strip() and not _RULE.match(line)]
    out: list[str] = []
    table: list[str] = []
    news_open = False
    for i, line in enumerate(content):
        if line.count("\t") >= 2:  # three or more cells: a ruled table row
            table.append("<tr>" + "".join(f"<td>{c}</td>" for c in _cells(line)) + "</tr>")
            continue
        if table:
            out.append("<table>" + "".join(table) + "</table>")
            table = []
        heading = _HEADING.match(line)
        if news_open and heading and len(heading.group(1)) == 1:
            out.append("</div>")
            news_open = False
        prev = content[i - 1] if i else ""
        nxt = _HEADING.sub("", content[i + 1]).strip() if i + 1 < len(content) else ""
        out.append(_block(line, prev, nxt))
        if heading and _NEWS.search(line) and not news_open:
            out.append('<div class="news">')
            news_open = True
    if table:
        out.append("<table>" + "".join(table) + "</table>")
    if news_open:
        out.append("</div>")
    css = _CSS.replace("%(header)s", _gazette_name(content))
    return f'<!doctype html><html><head><meta charset="utf-8"><style>{css}</style></head><body>{"".join(out)}</body></html>'


def print_pdf(page_html: str, out: Path) -> Path:
    """Print HTML to PDF with headless Chromium."""
    binary = chromium()
    if binary is None:
        raise RuntimeError("chromium is not installed")
    with tempfile.TemporaryDirectory(prefix="gongbao-typeset-") as tmp:
        source = Path(tmp) / "issue.html"
        source.write_text(page_html, encoding="utf-8")
        subprocess.run(
            [binary, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", f"--user-data-dir={tmp}/profile", "--no-pdf-header-footer",
             f"--print-to-pdf={out}", source.as_uri()],
            check=True, capture_output=True, timeout=180,
        )
    return out


def typeset_pdf(sample: Path) -> Path | None:
    """The sample typeset as a printed gazette (cached); None when Chromium is absent."""
    if chromium() is None:
        return None
    text = sample.read_text(encoding="utf-8")
    key = hashlib.sha256(Path(__file__).read_bytes() + text.encode("utf-8")).hexdigest()[:16]
    out = CACHE / f"{sample.stem}-{key}.pdf"
    if not out.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        partial = out.with_suffix(f".{os.getpid()}.part")
        print_pdf(typeset_html(text), partial)
        partial.replace(out)
    return out


if __name__ == "__main__":  # python tests/pdf_fixtures.py samples/*.txt: print the cached paths
    import sys

    for arg in sys.argv[1:]:
        print(typeset_pdf(Path(arg)))
