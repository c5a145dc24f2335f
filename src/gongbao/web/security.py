"""What keeps the portal safe: the editor token, the upload size limit, response headers.

Reading is open to everyone; anything that writes needs the editor token.  The token comes
from ``create_app(upload_token=…)``, else the environment variable ``GONGBAO_UPLOAD_TOKEN``,
else the ``upload_token`` key of the ``[portal]`` table of a TOML config file (the path in
``GONGBAO_CONFIG``, else ``./gongbao.toml``).  With no token configured, writes are refused.
"""

from __future__ import annotations

import hmac
import os
import tomllib
from pathlib import Path

from fastapi import HTTPException, Request

from gongbao.web.errors import error_response

TOKEN_ENV = "GONGBAO_UPLOAD_TOKEN"
CONFIG_ENV = "GONGBAO_CONFIG"
DEFAULT_CONFIG = "gongbao.toml"
DEFAULT_MAX_UPLOAD = 20 * 1024 * 1024  # a gazette issue as text is well under 1 MB

SECURITY_HEADERS = {
    # No inline script or style anywhere: the pages work without JavaScript and the one
    # stylesheet and script are files under /static.
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def resolve_token(explicit: str | None = None) -> str | None:
    """The configured editor token, or None when none is configured (writes then refused)."""
    if explicit:
        return explicit
    env = os.environ.get(TOKEN_ENV)
    if env:
        return env
    path = Path(os.environ.get(CONFIG_ENV) or DEFAULT_CONFIG)
    if path.is_file():
        try:
            config = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
            return None
        token = config.get("portal", {}).get("upload_token")
        if isinstance(token, str) and token:
            return token
    return None


def presented_token(request: Request, form_token: str | None = None) -> str | None:
    """The token a client sent: ``Authorization: Bearer …``, ``X-Gongbao-Token`` or a form field."""
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        return auth[7:].strip() or None
    return request.headers.get("x-gongbao-token") or form_token or None


def check_token(request: Request, form_token: str | None = None) -> None:
    """Refuse a write: 401 when no token was sent, 403 when it is wrong or writes are off."""
    expected = request.app.state.upload_token
    given = presented_token(request, form_token)
    if not given:
        raise HTTPException(401, "需要编辑令牌（token）才能上传。", headers={"WWW-Authenticate": "Bearer"})
    if not expected:
        raise HTTPException(403, "本站未配置编辑令牌，上传已关闭。")
    if not hmac.compare_digest(given.encode(), expected.encode()):
        raise HTTPException(403, "编辑令牌不正确。")


class SecurityHeadersMiddleware:
    """Add ``SECURITY_HEADERS`` to every response (pure ASGI: no per-request task overhead)."""

    def __init__(self, app) -> None:
        self.app = app
        self.headers = [(k.lower().encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                present = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in self.headers if k not in present]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, receive, send_with_headers)


class BodyLimitMiddleware:
    """Refuse request bodies above ``max_bytes`` with 413, before they are read into memory.

    Checks the declared Content-Length and also counts the bytes as they stream in, so a
    chunked upload without a length cannot get past it.
    """

    def __init__(self, app, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            # The same answer as the streamed case below (JSON for the API, a page for people).
            response = error_response(Request(scope), 413, too_large_message(self.max_bytes))
            await response(scope, receive, send)
            return
        received = 0

        async def counting_receive():
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    # An HTTPException passes through FastAPI's body parsing untouched and
                    # is rendered by the app's error handler like any other.
                    raise HTTPException(413, too_large_message(self.max_bytes))
            return message

        await self.app(scope, counting_receive, send)


def too_large_message(max_bytes: int) -> str:
    return f"上传内容过大：上限为 {max(1, max_bytes // (1024 * 1024))} MB。"
