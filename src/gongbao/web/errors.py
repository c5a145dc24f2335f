"""Error answers: JSON for the API, an HTML page for people, plain text for text files —
one shape per path whichever layer refuses (a route, the body limit, the guard)."""

from __future__ import annotations

import logging

from fastapi import Request
from fastapi.responses import JSONResponse, PlainTextResponse

from gongbao.web import deps

log = logging.getLogger("gongbao.web")

TITLES = {400: "请求有误", 401: "需要登录令牌", 403: "没有权限", 404: "页面不存在", 405: "不支持的请求方法",
          413: "上传内容过大", 422: "请求参数有误", 500: "服务器内部错误", 503: "服务暂不可用"}
_TEXT_SUFFIXES = (".md", ".txt", ".csv", ".atom", ".jsonl")


def wants_json(path: str) -> bool:
    return path.startswith("/api/") or path.endswith(".json") or path == "/openapi.json"


def error_response(request: Request, status: int, message: str, headers: dict | None = None):
    """A JSON error for the API, an HTML page for people; never a stack trace."""
    path = request.url.path
    if wants_json(path):
        return JSONResponse({"error": {"status": status, "message": message}}, status_code=status, headers=headers)
    if path.endswith(_TEXT_SUFFIXES):
        return PlainTextResponse(message, status_code=status, headers=headers)
    try:
        response = deps.render(
            request, "error.html", {"status": status, "heading": TITLES.get(status, "出错了"), "message": message},
            status_code=status,
        )
    except Exception:  # the error page itself must not fail into a traceback
        log.exception("error page failed")
        return PlainTextResponse(f"{status} {message}", status_code=status, headers=headers)
    if headers:
        response.headers.update(headers)
    return response
