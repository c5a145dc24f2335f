"""Every kind of file through ``gongbao.extract``: bad input refused with one Chinese line (and
a non-zero exit from the CLI, the other files of a folder still going in), Word files read
with their styles, page images handed to OCR, layout rules on hand-made pages."""

from __future__ import annotations

import functools
import io
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from gongbao.cli import app
from gongbao.errors import InputError
from gongbao.extract import extract
from gongbao.extract.layout import arrange
from gongbao.ingest import ingest_paths
from gongbao.models import PageLayout, PageLine

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
TEXT = (SAMPLES / "004_8c3e04d8c27f17c2.txt").read_bytes()


@functools.cache
def _pdf(pages: int = 1) -> bytes:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument.new()
    for _ in range(pages):
        doc.new_page(595, 842)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _encrypted() -> bytes:
    pikepdf = pytest.importorskip("pikepdf")
    pdf = pikepdf.open(io.BytesIO(_pdf(2)))
    out = io.BytesIO()
    pdf.save(out, encryption=pikepdf.Encryption(user="secret", owner="owner"))
    return out.getvalue()


def _photo_pdf() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (1240, 1754), (120, 160, 90)).save(out, format="PDF", resolution=150)
    return out.getvalue()


def _png(size: tuple[int, int]) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, (255, 255, 255)).save(out, format="PNG")
    return out.getvalue()


BAD = {
    "encrypted": (_encrypted, "加密"),
    "corrupt": (lambda: b"%PDF-1.7\n" + bytes(range(256)) * 40, "损坏"),
    "truncated": (lambda: _pdf(3)[:300], "损坏"),
    "zero_pages": (lambda: _pdf(0), "没有任何页面"),
    "too_many_pages": (lambda: _pdf(2000), "超过单期上限"),
    "old_word": (lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 2000, ".doc"),
    "zip_not_docx": (lambda: _zip({"a.txt": "x"}), "ZIP"),
    "tiny_image": (lambda: _png((64, 48)), "不像扫描的文件页"),
    "gif": (lambda: b"GIF89a" + b"\x00" * 100, "GIF"),
}


def _zip(files: dict[str, str]) -> bytes:
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for name, text in files.items():
            zf.writestr(name, text)
    return out.getvalue()


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_input_is_one_clear_chinese_line(case: str) -> None:
    make, words = BAD[case]
    with pytest.raises(InputError) as info:
        extract(make())
    message = str(info.value)
    assert words in message and "\n" not in message and "：" in message  # what it is：what to do


def test_pdf_of_photos_asks_for_ocr_or_finds_no_text() -> None:
    with pytest.raises(InputError) as info:
        extract(_photo_pdf())
    assert "OCR" in str(info.value) or "没有识别出任何文字" in str(info.value)


