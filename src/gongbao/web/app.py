"""The portal and JSON API as one FastAPI application.

``create_app`` wires the pieces: security headers and the upload size limit, error pages
that never show a stack trace, the static files, and every router module
``gongbao.web.routes_*`` that exposes ``router`` (found by name, so that an area such as
Q&A adds its pages by adding one module).
"""

from __future__ import annotations

import functools
import importlib
import pkgutil
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from gongbao.errors import GongbaoError, InputError, NotFoundError, QueryBudgetError, UsageError
from gongbao.store.pgconn import is_url
from gongbao.web import deps
from gongbao.web.errors import TITLES, error_response, log
from gongbao.web.guard import RETRY_AFTER, GuardMiddleware
from gongbao.web.cache import CacheMiddleware, ResponseCache
from gongbao.web.security import (
    DEFAULT_MAX_UPLOAD,
    BodyLimitMiddleware,
    SecurityHeadersMiddleware,
    resolve_token,
)

API_DESCRIPTION = """\
gongbao 公报数据库的只读 JSON API（上传除外）。所有文本为 UTF-8；日期为 ISO 8601。
`GET /api/v1/search` 的结果与 `gongbao search --format json` 完全一致。
写操作（`POST /api/v1/issues`）需要编辑令牌：`Authorization: Bearer <token>`。
"""

_DEFAULT_MESSAGES = {404: "您要找的页面不存在，可能已被移动或地址有误。", 405: "此地址不支持该请求方法。"}


def create_app(db_path: str | Path, *, upload_token: str | None = None,
               max_upload_bytes: int = DEFAULT_MAX_UPLOAD) -> FastAPI:
    """The portal for the database at ``db_path``; ``upload_token`` overrides the configured one."""
    app = FastAPI(
        title="gongbao 政府公报数据库 API",
        version="1",
        description=API_DESCRIPTION,
        docs_url=None,  # Swagger UI would load scripts from a CDN; /api renders the spec itself
        redoc_url=None,
        openapi_url="/openapi.json",
    )
    app.state.db_path = str(db_path) if is_url(str(db_path)) else Path(db_path)
    deps.prepare_database(app.state.db_path)
    app.state.upload_token = resolve_token(upload_token)
    app.state.max_upload_bytes = max_upload_bytes
    app.state.cache = ResponseCache(app.state.db_path)

    app.add_middleware(BodyLimitMiddleware, max_bytes=max_upload_bytes)
    app.add_middleware(GuardMiddleware)  # inside the cache: answers from the cache are never refused
    app.add_middleware(CacheMiddleware, cache=app.state.cache)
    app.add_middleware(SecurityHeadersMiddleware)  # added last: outermost, so hits get the headers too

    _install_error_handlers(app)
    app.mount("/static", StaticFiles(directory=str(deps.STATIC_DIR)), name="static")
    for router in discover_routers():
        app.include_router(router)
    app.router.on_startup.append(lambda: deps.warm_up(app))
    app.router.on_startup.append(functools.partial(_build_routes, app))
    app.router.on_startup.append(functools.partial(deps.warm_thread, app))
    return app


async def _build_routes(app: FastAPI) -> None:
    """FastAPI prepares a route's request handling (its parameters' validators) when a request
    first meets it: ~80 ms for all of them, which the first visitor of a worker would wait for.
    One request that no route matches meets them all before the worker serves."""
    scope = {"type": "http", "method": "GET", "path": "/.gongbao-start", "raw_path": b"/.gongbao-start",
             "query_string": b"", "headers": [], "scheme": "http", "server": ("127.0.0.1", 0),
             "client": ("127.0.0.1", 0), "root_path": "", "http_version": "1.1"}

    async def receive() -> dict:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict) -> None:
        pass

    await app.router(scope, receive, send)


def discover_routers() -> list:
    """The ``router`` of every ``gongbao.web.routes_*`` module, in name order."""
    import gongbao.web as package

    routers = []
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
        if info.name.startswith("routes_"):
            module = importlib.import_module(f"{package.__name__}.{info.name}")
            router = getattr(module, "router", None)
            if router is not None:
                routers.append(router)
    return routers


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        detail = exc.detail if isinstance(exc.detail, str) else ""
        # Our own messages are Chinese; Starlette's defaults ("Not Found") are replaced.
        if not detail or detail.isascii():
            detail = _DEFAULT_MESSAGES.get(exc.status_code, TITLES.get(exc.status_code, "出错了"))
        return error_response(request, exc.status_code, detail, getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError):
        parts = []
        for err in exc.errors():
            where = ".".join(str(p) for p in err.get("loc", ()) if p not in ("query", "path", "body"))
            parts.append(f"{where}: {err.get('msg', '')}" if where else str(err.get("msg", "")))
        return error_response(request, 422, "参数有误：" + "；".join(parts))

    @app.exception_handler(NotFoundError)
    async def not_found(request: Request, exc: NotFoundError):
        return error_response(request, 404, str(exc))

    @app.exception_handler(InputError)
    @app.exception_handler(UsageError)
    async def bad_input(request: Request, exc: GongbaoError):
        return error_response(request, 400, str(exc))

    @app.exception_handler(QueryBudgetError)
    async def over_budget(request: Request, exc: QueryBudgetError):
        return error_response(request, 503, str(exc), {"Retry-After": RETRY_AFTER})

    @app.exception_handler(GongbaoError)
    async def gongbao_error(request: Request, exc: GongbaoError):
        log.warning("gongbao error on %s: %s", request.url.path, exc)
        return error_response(request, 503, str(exc))

    @app.exception_handler(Exception)
    async def internal_error(request: Request, exc: Exception):
        # Only what escapes the guard (a middleware outside it) gets here; see web/guard.py.
        log.exception("internal error on %s", request.url.path)
        return error_response(request, 500, "服务器内部错误，请稍后再试。错误已记录。")
