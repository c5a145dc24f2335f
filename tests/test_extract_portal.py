"""Portal: an issue ingested from a PDF shows page thumbnails; a document links to the page
images of the source, rendered from the stored PDF, with its region marked."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from pdf_fixtures import typeset_pdf

from gongbao.ingest import ingest_paths
from gongbao.store import open_store
from gongbao.web.app import create_app

SAMPLE = Path(__file__).resolve().parents[1] / "samples" / "004_8c3e04d8c27f17c2.txt"


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    pdf = typeset_pdf(SAMPLE)
    if pdf is None:
        pytest.skip("chromium is not installed: the printed gazette cannot be typeset")
    db = tmp_path_factory.mktemp("portal") / "g.db"
    summary = ingest_paths([pdf], db, progress=False)
    assert summary.added == 1, summary.failures
    with open_store(db, readonly=True) as st:
        source = st.source_file(st.list_issues()[0].id, with_data=True)
    assert source.kind == "pdf" and source.data == pdf.read_bytes() and source.size == pdf.stat().st_size
    return TestClient(create_app(db))


def test_issue_page_shows_thumbnails(client):
    html = client.get("/issues/1").text
    assert 'src="/issues/1/pages/1.png?w=120"' in html and "版面（原件共" in html


def test_document_page_links_marked_pages(client):
    from PIL import Image

    html = client.get("/documents/武隆府办发〔2020〕39号").text
    assert "原件版面" in html
    link = html.split("原件版面", 1)[1].split('href="', 1)[1].split('"', 1)[0].replace("&amp;", "&")
    marked = client.get(link)
    assert marked.status_code == 200 and marked.headers["content-type"] == "image/png"
    plain = client.get(link.split("?")[0])
    image, clean = Image.open(io.BytesIO(marked.content)).convert("RGB"), Image.open(io.BytesIO(plain.content)).convert("RGB")
    assert _reds(image) > _reds(clean) + 500  # the frame drawn around the document's region


def test_page_image_bad_requests_are_404_in_chinese(client):
    r = client.get("/issues/1/pages/999.png")
    assert r.status_code == 404 and "没有第 999 页" in r.text
    assert client.get("/issues/1/pages/1.png?w=99999").status_code == 422


def _reds(image) -> int:
    pixels = image.get_flattened_data() if hasattr(image, "get_flattened_data") else image.getdata()
    return sum(1 for r, g, b in pixels if r > 180 and g < 40 and b < 40)


def test_pdf_upload_through_the_api(tmp_path, client):
    pdf = typeset_pdf(SAMPLE)  # the client fixture skips when it cannot be typeset
    app = create_app(tmp_path / "up.db", upload_token="t0ken-for-tests-0123456789")
    with TestClient(app) as c:
        r = c.post("/api/v1/issues", files={"file": ("gazette.bin", pdf.read_bytes(), "application/octet-stream")},
                   headers={"Authorization": "Bearer t0ken-for-tests-0123456789"})
    assert r.status_code == 201, r.text
    assert r.json()["documents"] >= 10
