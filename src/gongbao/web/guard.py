"""The guard around every request: bounded concurrency and no unhandled exception.

- At most ``limits.MAX_CONCURRENT`` requests are worked on at once; the next one gets 503
  with ``Retry-After`` at once instead of waiting in an unbounded queue.
- An exception no route handled becomes an error answer here (500, or 503 when the store
  stopped a query at its time budget), inside Starlette's ServerErrorMiddleware: that one
  re-raises after answering, and the server then drops the keep-alive connection.
"""

from __future__ import annotations

from starlette.requests import Request

from gongbao import limits
from gongbao.store.sqlite import budget_message
from gongbao.web.errors import error_response, log

RETRY_AFTER = "2"  # seconds: about one request's time budget shared among the busy workers


class GuardMiddleware:
    def __init__(self, app) -> None:
        self.app = app
        self.active = 0  # requests being worked on (one event loop: no lock needed)

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope, receive)
        if self.active >= limits.MAX_CONCURRENT.value():
            response = error_response(request, 503, "服务器繁忙，请稍后再试。", {"Retry-After": RETRY_AFTER})
            await response(scope, receive, send)
            return
        started = False

        async def tracking_send(message):
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        self.active += 1
        try:
            await self.app(scope, receive, tracking_send)
        except Exception as exc:
            if started:
                raise  # half an answer is out: only closing the connection can tell the client
            await _answer_error(request, exc)(scope, receive, send)
        finally:
            self.active -= 1


def _answer_error(request: Request, exc: Exception):
    store = getattr(request.state, "store", None)
    if store is not None and store.over_budget(exc):
        seconds = limits.QUERY_SECONDS.value()
        log.warning("time budget spent on %s", request.url.path)
        return error_response(request, 503, budget_message(seconds), {"Retry-After": RETRY_AFTER})
    log.error("internal error on %s", request.url.path, exc_info=exc)
    return error_response(request, 500, "服务器内部错误，请稍后再试。错误已记录。")
