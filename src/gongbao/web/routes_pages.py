"""The portal's pages: home, issues, issue source, document, unit, tasks ledger, library.

(Search lives in routes_search, feeds in routes_feeds, exports in routes_export.)
"""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response

from gongbao import labels
from gongbao.errors import InputError
from gongbao.textforms import title_key
from gongbao.review import review_items
from gongbao.web import views, whole
from gongbao.serialize import plain
from gongbao.store import Filters
from gongbao.store.records import IssueSummary, StoredIssue
from gongbao.web.deps import cached, portal, render, store, whole_database
from gongbao.web.params import MAX_PAGE, MAX_TEXT, SQL_INT_MAX

router = APIRouter(include_in_schema=False)

FINDING_LABELS = {
    "missing_in_body": "正文缺失", "missing_in_toc": "目录未列", "missing_in_index": "检索未列",
    "title_differs": "标题不一致", "number_differs": "文号不一致", "page_differs": "页码不一致", "continuation_page_differs": "转页页码不一致",
}
ARTICLE_LABELS = {"editorial": "卷首语", "news": "政务要闻", "toc": "目录", "index": "文件检索",
                  "masthead": "刊头", "other": "其他"}


def _issue_summary(issue: IssueSummary) -> dict:
    shown = plain(issue)
    path = (issue.source_path or "").replace("\\", "/")
    kind = source_kind(issue)
    return {**shown, "label": views.issue_label(shown), "source_name": path.split("/")[-1] or issue.key,
            "source_kind": kind, "source_kind_label": labels.label("source_kind", kind)}


def source_kind(issue: IssueSummary) -> str:
    """``issue`` for a number of a gazette (series, year and number known, as ``ids.issue_key``
    keys it), ``document`` for a text ingested alone (a law, a single .docx)."""
    return "issue" if issue.series and issue.year and issue.issue is not None else "document"


@router.get("/")
def home(request: Request):
    return cached(request, lambda: _home(request))


def _sources(st) -> dict:
    """The newest gazette issues and documents, and how many issues and single texts are held
    (kept per database version, made when the portal starts: the home page reads nothing)."""
    everything = st.portal_issues()
    issues = [i for i in everything if source_kind(i) == "issue"]
    singles = [i for i in everything if source_kind(i) == "document"]
    return {"issues": [_issue_summary(i) for i in issues[:8]], "issue_count": len(issues),
            "single_count": len(singles), "single_documents": sum(i.documents for i in singles),
            "latest": st.portal_listing(Filters(), limit=10)}


_home_sources = whole_database("home sources", _sources, derived=True)


def _home(request: Request):
    return render(request, "home.html", {
        **_home_sources(request), "stats": whole.counts(request), "series": whole.series(request),
    })


@router.get("/issues")
def issues_page(request: Request, page: int = Query(1, ge=1, le=MAX_PAGE)):
    return cached(request, lambda: _issues_page(request, page))


def _issues_page(request: Request, page: int):
    # 各期公报: gazette issues only; texts ingested alone are documents, found under their issuer
    issues = [i for i in whole.issues(request) if source_kind(i) == "issue"]
    paging = views.Paging(page, 100, len(issues))
    return render(request, "issues.html", {
        "issues": [_issue_summary(i) for i in issues[paging.offset : paging.offset + paging.size]],
        "page": paging, "page_url": lambda n: f"/issues?page={n}",
    })


def _toc_targets(st, issue: StoredIssue) -> list[dict]:
    """Each printed contents entry with the document it names, where one was found: by 文号,
    by title or by the title of a text a document issues (a 令 printing its 办法), compared
    without spaces, punctuation or width differences."""
    docs = issue.summaries
    by_number = {d.doc_number: d.id for d in docs if d.doc_number}
    by_title = {title_key(d.title): d.id for d in docs}
    for doc_id, title in st.issue_embedded(issue.id):
        by_title.setdefault(title_key(title), doc_id)
    out = []
    for entry in issue.toc:
        key = title_key(entry.title)
        target = by_number.get(str(entry.doc_number) if entry.doc_number else None) or by_title.get(key)
        if target is None and key:
            target = next((doc_id for title, doc_id in by_title.items() if key in title or title in key), None)
        out.append({**plain(entry), "document_id": target})
    return out