def test_folder_with_bad_files_still_takes_the_good_one(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_bytes(TEXT)
    for case in ("corrupt", "zero_pages", "old_word", "too_many_pages"):
        (folder / f"{case}.pdf").write_bytes(BAD[case][0]())
    summary = ingest_paths([folder], tmp_path / "g.db", progress=False)
    assert summary.added == 1
    assert sorted(Path(f.path).name for f in summary.failures) == ["corrupt.pdf", "old_word.pdf", "too_many_pages.pdf", "zero_pages.pdf"]
    result = CliRunner().invoke(app, ["ingest", str(folder), "--db", str(tmp_path / "h.db"), "--no-progress"])
    assert result.exit_code != 0 and "Traceback" not in result.output


@pytest.mark.parametrize("case", ["encrypted", "truncated", "old_word"])
def test_parse_cli_refuses_with_non_zero_exit(tmp_path: Path, case: str) -> None:
    path = tmp_path / "issue.pdf"
    path.write_bytes(BAD[case][0]())
    result = subprocess.run([sys.executable, "-m", "gongbao", "parse", str(path)], capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert BAD[case][1] in result.stderr and "Traceback" not in result.stderr + result.stdout
    assert len(result.stderr.strip().splitlines()) == 1


# --- Word ---------------------------------------------------------------------------------


def _docx() -> bytes:
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt, RGBColor

    document = docx.Document()
    banner = document.add_paragraph()
    run = banner.add_run("重庆市人民政府办公厅文件")
    run.font.color.rgb, run.font.size, run.bold = RGBColor(0xD0, 0, 0), Pt(26), True
    banner.alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.add_paragraph("渝府办发〔2021〕26号").alignment = WD_ALIGN_PARAGRAPH.CENTER
    title = document.add_paragraph()
    title.add_run("重庆市人民政府办公厅关于印发2021年重庆市政务服务工作要点的通知").bold = True
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.add_paragraph("各区县（自治县）人民政府，市政府各部门，有关单位：")
    document.add_paragraph("《2021年重庆市政务服务工作要点》已经市政府同意，现印发给你们，请认真贯彻执行。")
    table = document.add_table(rows=3, cols=3)
    for r, row in enumerate([("重点任务", "具体工作", "牵头单位"), ("深化改革", "严格控制新设行政许可事项。", "市司法局"),
                             ("", "健全清单管理机制。", "市政府职转办")]):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    document.add_paragraph("重庆市人民政府办公厅").alignment = WD_ALIGN_PARAGRAPH.RIGHT
    document.add_paragraph("2021年3月1日").alignment = WD_ALIGN_PARAGRAPH.RIGHT
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_docx_paragraphs_tables_and_styles() -> None:
    extracted = extract(_docx())
    assert extracted.kind == "docx"
    lines = [line for line in extracted.lines if line.text]
    assert lines[0].text == "重庆市人民政府办公厅文件" and {"red", "centred", "large", "bold"} <= lines[0].style
    assert "centred" in lines[1].style and "right" in lines[-1].style
    rows = [line.text for line in lines if line.text.startswith("|")]
    assert rows == ["| 重点任务 | 具体工作 | 牵头单位 |", "| 深化改革 | 严格控制新设行政许可事项。 | 市司法局 |",
                    "|  | 健全清单管理机制。 | 市政府职转办 |"]


def test_docx_parses_as_a_document() -> None:
    from gongbao.pipeline import read_issue

    issue = read_issue(_docx(), "notice.docx")
    assert issue.source.kind == "docx"
    doc = issue.documents[0]
    assert str(doc.doc_number) == "渝府办发〔2021〕26号" and doc.type == "通知" and doc.date == "2021-03-01"
    assert doc.tables and doc.tables[0].rows[0][1] == "严格控制新设行政许可事项。"


def test_image_pages_go_to_ocr(tmp_path: Path, monkeypatch) -> None:
    """A folder of page images is one issue: each page is handed to the OCR engine, boxes
    scaled from pixels to points, pages numbered in name order."""
    import gongbao.extract.scan as scan

    seen = []

    class Engine:
        @staticmethod
        def ocr_page(image):
            seen.append(image.size)
            text = "重庆市人民政府关于加强安全生产工作的通知" if len(seen) == 1 else "各区县人民政府，市政府各部门：现将有关事项通知如下。"
            return PageLayout(1, image.size[0], image.size[1], (PageLine(text, 1, (100, 200, 1100, 240), 40.0, confidence=0.97),))

    monkeypatch.setattr(scan, "_engine", lambda: Engine)
    folder = tmp_path / "scans"
    folder.mkdir()
    (folder / "p2.png").write_bytes(_png((1240, 1754)))
    (folder / "p1.png").write_bytes(_png((1240, 1754)))
    extracted = extract(folder)
    assert extracted.kind == "image" and [p.number for p in extracted.pages] == [1, 2] and all(p.ocr for p in extracted.pages)
    first = extracted.lines[0]
    assert first.page == 1 and first.confidence == 0.97
    assert first.bbox[0] == pytest.approx(100 * 595 / 1240, abs=0.2)  # no resolution stored: A4 width


def test_image_without_ocr_engine_says_so(monkeypatch) -> None:
    import gongbao.extract.scan as scan

    def missing(name):
        raise ImportError(name)

    monkeypatch.setattr(scan.importlib, "import_module", missing)
    with pytest.raises(InputError, match="OCR"):
        extract(_png((1240, 1754)))


# --- layout on hand-made pages -------------------------------------------------------------


def _line(text, page, x0, y0, x1, size=12.0, **kw):
    return PageLine(text, page, (x0, y0, x1, y0 + size), size, **kw)


def _page(number, lines, rulings=()):
    return PageLayout(number, 595, 842, tuple(lines), tuple(rulings))


def test_running_headers_go_page_numbers_map_and_paragraphs_rejoin() -> None:
    pages = []
    for n in (1, 2, 3):
        pages.append(_page(n, [
            _line("某某市人民政府公报 2021年第3期", n, 200, 30, 400, 9),
            _line("这是一段跨页的正文，排版时在行末折行，" * 2, n, 100, 100, 500),
            _line("续行文字到此为止。", n, 76, 118, 200),
            _line(f"— {n + 10} —", n, 280, 800, 320, 9),
        ]))
    lines, infos, _ = arrange(pages)
    texts = [line.text for line in lines if line.text]
    assert not any("公报" in t or "—" in t for t in texts)
    assert [p.printed for p in infos] == [11, 12, 13]
    assert texts[0].endswith("续行文字到此为止。") and len(texts) == 3


def test_two_columns_read_column_by_column() -> None:
    left = [_line(f"左栏第{i}行文字，排满整个栏宽的新闻正文" , 1, 72, 100 + 20 * i, 290) for i in range(4)]
    right = [_line(f"右栏第{i}行文字，排满整个栏宽的新闻正文", 1, 305, 100 + 20 * i, 523) for i in range(4)]
    lines, _, _ = arrange([_page(1, right + left + [_line("通栏标题在两栏之上", 1, 200, 70, 400)])])
    text = "".join(line.text for line in lines)
    assert text.index("左栏第3行") < text.index("右栏第0行")
    assert text.index("通栏标题") < text.index("左栏第0行")


def test_ruled_table_rows_and_wrapped_cell() -> None:
    xs, ys = (72, 200, 523), (100, 130, 190)
    rulings = [(x, ys[0], x, ys[-1]) for x in xs] + [(xs[0], y, xs[-1], y) for y in ys]
    cells = [
        _line("事项", 1, 76, 105, 120), _line("牵头单位", 1, 204, 105, 260),
        _line("推进网上中介", 1, 76, 135, 190), _line("超市规范运行", 1, 76, 152, 190), _line("市发展改革委", 1, 204, 135, 300),
    ]
    lines, _, _ = arrange([_page(1, cells, rulings)])
    assert [line.text for line in lines] == ["| 事项 | 牵头单位 |", "| 推进网上中介超市规范运行 | 市发展改革委 |"]


def test_red_centred_banner_is_evidence() -> None:
    lines, _, _ = arrange([_page(1, [
        _line("某某市人民政府文件", 1, 180, 100, 415, 26, red=True),
        _line("某府发〔2021〕3号", 1, 250, 160, 345),
        _line("正文第一段，很长很长的一段文字，一直排到右边的版心边缘为止，然后折行。", 1, 96, 200, 523),
    ])])
    banner, number = lines[0], lines[2]
    assert {"red", "large", "centred"} <= banner.style and "centred" in number.style


# --- printed pages against real pages -----------------------------------------------------


def test_toc_pages_reconciled_through_the_printed_page_map() -> None:
    from gongbao.models import Document, Normalized, PageInfo, TocEntry
    from gongbao.parse.provenance import page_findings

    pages = [PageInfo(1, 595, 842, None), PageInfo(2, 595, 842, 1), PageInfo(3, 595, 842, 2), PageInfo(4, 595, 842, 3)]

    def doc(title, first_page):
        d = Document(title, "通知", None, [], None, None, [], [], (10, 20))
        d.pages = (first_page, first_page)
        return d

    right, wrong = doc("关于甲的通知", 3), doc("关于乙的通知", 4)
    matches = [(TocEntry("关于甲的通知", "2", (3, 3)), right, 1.0), (TocEntry("关于乙的通知", "(2)", (4, 4)), wrong, 1.0)]
    findings = page_findings(Normalized(lines=[]), matches, pages)
    assert [(f.kind, "关于乙的通知" in f.detail) for f in findings] == [("page_differs", True)]
    assert page_findings(Normalized(lines=[]), matches, [PageInfo(n, 595, 842) for n in (1, 2, 3, 4)]) == []
