"""政策问答: the page at /qa and the API at /api/v1/ask (answers like `gongbao ask --format json`),
plus the curated answer base read-only at /api/v1/qa."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse

from gongbao.search.ask import ask
from gongbao.search.curated import entry_view, list_entries
from gongbao.search.thesaurus import load_thesaurus
from gongbao.web.deps import render, store

router = APIRouter()

EXAMPLES = ["粮食重金属超标了怎么办", "考上大学有补助吗", "企业贷款逾期后银行能拿到多少补偿", "见义勇为奖励多少钱"]
MAX_QUESTION = 200  # characters; a question is a sentence, not a document
_thesaurus = None


def _shared_thesaurus():
    """The thesaurus, read once per process (the shipped file plus $GONGBAO_THESAURUS)."""
    global _thesaurus
    if _thesaurus is None:
        _thesaurus = load_thesaurus()
    return _thesaurus


def _answer(request: Request, q: str, limit: int) -> dict:
    return ask(store(request), q[:MAX_QUESTION], limit=limit, thesaurus=_shared_thesaurus()).to_json()


@router.get("/api/v1/ask", tags=["qa"], summary="政策问答（与 gongbao ask --format json 相同）")
def api_ask(
    request: Request,
    q: str = Query(..., min_length=1, description="问题，用平常话问，如：考上大学有补助吗"),
    limit: int = Query(5, ge=1, le=50, description="最多返回的答案数"),
):
    return JSONResponse(_answer(request, q, limit))


@router.get("/api/v1/qa", tags=["qa"], summary="编辑维护的问答库（含依据及是否过时）")
def api_qa(request: Request):
    st = store(request)
    return JSONResponse({"entries": [entry_view(st, e) for e in list_entries(st)]})


@router.get("/qa")
def qa_page(request: Request, q: str = Query("", description="问题")):
    q = q.strip()[:MAX_QUESTION]
    result = _answer(request, q, 5) if q else None
    return render(request, "qa.html", {"q": q, "result": result, "examples": EXAMPLES})