@router.get("/issues/{issue_id}")
def issue_page(request: Request, issue_id: int = Path(ge=1, le=SQL_INT_MAX)):
    return cached(request, lambda: _issue_page(request, issue_id))


def _issue_page(request: Request, issue_id: int):
    st = store(request)
    issue = st.get_issue(issue_id)
    return render(request, "issue.html", {
        "issue": _issue_summary(issue),
        "review_open": len(review_items(st, issue_id)[1]),
        "documents": issue.summaries,
        "toc": _toc_targets(st, issue),
        "pages": getattr(st.source_file(issue_id), "pages", ()),
        "findings": [{**plain(f), "kind_label": FINDING_LABELS.get(f.kind, f.kind)} for f in issue.reconciliation],
        "articles": [{**plain(a), "kind_label": ARTICLE_LABELS.get(a.kind, a.kind)} for a in issue.articles
                     if a.kind not in ("toc", "index", "masthead")],
    })


@router.get("/issues/{issue_id}/source")
def issue_source(request: Request, issue_id: int = Path(ge=1, le=SQL_INT_MAX)):
    st = store(request)
    issue = _issue_summary(st.get_issue(issue_id))
    return render(request, "source.html", {"issue": issue, "lines": st.source_lines(issue_id)})


@router.get("/documents/{doc_ref}")
def document_page(request: Request, doc_ref: str = Path(max_length=MAX_TEXT)):
    st = store(request)
    titles = whole.interpretations(request)
    return cached(request, lambda: render(request, "document.html", {"doc": views.document_view(st, doc_ref, titles)}))


@router.get("/units/{name}")
def unit_page(request: Request, name: str = Path(max_length=MAX_TEXT)):
    return cached(request, lambda: _unit_page(request, name))


def _unit_page(request: Request, name: str = Path(max_length=MAX_TEXT)):
    documents = views.unit_documents(portal(request), name)
    tasks = views.unit_tasks(store(request), name)
    return render(request, "unit.html", {
        "name": name, "documents": documents, "documents_html": views.document_items_html(documents, evidence=False), "tasks": tasks,
        "overdue_count": sum(1 for t in tasks if t["overdue"]),
    })


@router.get("/tasks")
def tasks_page(
    request: Request,
    unit: str | None = Query(None, max_length=MAX_TEXT),
    document: str | None = Query(None, max_length=MAX_TEXT),
    due_from: str | None = Query(None, max_length=MAX_TEXT),
    due_to: str | None = Query(None, max_length=MAX_TEXT),
    overdue: bool = False,
    state: str | None = Query(None, max_length=MAX_TEXT),
    page: int = Query(1, ge=1, le=MAX_PAGE),
):
    return cached(request, lambda: _tasks_page(request, unit, document, due_from, due_to, overdue, state, page))


def _state(state: str | None) -> str | None:
    from gongbao.followup import FILTERS

    if state and state not in FILTERS:
        raise InputError(f"进展筛选只能是 {'、'.join(FILTERS)}：{state}")
    return state or None


def _task_filter(unit, document, due_from, due_to, overdue, state) -> views.TaskFilter:
    """The ledger's filters from a query (the page, its CSV and its iCalendar share them)."""
    return views.TaskFilter(unit=unit or None, document=document or None, due_from=due_from or None,
                            due_to=due_to or None, overdue=overdue, state=_state(state))


def _tasks_page(request: Request, unit, document, due_from, due_to, overdue, state, page):
    f = _task_filter(unit, document, due_from, due_to, overdue, state)
    tasks = whole.ledger(request, f)
    paging = views.Paging(page, 50, len(tasks))
    query = f.query()
    return render(request, "tasks.html", {
        "tasks": tasks[paging.offset : paging.offset + paging.size], "f": f, "page": paging,
        "as_of": views.today(), "unit_names": [u.name for u in whole.units(request)][:500],
        "csv_url": "/tasks.csv" + (f"?{query}" if query else ""),
        "ics_url": "/tasks.ics" + (f"?{query}" if query else ""), "states": _STATE_CHOICES,
        "page_url": lambda n: f"/tasks?{query}{'&' if query else ''}page={n}",
    })


_STATE_CHOICES = [("", "全部"), ("open", "未报告"), ("in_progress", "进行中"), ("postponed", "延期"), ("done", "已办结"),
                  ("overdue", "已逾期")]


