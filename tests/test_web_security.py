"""The portal's safety rails, through the real app: headers, error pages, tokens, size limit."""

from __future__ import annotations

import html

import pytest
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st

from gongbao.web import create_app
from gongbao.web.deps import highlight
from gongbao.web.security import resolve_token

TOKEN = "s3cret-token"


@pytest.fixture()
def client(tmp_path, monkeypatch):
    monkeypatch.delenv("GONGBAO_UPLOAD_TOKEN", raising=False)
    monkeypatch.setenv("GONGBAO_CONFIG", str(tmp_path / "none.toml"))
    app = create_app(tmp_path / "x.db", upload_token=TOKEN, max_upload_bytes=1024 * 1024)
    return TestClient(app, raise_server_exceptions=False)


def test_unknown_page_is_a_chinese_error_page_without_trace(client):
    r = client.get("/no/such/page")
    assert r.status_code == 404
    assert "text/html" in r.headers["content-type"]
    assert "页面不存在" in r.text and "Traceback" not in r.text
    assert '<html lang="zh-CN">' in r.text


def test_api_errors_are_json(client):
    r = client.get("/api/v1/no-such-endpoint")
    assert r.status_code == 404
    assert r.json()["error"]["status"] == 404


def test_security_headers_on_every_response(client):
    for path in ("/upload", "/no/such/page", "/openapi.json", "/static/style.css"):
        r = client.get(path)
        assert "default-src 'self'" in r.headers["content-security-policy"], path
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["x-frame-options"] == "DENY"


def test_upload_without_token_is_401_and_wrong_token_403(client):
    files = {"file": ("issue.txt", "重庆市人民政府公报".encode(), "text/plain")}
    r = client.post("/api/v1/issues", files=files)
    assert r.status_code == 401
    assert r.headers["www-authenticate"] == "Bearer"
    r = client.post("/api/v1/issues", files=files, headers={"Authorization": "Bearer wrong"})
    assert r.status_code == 403
    assert "令牌" in r.json()["error"]["message"]
    r = client.post("/upload", files=files, data={"token": "wrong"})
    assert r.status_code == 403 and "令牌" in r.text


def test_uploads_are_closed_when_no_token_is_configured(tmp_path, monkeypatch):
    monkeypatch.delenv("GONGBAO_UPLOAD_TOKEN", raising=False)
    monkeypatch.setenv("GONGBAO_CONFIG", str(tmp_path / "none.toml"))
    client = TestClient(create_app(tmp_path / "x.db"))
    files = {"file": ("issue.txt", b"x", "text/plain")}
    r = client.post("/api/v1/issues", files=files, headers={"Authorization": "Bearer anything"})
    assert r.status_code == 403


def test_body_above_the_limit_is_413(client):
    big = b"a" * (1024 * 1024 + 10)
    r = client.post("/api/v1/issues", files={"file": ("big.txt", big, "text/plain")},
                    headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 413
    assert "上限" in r.text


def test_token_comes_from_env_then_config_file(tmp_path, monkeypatch):
    config = tmp_path / "gongbao.toml"
    config.write_text('[portal]\nupload_token = "from-file"\n', encoding="utf-8")
    monkeypatch.setenv("GONGBAO_CONFIG", str(config))
    monkeypatch.delenv("GONGBAO_UPLOAD_TOKEN", raising=False)
    assert resolve_token() == "from-file"
    monkeypatch.setenv("GONGBAO_UPLOAD_TOKEN", "from-env")
    assert resolve_token() == "from-env"
    assert resolve_token("explicit") == "explicit"


def test_internal_errors_show_no_stack_trace(client):
    @client.app.get("/boom")
    def boom():
        raise RuntimeError("secret internals /etc/passwd")

    r = client.get("/boom")
    assert r.status_code == 500
    assert "secret internals" not in r.text and "Traceback" not in r.text
    assert "服务器内部错误" in r.text


def test_highlight_escapes_text_before_marking():
    html = str(highlight("<script>alert(1)</script> 关于<mark>粮食</mark>处置"))
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert "<mark>粮食</mark>" in html
    assert str(highlight("<mark><b>x</b></mark>")) == "<mark>&lt;b&gt;x&lt;/b&gt;</mark>"
    # already-escaped text is not escaped twice
    assert str(highlight("&lt;b&gt; <mark>x&amp;y</mark>")) == "&lt;b&gt; <mark>x&amp;y</mark>"


def test_openapi_lists_the_upload_endpoint(client):
    spec = client.get("/openapi.json").json()
    assert "/api/v1/issues" in spec["paths"]


@given(st.text(alphabet=st.sampled_from("&<>\"'a中 \u3000\n#;"), max_size=30) | st.integers())
def test_the_body_escapes_exactly_as_html_escape(value):
    # views._esc skips html.escape for a text holding none of its characters: the same text
    from gongbao.web.views import _esc

    assert _esc(value) == html.escape(str(value), quote=True)
