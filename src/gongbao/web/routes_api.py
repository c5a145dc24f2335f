"""The JSON API under /api/v1 (read-only; the upload is in routes_upload).

Field names are those of the store (docs/store.md) and of the response models in
``gongbao.web.schemas``; /openapi.json documents them.
"""

from __future__ import annotations

import functools

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response
from pydantic import TypeAdapter

from gongbao.errors import NotFoundError
from gongbao.serialize import plain
from gongbao.store import Filters
from gongbao.store.records import DocSummary, ListedDoc, StoredDocument
from gongbao.web import schemas, views, whole
from gongbao.web.deps import cached, portal, store
from gongbao.web.routes_export import document_model
from gongbao.web.params import MAX_OFFSET, MAX_TEXT, MAX_YEAR, SQL_INT_MAX

router = APIRouter(prefix="/api/v1")

_NOT_FOUND = {404: {"description": "不存在"}}


def cached_json(model):
    """Answer a GET endpoint from the response cache; its result is validated as ``model``
    (what ``response_model`` would do; a ``model`` instance is taken as it is) and kept as
    JSON until the database changes.  pydantic writes the JSON itself (compact, UTF-8): FastAPI's
    ``jsonable_encoder`` walk was half of a document's answer."""
    adapter = TypeAdapter(model)

    def as_json(value) -> Response:
        valid = value if isinstance(model, type) and isinstance(value, model) else adapter.validate_python(value)
        return Response(adapter.dump_json(valid), media_type="application/json")

    def decorate(endpoint):
        @functools.wraps(endpoint)
        def wrapper(**kwargs):
            return cached(kwargs["request"], lambda: as_json(endpoint(**kwargs)))

        return wrapper

    return decorate


def _issue_out(issue: dict) -> dict:
    return {**issue, "gazette": issue.get("series"), "label": views.issue_label(issue), "url": f"/issues/{issue['id']}"}


def _doc_out(st, doc: DocSummary | StoredDocument) -> dict:
    status = doc.status if isinstance(doc, ListedDoc) else views.kept_status(st, doc.id)
    return {**plain(doc), "status": status.code, "url": f"/documents/{doc.id}"}


@router.get("/issues", response_model=schemas.IssueList, tags=["issues"], summary="各期公报")
@cached_json(schemas.IssueList)
def list_issues(request: Request, limit: int = Query(50, ge=1, le=500), offset: int = Query(0, ge=0, le=MAX_OFFSET)):
    issues = whole.issues(request)
    return {"total": len(issues), "offset": offset, "limit": limit,
            "items": [_issue_out(plain(i)) for i in issues[offset : offset + limit]]}


@router.get("/issues/{issue_id}", response_model=schemas.IssueDetail, tags=["issues"],
            summary="一期公报：公文、刊印目录、核对结果", responses=_NOT_FOUND)
@cached_json(schemas.IssueDetail)
def get_issue(request: Request, issue_id: int = Path(ge=1, le=SQL_INT_MAX)):
    st = store(request)
    issue = st.get_issue(issue_id)
    return {**_issue_out(plain(issue)), "documents": [_doc_out(st, d) for d in issue.summaries]}


@router.get("/documents", response_model=schemas.DocumentList, tags=["documents"], summary="公文列表（可筛选、分页）")
@cached_json(schemas.DocumentList)
def list_documents(
    request: Request,
    issuer: str | None = Query(None, max_length=MAX_TEXT, description="发文机关（名称的一部分）"),
    year: int | None = Query(None, ge=1, le=MAX_YEAR, description="年份"),
    type: str | None = Query(None, max_length=MAX_TEXT, description="文种：通知、意见、办法 …"),
    series: str | None = Query(None, max_length=MAX_TEXT, description="公报名称"),
    issue_id: int | None = Query(None, ge=1, le=SQL_INT_MAX, description="期的编号"),
    date_from: str | None = Query(None, max_length=MAX_TEXT, description="成文日期起（ISO，含）"),
    date_to: str | None = Query(None, max_length=MAX_TEXT, description="成文日期止（ISO，含）"),
    doc_number: str | None = Query(None, max_length=MAX_TEXT, description="文号（任意写法）：返回该文号的公文"),
    limit: int = Query(50, ge=1, le=500),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
):
    st = store(request)
    if doc_number:
        try:
            doc = st.get_document(doc_number, full=False)
        except NotFoundError:
            return {"total": 0, "offset": offset, "limit": limit, "items": []}
        return {"total": 1, "offset": 0, "limit": limit, "items": [_doc_out(st, doc)]}
    filters = Filters(issuer=issuer, year=year, type=type, series=series, issue_id=issue_id,
                      date_from=date_from, date_to=date_to)
    page = portal(request).portal_documents(filters, limit=limit, offset=offset)
    return {"total": page.total, "offset": offset, "limit": limit, "items": [_doc_out(st, d) for d in page.items]}


