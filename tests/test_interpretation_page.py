"""A 政策解读 and the policy it interprets link to each other on their document pages."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi.testclient import TestClient

from gongbao.ingest import ingest_paths
from gongbao.web.app import create_app

FIXTURE = Path(__file__).parent / "fixtures" / "unseen" / "yb_2021_05.txt"


def test_interpretation_and_policy_pages_link_both_ways(tmp_path: Path) -> None:
    db = tmp_path / "g.db"
    ingest_paths([FIXTURE], db, progress=False)
    client = TestClient(create_app(db))
    hits = client.get("/api/v1/search", params={"q": "政策解读"}).json()["hits"]
    (interpretation,) = [h for h in hits if h["title"].endswith("政策解读")]
    page = client.get(f"/documents/{interpretation['id']}").text
    section = page[page.index('id="interpretations"'):]
    policy_id = re.search(r'本文解读：<a href="/documents/([^"]+)"', section).group(1)
    policy_page = client.get(f"/documents/{policy_id}").text
    assert "宜宾市人民政府关于印发宜宾市城市更新行动实施方案的通知" in policy_page
    assert f'解读本文：<a href="/documents/{interpretation["id"]}"' in policy_page
