"""Editors: upload an issue file (form at /upload, API at POST /api/v1/issues).

Both check the editor token before reading the file, then hand the file to the ingest
library; a file that does not parse leaves the database as it was and answers 422.
"""

from __future__ import annotations

import hashlib
import re
import tempfile
from pathlib import Path

from fastapi import APIRouter, Depends, File, Form, HTTPException, Request, Response, UploadFile

from gongbao.errors import GongbaoError
from gongbao.web.deps import render
from gongbao.web.schemas import UploadResult
from gongbao.web.security import check_token

router = APIRouter()

_SAFE_NAME = re.compile(r"[^\w.\-\u4e00-\u9fff]+")


def ingest_upload(db_path: Path, filename: str | None, data: bytes) -> UploadResult:
    """Ingest one uploaded issue file into ``db_path``; 400/422 with the reason when it fails."""
    from gongbao.ingest import ingest_paths
    from gongbao.store import open_store
    from gongbao.web.derived import refresh

    if not data.strip():
        raise HTTPException(400, "上传的文件是空的。")
    name = _SAFE_NAME.sub("_", Path(filename or "upload.txt").name).strip("._") or "upload.txt"
    # any kind gongbao reads (text, PDF, scans, .docx): the content decides, not the name
    with tempfile.TemporaryDirectory(prefix="gongbao-upload-") as tmp:
        # A fixed folder name: a single text's issue key is "file:<folder>/<name>", so the
        # same file uploaded again is recognised as the same issue.
        path = Path(tmp) / "upload" / name
        path.parent.mkdir()
        path.write_bytes(data)
        try:
            summary = ingest_paths([path], db_path, progress=False)
        except GongbaoError as exc:
            raise HTTPException(422, f"无法收录该文件：{exc}") from exc
    if summary.failures:
        reason = "；".join(f.reason for f in summary.failures)
        raise HTTPException(422, f"无法收录该文件，数据库未改动：{reason}")
    with open_store(db_path) as st:
        issue_id = st.issue_id_of_source(hashlib.sha256(data).hexdigest())
        refresh(db_path, st)  # the pages' derived tables, now rather than on a visitor's request
    return UploadResult(
        filename=name,
        status="unchanged" if summary.unchanged else ("replaced" if summary.replaced else "added"),
        issues=summary.issues,
        documents=summary.documents,
        tasks=summary.tasks,
        issue_id=issue_id,
        issue_url=f"/issues/{issue_id}" if issue_id is not None else None,
    )


@router.get("/upload", include_in_schema=False)
def upload_form(request: Request):
    return render(request, "upload.html", {"max_mb": request.app.state.max_upload_bytes // (1024 * 1024)})


def _file(file: UploadFile | None) -> UploadFile:
    """The uploaded file, asked for after the token was checked (so a client without the
    token learns 401, never what the body lacks)."""
    if file is None or isinstance(file, str):
        raise HTTPException(422, "参数有误：file：缺少要上传的文件。")
    return file


def _require_token(request: Request) -> None:
    check_token(request)


@router.post("/upload", include_in_schema=False)
def upload_page(request: Request, file: UploadFile | None = File(None), token: str = Form("", max_length=1000)):
    check_token(request, token)
    file = _file(file)
    result = ingest_upload(request.app.state.db_path, file.filename, file.file.read())
    return render(
        request, "upload.html",
        {"result": result, "max_mb": request.app.state.max_upload_bytes // (1024 * 1024)},
        status_code=200 if result.status == "unchanged" else 201,
    )


@router.post(
    "/api/v1/issues",
    response_model=UploadResult,
    status_code=201,
    tags=["editors"],
    summary="上传一期公报并收录（需要编辑令牌）",
    responses={401: {"description": "未提供令牌（先于对请求体的任何检查）"}, 403: {"description": "令牌错误或上传已关闭"},
               413: {"description": "文件过大"}, 422: {"description": "缺少文件，或文件无法解析，数据库未改动"}},
    dependencies=[Depends(_require_token)],  # dependencies run before the body is validated
)
def upload_api(request: Request, response: Response,
               file: UploadFile | None = File(None, description="一期公报的文件：PDF（排版或扫描）、页面图片（PNG/JPEG/TIFF）、Word（.docx）或全文文本（.txt/.md）")):
    """201 when the issue was added or updated, 200 when the same file was already held."""
    file = _file(file)
    result = ingest_upload(request.app.state.db_path, file.filename, file.file.read())
    if result.status == "unchanged":
        response.status_code = 200
    return result