@router.get("/documents/{ref}", response_model=schemas.DocumentDetail, tags=["documents"],
            summary="一件公文（按编号或文号）", responses=_NOT_FOUND)
@cached_json(schemas.DocumentDetail)
def get_document(request: Request, ref: str = Path(max_length=MAX_TEXT)):
    """`ref` is the document id (`n3f…`) or its 文号 in any written form (URL-encoded)."""
    return document_model(store(request), ref)


def _doc(request: Request, ref: str) -> StoredDocument:
    try:
        return store(request).get_document(ref)
    except NotFoundError:
        raise NotFoundError(f"没有找到公文：{ref}") from None


@router.get("/documents/{ref}/outline", response_model=list[schemas.OutlineNodeOut], tags=["documents"],
            summary="公文的层次结构（每个节点带锚点）", responses=_NOT_FOUND)
@cached_json(list[schemas.OutlineNodeOut])
def document_outline(request: Request, ref: str = Path(max_length=MAX_TEXT)):
    return plain(_doc(request, ref).outline)


@router.get("/documents/{ref}/tables", response_model=list[schemas.TableOut], tags=["documents"],
            summary="公文中的表格", responses=_NOT_FOUND)
@cached_json(list[schemas.TableOut])
def document_tables(request: Request, ref: str = Path(max_length=MAX_TEXT)):
    return plain(_doc(request, ref).tables)


@router.get("/documents/{ref}/tasks", response_model=list[schemas.TaskOut], tags=["documents"],
            summary="公文分配的任务", responses=_NOT_FOUND)
@cached_json(list[schemas.TaskOut])
def document_tasks(request: Request, ref: str = Path(max_length=MAX_TEXT)):
    return [views.task_view(t) for t in _doc(request, ref).tasks]


@router.get("/documents/{ref}/citations", response_model=schemas.Citations, tags=["documents"],
            summary="引用：本文引用的（outgoing）与引用本文的（incoming）", responses=_NOT_FOUND)
@cached_json(schemas.Citations)
def document_citations(request: Request, ref: str = Path(max_length=MAX_TEXT)):
    st = store(request)
    doc = _doc(request, ref)
    return {"outgoing": views.citations_out(st, plain(doc)), "incoming": views.citations_in(st, doc.id)}


@router.get("/tasks", response_model=schemas.TaskList, tags=["tasks"], summary="任务台账（可筛选）")
@cached_json(schemas.TaskList)
def list_tasks(
    request: Request,
    unit: str | None = Query(None, max_length=MAX_TEXT, description="牵头/责任/配合单位（名称的一部分）"),
    document: str | None = Query(None, max_length=MAX_TEXT, description="公文编号或文号"),
    due_from: str | None = Query(None, max_length=MAX_TEXT, description="时限不早于（ISO）"),
    due_to: str | None = Query(None, max_length=MAX_TEXT, description="时限不晚于（ISO）"),
    overdue: bool = Query(False, description="只要已逾期的（按今天）"),
    limit: int = Query(100, ge=1, le=1000),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
):
    f = views.TaskFilter(unit=unit, document=document, due_from=due_from, due_to=due_to, overdue=overdue)
    tasks = whole.ledger(request, f)
    return {"total": len(tasks), "offset": offset, "limit": limit, "items": tasks[offset : offset + limit]}


@router.get("/units", response_model=list[schemas.UnitOut], tags=["units"], summary="单位（发文机关与任务单位）")
@cached_json(list[schemas.UnitOut])
def list_units(request: Request):
    return [{**plain(u), "url": f"/units/{u.name}"} for u in whole.units(request)]


@router.get("/units/{name}", response_model=schemas.UnitDetail, tags=["units"], summary="一个单位：发文与任务")
@cached_json(schemas.UnitDetail)
def get_unit(request: Request, name: str = Path(max_length=MAX_TEXT)):
    documents = views.unit_documents(portal(request), name)
    tasks = views.unit_tasks(store(request), name)
    if not documents and not tasks:
        raise NotFoundError(f"没有找到单位：{name}")
    return {"name": name, "url": f"/units/{name}", "documents": [
        {**plain(d), "status": d.status.code, "url": f"/documents/{d.id}"} for d in documents],
            "tasks": tasks}


@router.get("/stats", response_model=schemas.Stats, tags=["stats"], summary="收录统计")
@cached_json(schemas.Stats)
def stats(request: Request):
    return plain(whole.counts(request))