@router.get("/tasks.csv")
def tasks_csv(request: Request, unit: str | None = Query(None, max_length=MAX_TEXT),
              document: str | None = Query(None, max_length=MAX_TEXT), due_from: str | None = Query(None, max_length=MAX_TEXT),
              due_to: str | None = Query(None, max_length=MAX_TEXT), overdue: bool = False,
              state: str | None = Query(None, max_length=MAX_TEXT)):
    from gongbao.export import tasks_csv as to_csv

    f = _task_filter(unit, document, due_from, due_to, overdue, state)
    body = to_csv(whole.ledger(request, f))
    return Response(body.encode("utf-8-sig"), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="gongbao-tasks.csv"'})


@router.get("/tasks.ics")
def tasks_ics(request: Request, unit: str | None = None, document: str | None = None,
              due_from: str | None = None, due_to: str | None = None, overdue: bool = False,
              state: str | None = None):
    """The ledger's deadlines (after postponements) as iCalendar events, same filters as /tasks."""
    from gongbao.followup import ledger_ics

    f = _task_filter(unit, document, due_from, due_to, overdue, state)
    body = ledger_ics(whole.ledger(request, f), name=f"任务台账{' · ' + unit if unit else ''}")
    return Response(body, media_type="text/calendar; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="gongbao-tasks.ics"'})


@router.get("/library")
def library_page(request: Request, q: str | None = Query(None, max_length=MAX_TEXT),
                 issuer: str | None = Query(None, max_length=MAX_TEXT), year: str | None = Query(None, max_length=MAX_TEXT),
                 type: str | None = Query(None, max_length=MAX_TEXT), status: str | None = Query(None, max_length=MAX_TEXT),
                 page: int = Query(1, ge=1, le=MAX_PAGE)):
    return cached(request, lambda: _library(request, q, issuer, year, type, status, page))


def _library(request: Request, q, issuer, year, type, status, page):
    f = {"q": q or None, "issuer": issuer or None, "year": year or None, "type": type or None, "status": status or None}
    groups = views.library_groups(portal(request), f, page)
    query = urlencode([(k, v) for k, v in f.items() if v])
    types = whole.filter_choices(request)["types"]
    return render(request, "library.html", {
        "groups": groups, "f": f, "types": types, "as_of": views.today(), "groups_order": views.LIBRARY_GROUPS,
        "group_url": lambda code: "/library?" + urlencode([*((k, v) for k, v in f.items() if v and k != "status"),
                                                          ("status", code)]),
        "page_url": lambda n: f"/library?{query}&page={n}",
    })


@router.get("/api")
def api_page(request: Request):
    """The API reference, rendered from the OpenAPI spec (no CDN-hosted Swagger UI)."""
    spec = request.app.openapi()
    endpoints = []
    for path, methods in spec["paths"].items():
        for method, op in methods.items():
            ok = op.get("responses", {}).get("200") or op.get("responses", {}).get("201") or {}
            schema = ok.get("content", {}).get("application/json", {}).get("schema", {})
            ref = schema.get("$ref") or schema.get("items", {}).get("$ref") or ""
            endpoints.append({
                "method": method.upper(), "path": path, "summary": op.get("summary", ""),
                "description": op.get("description", ""), "tag": (op.get("tags") or ["其他"])[0],
                "params": [{"name": p["name"], "in": p["in"], "required": p.get("required", False),
                            "description": p.get("description") or p.get("schema", {}).get("description", "")}
                           for p in op.get("parameters", [])],
                "returns": ref.rsplit("/", 1)[-1] + ("[]" if schema.get("type") == "array" else "") if ref else "",
            })
    models = {name: [{"name": f, "type": _type_name(d), "description": d.get("description", "")}
                     for f, d in m.get("properties", {}).items()]
              for name, m in spec["components"]["schemas"].items() if not name.startswith(("HTTP", "Validation", "Body_"))}
    return render(request, "api.html", {"endpoints": endpoints, "models": models, "spec": spec})


def _type_name(d: dict) -> str:
    if "$ref" in d:
        return d["$ref"].rsplit("/", 1)[-1]
    if "anyOf" in d:
        return " | ".join(_type_name(x) for x in d["anyOf"])
    if d.get("type") == "array":
        return f"{_type_name(d.get('items', {}))}[]"
    return d.get("type", "any")
