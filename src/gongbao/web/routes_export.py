"""Exports: a document as JSON / Markdown / plain text, the whole database as JSONL / CSV."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Path, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response

from gongbao import export
from gongbao.errors import NotFoundError
from gongbao.serialize import plain
from gongbao.web import schemas, views
from gongbao.web.deps import cached, render, store
from gongbao.web.params import MAX_TEXT

router = APIRouter()

_MEDIA = {"csv": "text/csv; charset=utf-8", "jsonl": "application/x-ndjson; charset=utf-8"}


def document_json(st, ref: str) -> dict:
    """The stored document in full, with its status: the JSON export and the API's answer,
    one shape (``schemas.DocumentDetail``)."""
    return document_model(st, ref).model_dump(mode="json")


def document_model(st, ref: str) -> schemas.DocumentDetail:
    try:
        doc = st.get_document(ref)
    except NotFoundError:
        raise NotFoundError(f"没有找到公文：{ref}") from None
    detail = {
        **plain(doc), "status": plain(views.kept_status(st, doc.id, doc.validity)), "url": f"/documents/{doc.id}",
        "tasks": [{**plain(t), "overdue": views.overdue(t)} for t in doc.tasks],
    }
    return schemas.DocumentDetail.model_validate(detail)


@router.get("/documents/{doc_ref}.{fmt}", include_in_schema=False)
def document_export(request: Request, doc_ref: str = Path(max_length=MAX_TEXT), fmt: str = Path(max_length=MAX_TEXT)):
    return cached(request, lambda: _document_export(request, doc_ref, fmt))


def _document_export(request: Request, doc_ref: str, fmt: str):
    st = store(request)
    if fmt not in ("json", "md", "txt"):
        raise HTTPException(404, f"不支持的导出格式：.{fmt}（可用 .json、.md、.txt）")
    doc = document_json(st, doc_ref)
    if fmt == "json":
        return JSONResponse(doc, headers={"Content-Disposition": f'inline; filename="{doc["id"]}.json"'})
    issue = doc.get("issue") or {}
    source = views.issue_label(issue) if issue.get("id") else None
    status = doc["status"]["label"]
    if fmt == "md":
        return PlainTextResponse(export.document_markdown(doc, status=status, source=source),
                                 media_type="text/markdown; charset=utf-8")
    return PlainTextResponse(export.document_text(doc, status=status, source=source))


@router.get("/export", include_in_schema=False)
def export_page(request: Request):
    return render(request, "export.html", {"tables": export.TABLES, "formats": export.FORMATS})


@router.get("/api/v1/export/{table}.{fmt}", tags=["exports"], summary="批量导出一张表（JSONL 或 CSV）",
            response_class=Response,
            responses={200: {"content": {"application/x-ndjson": {}, "text/csv": {}},
                             "description": "documents / tasks / citations 的全部行"}})
def bulk_export(request: Request, table: str = Path(max_length=MAX_TEXT), fmt: str = Path(max_length=MAX_TEXT)):
    """`table` is documents, tasks or citations; `fmt` is jsonl or csv (same files as `gongbao export`)."""
    if table not in export.TABLES or fmt not in export.FORMATS:
        raise HTTPException(404, f"没有这种导出：{table}.{fmt}（表：documents、tasks、citations；格式：jsonl、csv）")
    st = store(request)
    rows = list(export.iter_rows(st, table))
    lines = export.csv_lines(rows, table) if fmt == "csv" else export.jsonl_lines(rows)
    body = ("\ufeff" if fmt == "csv" else "") + "".join(lines)
    # Built whole: the store's connection belongs to this worker thread, not to a stream.
    return Response(body.encode("utf-8"), media_type=_MEDIA[fmt],
                             headers={"Content-Disposition": f'attachment; filename="gongbao-{table}.{fmt}"'})
