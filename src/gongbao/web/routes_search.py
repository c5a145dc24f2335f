"""Search: the page at /search and the API at /api/v1/search, both over ``search.query``.

The API answers exactly what `gongbao search --format json` prints (``SearchResult.to_json``).
"""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse

from gongbao.errors import InputError
from gongbao.search.query import facets as search_facets
from gongbao.search.query import STATUS_SCAN, search
from gongbao.web import schemas, views, whole
from gongbao.labels import STATUS
from gongbao.web.deps import cached, memo, render, store
from gongbao.web.params import MAX_OFFSET, MAX_PAGE, MAX_TEXT, MAX_YEAR, form_year

router = APIRouter()

PAGE_SIZE = 10
FACET_VALUES = 12
FACET_LIMIT = 1000  # above this many matches, no facet counts (the form's filters remain)
FILTER_LABELS = {"issuer": "发文机关", "year": "年份", "type": "文种", "status": "效力状态"}
EXAMPLES = ["见义勇为", "超标粮食 处置", "渝府办发〔2021〕26号", "风险补偿 贷款", "养老服务"]


@router.get("/api/v1/search", tags=["search"], summary="全文检索（与 gongbao search --format json 相同）",
            response_model=schemas.SearchResult)
def api_search(
    request: Request,
    q: str = Query(..., description="检索词：空格为 AND，\"短语\"，a OR b，-排除；也可以是文号"),
    issuer: str | None = Query(None, max_length=MAX_TEXT, description="发文机关（名称的一部分）"),
    year: int | None = Query(None, ge=1, le=MAX_YEAR, description="年份"),
    type: str | None = Query(None, max_length=MAX_TEXT, description="文种"),
    limit: int = Query(10, ge=1, le=1000),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
):
    def make():
        result = shared_search(request, q, {"issuer": issuer, "year": year, "type": type}, limit, offset)
        # returned as is, so the answer is the very object the CLI prints
        return JSONResponse(result.to_json())

    return cached(request, make)


def shared_search(request: Request, q: str, filters: dict, limit: int, offset: int, status: str | None = None):
    """``search.query.search`` kept per query until the database changes: the page and the API
    ask for the same first ten hits of a query."""
    filters = {k: filters.get(k) or None for k in ("issuer", "year", "type")}
    key = f"search\n{q}\n{sorted(filters.items())}\n{limit}\n{offset}\n{status}"
    return memo(request, key, lambda: search(store(request), q, filters, limit=limit, offset=offset, status=status))


def _url(params: dict, **changes) -> str:
    merged = {**params, **changes}
    return "/search?" + urlencode([(k, v) for k, v in merged.items() if v not in (None, "")])


def _suggestions(st, q: str, filters: dict) -> list[str]:
    """Words of the query that find something on their own, when the whole query found nothing."""
    words = [w for w in q.split() if not w.startswith("-")]
    out = []
    if len(words) > 1:
        for word in words:
            if search(st, word, filters, limit=1).total:
                out.append(word)
    return out[:5]


@router.get("/search", include_in_schema=False)
def search_page(request: Request, q: str = "", issuer: str | None = Query(None, max_length=MAX_TEXT),
                year: str | None = Query(None, max_length=MAX_TEXT), type: str | None = Query(None, max_length=MAX_TEXT),
                status: str | None = Query(None, max_length=MAX_TEXT), page: int = Query(1, ge=1, le=MAX_PAGE)):
    return cached(request, lambda: _search_page(request, q, issuer, year, type, status, page))


def _search_page(request: Request, q: str, issuer: str | None, year: str | None, type: str | None,
                 status: str | None, page: int):
    st = store(request)
    q = q.strip()
    params = {"q": q, "issuer": issuer, "year": year, "type": type, "status": status}
    active = [(k, v) for k, v in params.items() if k != "q" and v]
    context = {
        "status_scan": None, "q": q, "issuer": issuer or "", "year": year or "", "type": type or "", "status": status or "",
        "choices": whole.filter_choices(request), "status_choices": list(STATUS.items()), "active_filters": active, "filter_labels": FILTER_LABELS, "suggestions": EXAMPLES, "error": None,
        "without": lambda name: _url(params, **{name: None}), "clear_filters": _url({"q": q}),
    }
    if not q:
        return render(request, "search.html", context)
    try:
        year_value = form_year(year)
    except InputError as exc:
        context["error"] = str(exc)
        year_value = year = params["year"] = None
    filters = {"issuer": issuer or None, "year": year_value, "type": type or None}
    result, paging, context["status_scan"] = _results(request, q, filters, status, page)
    # Facets do not change from page to page of one query: computed once per query and filters.
    # They cost a row per matching document, so a very broad query goes without.
    counts = {}
    broad = not status and (result.total > FACET_LIMIT or result.total_capped)  # the status filter hides the total
    if not broad:
        counts = memo(request, f"facets\n{q}\n{sorted(filters.items())}",
                      lambda: search_facets(st, q, filters, most=FACET_LIMIT, facts=whole.facet_facts(request)))
        broad = not counts and result.total > 0
    facet_list = _facet_list(counts, params)
    hits = [{**_hit_dict(h), "url": f"/documents/{h.id}"} for h in result.hits]
    context.update({
        "result": {"total": result.total, "total_capped": result.total_capped, "hits": hits, "relaxed": result.relaxed},
        "page": paging, "page_url": lambda n: _url(params, page=n), "facets": facet_list,
        "facets_skipped": broad,
        "suggestions": (_suggestions(st, q, filters) or EXAMPLES[:3]) if not result.total else [],
    })
    return render(request, "search.html", context)


def _results(request: Request, q: str, filters: dict, status: str | None, page: int):
    """(result, paging, status_scan) of one page of a search; a status filter looks among
    the best STATUS_SCAN matches (``search``)."""
    status = status or None
    first = shared_search(request, q, filters, PAGE_SIZE, (page - 1) * PAGE_SIZE, status)
    paging = views.Paging(page, PAGE_SIZE, first.total)
    result = first if paging.number == page else shared_search(request, q, filters, PAGE_SIZE, paging.offset, status)
    return result, paging, STATUS_SCAN if status and result.total_capped else None


def _facet_list(counts: dict, params: dict) -> list[dict]:
    """The facets issuer/year/type/status with counts; each value's link adds or drops it."""
    facet_list = []
    for name in ("issuer", "year", "type", "status"):
        values = []
        for row in counts.get(name, [])[:FACET_VALUES]:
            value = str(row.value)
            is_active = params.get(name) == value
            values.append({
                "label": STATUS.get(value, value) if name == "status" else value, "count": row.count,
                "active": is_active, "url": _url(params, **{name: None if is_active else value, "page": None}),
            })
        if values:
            facet_list.append({"name": name, "label": FILTER_LABELS[name], "values": values,
                               "open": name in ("issuer", "status") or bool(params.get(name))})
    return facet_list


def _hit_dict(hit) -> dict:
    return {"id": hit.id, "doc_number": hit.doc_number, "title": hit.title, "issuers": hit.issuers, "date": hit.date,
            "type": hit.type, "status": hit.status, "snippet": hit.snippet,
            "clauses": [{"anchor": c.anchor, "heading": c.heading, "snippet": c.snippet} for c in hit.clauses]}
