"""Editors and 督查 in the portal: correct a document's field, work through an issue's review
queue, record progress on a task.  Every write needs a token: the editor token (as for
uploads) for all of them; a unit's own token (``[portal.unit_tokens]`` in the config file,
``"市水务局" = "…"``) for progress on that unit's tasks.  Bad values: 400 with one Chinese
line, nothing written; wrong token: 401/403.
"""

from __future__ import annotations

import hmac
import os
import tomllib
from pathlib import Path as FilePath

from fastapi import APIRouter, Form, HTTPException, Path, Request
from fastapi.responses import RedirectResponse

from gongbao.corrections import DOC_FIELDS
from gongbao.errors import NotFoundError, UsageError
from gongbao import labels
from gongbao.web.deps import render, store
from gongbao.web.params import SQL_INT_MAX
from gongbao.web.security import CONFIG_ENV, DEFAULT_CONFIG, check_token, presented_token

router = APIRouter()

FIELD_CHOICES = [(f, labels.label("field", f)) for f in DOC_FIELDS]


def unit_tokens() -> dict[str, str]:
    """Unit → token, from ``[portal.unit_tokens]`` of the config file (none when absent)."""
    path = FilePath(os.environ.get(CONFIG_ENV) or DEFAULT_CONFIG)
    try:
        config = tomllib.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return {}
    table = config.get("portal", {}).get("unit_tokens", {})
    return {str(k): str(v) for k, v in table.items() if v} if isinstance(table, dict) else {}


def _writer(request: Request):
    from gongbao.store import open_store

    return open_store(request.app.state.db_path, create=False)


def _bad(exc: UsageError) -> HTTPException:
    return HTTPException(400, str(exc))


def _is_editor(request: Request, token: str | None) -> bool:
    expected = request.app.state.upload_token
    given = presented_token(request, token)
    return bool(expected and given and hmac.compare_digest(given.encode(), expected.encode()))


def _unit_of_token(request: Request, token: str | None, unit: str) -> str:
    """The unit a unit token stands for; 401 without a token, 403 for a token of another unit."""
    given = presented_token(request, token)
    if not given:
        raise HTTPException(401, "需要单位令牌或编辑令牌才能报送进展。", headers={"WWW-Authenticate": "Bearer"})
    owners = [name for name, secret in unit_tokens().items() if hmac.compare_digest(given.encode(), secret.encode())]
    if not owners:
        raise HTTPException(403, "令牌不正确。")
    if unit and unit not in owners:
        raise HTTPException(403, f"该令牌属于“{owners[0]}”，不能代“{unit}”报送进展。")
    return unit or owners[0]


# --- corrections ---------------------------------------------------------------------------

def _correct(request: Request, doc_id: str, field: str, value: str, reason: str, editor: str, token: str):
    from gongbao.editing import correct, correction_dict

    check_token(request, token)
    try:
        with _writer(request) as st:
            return correction_dict(correct(st, doc_id, field, value, reason, editor or "编辑"))
    except UsageError as exc:
        raise _bad(exc) from exc


@router.post("/documents/{doc_id}/corrections", include_in_schema=False)
def correct_page(request: Request, doc_id: str, field: str = Form(...), value: str = Form(""),
                 reason: str = Form(""), editor: str = Form(""), token: str = Form("")):
    _correct(request, doc_id, field, value, reason, editor, token)
    return RedirectResponse(f"/documents/{doc_id}#corrections", status_code=303)


@router.post("/api/v1/documents/{doc_id}/corrections", tags=["editors"], summary="更正公文的一个字段（编辑令牌）",
             status_code=201)
def correct_api(request: Request, doc_id: str, field: str = Form(...), value: str = Form(""),
                reason: str = Form(""), editor: str = Form("")) -> dict:
    return _correct(request, doc_id, field, value, reason, editor, "")


# --- review queue --------------------------------------------------------------------------

@router.get("/issues/{issue_id}/review", include_in_schema=False)
def review_page(request: Request, issue_id: int = Path(ge=1, le=SQL_INT_MAX), all: bool = False):
    from gongbao.review import review_items

    issue, items = review_items(store(request), issue_id, include_decided=all)
    return render(request, "review.html", {
        "issue": issue, "items": items, "open": sum(i.decision == "open" for i in items), "show_all": all,
        "fields": FIELD_CHOICES,
    })


@router.post("/issues/{issue_id}/review/{item_key}", include_in_schema=False)
def review_decide(request: Request, issue_id: int = Path(ge=1, le=SQL_INT_MAX), item_key: str = Path(max_length=64), action: str = Form(...), reason: str = Form(""),
                  field: str = Form(""), value: str = Form(""), editor: str = Form(""), token: str = Form("")):
    from gongbao.review import decide

    check_token(request, token)
    try:
        with _writer(request) as st:
            decide(st, issue_id, item_key, action, reason, editor or "编辑", (field, value) if field else None)
    except UsageError as exc:
        raise _bad(exc) from exc
    return RedirectResponse(f"/issues/{issue_id}/review", status_code=303)


# --- task follow-up ------------------------------------------------------------------------

@router.get("/tasks/{doc_id}/{number}", include_in_schema=False)
def task_page(request: Request, doc_id: str, number: int = Path(ge=1, le=SQL_INT_MAX)):
    from gongbao.followup import ledger

    st = store(request)
    rows = [r for r in ledger(st, doc=doc_id) if r["number"] == number]
    if not rows:
        raise NotFoundError(f"没有找到该任务：{doc_id} 第 {number} 项")
    task = rows[0]
    return render(request, "task.html", {"t": task, "task_units": task["lead_units"] + task["responsible_units"]
                                          + task["partner_units"]})


def _report(request: Request, doc_id: str, number: int, state: str, note: str, unit: str, done_on: str,
            new_deadline: str, by: str, token: str):
    from gongbao.followup import progress_dict, report

    editor = _is_editor(request, token)
    if not editor:
        unit = _unit_of_token(request, token, unit)
    try:
        with _writer(request) as st:
            return progress_dict(report(st, doc_id, number, state, note, unit=unit or None, done_on=done_on or None,
                                        new_deadline=new_deadline or None, by=by or None, editor=editor))
    except UsageError as exc:
        raise _bad(exc) from exc


@router.post("/tasks/{doc_id}/{number}/progress", include_in_schema=False)
def progress_page(request: Request, doc_id: str, number: int = Path(ge=1, le=SQL_INT_MAX), state: str = Form(...), note: str = Form(""),
                  unit: str = Form(""), done_on: str = Form(""), new_deadline: str = Form(""), by: str = Form(""),
                  token: str = Form("")):
    _report(request, doc_id, number, state, note, unit, done_on, new_deadline, by, token)
    return RedirectResponse(f"/tasks/{doc_id}/{number}", status_code=303)


@router.post("/api/v1/tasks/{doc_id}/{number}/progress", tags=["editors"], status_code=201,
             summary="报送任务进展（单位令牌或编辑令牌）：已办结 / 进行中 / 延期")
def progress_api(request: Request, doc_id: str, number: int = Path(ge=1, le=SQL_INT_MAX), state: str = Form(...), note: str = Form(""),
                 unit: str = Form(""), done_on: str = Form(""), new_deadline: str = Form(""), by: str = Form("")) -> dict:
    return _report(request, doc_id, number, state, note, unit, done_on, new_deadline, by, "")
