"""Page images of an issue's original file: rendered on demand from the stored PDF (or scan)
with pdfium, the region of a document marked, kept in a small cache of recent renders.

``/issues/{id}/pages/{n}.png?w=900&mark=<document id>``: page n (1-based) at w pixels wide.
"""

from __future__ import annotations

import io
from functools import lru_cache

from fastapi import APIRouter, HTTPException, Path, Query, Request, Response

from gongbao.errors import NotFoundError
from gongbao.web.deps import store
from gongbao.web.params import MAX_PAGE, SQL_INT_MAX

router = APIRouter()

_MARK = (200, 0, 0)


@router.get("/issues/{issue_id}/pages/{number}.png", include_in_schema=False)
def page_image(request: Request, issue_id: int = Path(ge=1, le=SQL_INT_MAX), number: int = Path(ge=1, le=MAX_PAGE),
               w: int = Query(900, ge=60, le=1800), mark: str | None = Query(None, max_length=64)):
    st = store(request)
    source = st.source_file(issue_id)
    if source is None:
        raise HTTPException(404, "这一期不是由 PDF 或扫描件收录的，没有版面图")
    if not 1 <= number <= len(source.pages):
        raise HTTPException(404, f"没有第 {number} 页：本期原件共 {len(source.pages)} 页")
    boxes: tuple = ()
    if mark:
        try:
            doc = st.get_document(mark)
        except NotFoundError:
            raise HTTPException(404, f"没有找到公文：{mark}") from None
        boxes = tuple(tuple(box) for page, box in doc.regions() if page == number)
    png = _render(str(request.app.state.db_path), issue_id, source.sha256, number, w, boxes)
    return Response(png, media_type="image/png", headers={"Cache-Control": "max-age=3600"})


@lru_cache(maxsize=48)  # a few issues' pages and thumbnails; keyed by the file's hash, so never stale
def _render(db_path: str, issue_id: int, sha256: str, number: int, width: int, boxes: tuple) -> bytes:
    from gongbao.store import open_store

    with open_store(db_path, readonly=True) as st:
        source = st.source_file(issue_id, with_data=True)
    if source is None or source.sha256 != sha256 or source.data is None:
        raise HTTPException(404, "本期原件未保存（页面图片文件夹），无法显示版面")
    page = source.pages[number - 1]
    image = _pdf_page(source.data, number, width) if source.kind == "pdf" else _image_page(source.data, number, width)
    if boxes:
        _mark(image, boxes, image.size[0] / page.width)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=width <= 200)
    return out.getvalue()


def _pdf_page(data: bytes, number: int, width: int):
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    try:
        page = pdf[number - 1]
        image = page.render(scale=width / page.get_size()[0]).to_pil().convert("RGB")
        page.close()
        return image
    finally:
        pdf.close()


def _image_page(data: bytes, number: int, width: int):
    from PIL import Image

    image = Image.open(io.BytesIO(data))
    image.seek(number - 1)
    image = image.convert("RGB")
    return image.resize((width, round(image.size[1] * width / image.size[0])))


def _mark(image, boxes: tuple, scale: float) -> None:
    from PIL import ImageDraw

    draw = ImageDraw.Draw(image)
    pad = 4
    for x0, y0, x1, y1 in boxes:
        draw.rectangle((x0 * scale - pad, y0 * scale - pad, x1 * scale + pad, y1 * scale + pad), outline=_MARK, width=3)
