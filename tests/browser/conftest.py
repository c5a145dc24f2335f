"""Harness for end-to-end tests: a real uvicorn server on a free port, headless Debian chromium.

The whole directory is skipped cleanly when /usr/bin/chromium (or Playwright) is absent.
"""

from __future__ import annotations

import os
import shutil
import socket
import sys
import threading
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/, for web_issue

CHROMIUM = os.environ.get("GONGBAO_CHROMIUM", "/usr/bin/chromium")
# The machine has no internet: without these Chromium stalls on network look-ups.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]
REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts"
TOKEN = "browser-test-token"


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def portal_db(tmp_path_factory) -> Path:
    """The hand-made issue of tests/web_issue.py (one document citing another) + samples/."""
    from gongbao.ingest import ingest_paths
    from web_issue import build_db

    db = build_db(tmp_path_factory.mktemp("portal") / "portal.db")
    ingest_paths([REPO / "samples"], db, progress=False)
    return db


@pytest.fixture(scope="session")
def live_server(portal_db):
    """Base URL of the portal served by uvicorn in a background thread."""
    import uvicorn

    from gongbao.web import create_app

    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(portal_db, upload_token=TOKEN), host="127.0.0.1",
                                           port=port, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("portal server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser():
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        pytest.skip(f"chromium not found at {CHROMIUM}; browser tests skipped")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture()
def page(browser):
    context = browser.new_context(accept_downloads=True, locale="zh-CN")
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture()
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
