"""Editors: upload an issue file (form at /upload, API at POST /api/v1/issues).

Both check the editor token before reading the file, then hand the file to the ingest
library; a file that does not parse leaves the database as it was and answers 422.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from fastapi import APIRouter, File, Form, HTTPException, Request, UploadFile

from gongbao.errors import GongbaoError
from gongbao.web.deps import render
from gongbao.web.schemas import UploadResult
from gongbao.web.security import check_token

router = APIRouter()

_SAFE_NAME = re.compile(r"[^\w.\-\u4e00-\u9fff]+")


def ingest_upload(db_path: Path, filename: str | None, data: bytes) -> UploadResult:
    """Ingest one uploaded issue file into ``db_path``; 400/422 with the reason when it fails."""
    from gongbao.ingest import ingest_paths

    if not data.strip():
        raise HTTPException(400, "上传的文件是空的。")
    name = _SAFE_NAME.sub("_", Path(filename or "upload.txt").name).strip("._") or "upload.txt"
    with tempfile.TemporaryDirectory(prefix="gongbao-upload-") as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        try:
            summary = ingest_paths([path], db_path)
        except GongbaoError as exc:
            raise HTTPException(422, f"无法收录该文件：{exc}") from exc
    failures = list(getattr(summary, "failures", None) or [])
    if failures:
        reason = "；".join(str(f[1] if isinstance(f, tuple) and len(f) > 1 else f) for f in failures)
        raise HTTPException(422, f"无法收录该文件：{reason}")
    issue_ids = list(getattr(summary, "issue_ids", None) or [])
    return UploadResult(
        filename=name,
        issues=int(getattr(summary, "issues", len(issue_ids)) or 0),
        documents=int(getattr(summary, "documents", 0) or 0),
        tasks=getattr(summary, "tasks", None),
        warnings=[str(w) for w in (getattr(summary, "warnings", None) or [])][:20],
        issue_url=f"/issues/{issue_ids[-1]}" if issue_ids else None,
    )


@router.get("/upload", include_in_schema=False)
def upload_form(request: Request):
    return render(request, "upload.html", {"max_mb": request.app.state.max_upload_bytes // (1024 * 1024)})


@router.post("/upload", include_in_schema=False)
def upload_page(request: Request, file: UploadFile = File(...), token: str = Form("")):
    check_token(request, token)
    result = ingest_upload(request.app.state.db_path, file.filename, file.file.read())
    return render(
        request, "upload.html",
        {"result": result, "max_mb": request.app.state.max_upload_bytes // (1024 * 1024)},
        status_code=201,
    )


@router.post(
    "/api/v1/issues",
    response_model=UploadResult,
    status_code=201,
    tags=["editors"],
    summary="上传一期公报并收录（需要编辑令牌）",
    responses={401: {"description": "未提供令牌"}, 403: {"description": "令牌错误或上传已关闭"},
               413: {"description": "文件过大"}, 422: {"description": "文件无法解析，数据库未改动"}},
)
def upload_api(request: Request, file: UploadFile = File(..., description="一期公报的全文文本文件")):
    check_token(request)
    return ingest_upload(request.app.state.db_path, file.filename, file.file.read())
