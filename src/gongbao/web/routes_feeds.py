"""Atom feeds (RFC 4287): newly ingested documents, overall and per issuer; new tasks per unit."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import datetime, timezone
from urllib.parse import quote

from fastapi import APIRouter, Path, Request
from fastapi.responses import Response

from gongbao.web.deps import portal, store
from gongbao.web.params import MAX_TEXT

router = APIRouter(prefix="/feeds", tags=["feeds"])

ATOM = "http://www.w3.org/2005/Atom"
FEED_SIZE = 50
_MEDIA = "application/atom+xml; charset=utf-8"


def _feed(request: Request, title: str, self_path: str, alternate: str, entries: list[dict]) -> Response:
    base = str(request.base_url).rstrip("/")
    feed = ET.Element("feed", xmlns=ATOM)
    ET.SubElement(feed, "title").text = title
    ET.SubElement(feed, "id").text = f"{base}{self_path}"
    ET.SubElement(feed, "link", rel="self", href=f"{base}{self_path}")
    ET.SubElement(feed, "link", rel="alternate", href=f"{base}{alternate}")
    updated = max((e["updated"] for e in entries), default=datetime.now(timezone.utc).isoformat(timespec="seconds"))
    ET.SubElement(feed, "updated").text = updated
    ET.SubElement(ET.SubElement(feed, "author"), "name").text = "gongbao 公报数据库"
    for e in entries:
        entry = ET.SubElement(feed, "entry")
        ET.SubElement(entry, "title").text = e["title"]
        ET.SubElement(entry, "id").text = e.get("id") or f"{base}{e['path']}"
        ET.SubElement(entry, "link", rel="alternate", href=f"{base}{e['path']}")
        ET.SubElement(entry, "updated").text = e["updated"]
        if e.get("published"):
            ET.SubElement(entry, "published").text = e["published"]
        ET.SubElement(entry, "summary").text = e["summary"]
        for term in e.get("categories", []):
            ET.SubElement(entry, "category", term=term)
    body = b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="utf-8")
    return Response(body, media_type=_MEDIA)


def _doc_entries(st, issuer: str | None) -> list[dict]:
    return [{
        "title": r.title,
        "path": f"/documents/{r.id}",
        "updated": r.created_at,
        "published": f"{r.date}T00:00:00Z" if r.date else None,
        "summary": " · ".join(x for x in (r.doc_number, "、".join(r.issuers), r.date) if x),
        "categories": [c for c in (r.type, *r.issuers) if c],
    } for r in st.newest_documents(FEED_SIZE, issuer)]


@router.get("/documents.atom", summary="新收录公文（Atom）", response_class=Response)
def documents_feed(request: Request):
    return _feed(request, "gongbao 公报数据库：新收录公文", "/feeds/documents.atom", "/", _doc_entries(portal(request), None))


@router.get("/issuers/{name}.atom", summary="某发文机关的新公文（Atom）", response_class=Response)
def issuer_feed(request: Request, name: str = Path(max_length=MAX_TEXT)):
    # An empty feed, not 404, for a name without documents yet: one may subscribe ahead.
    entries = _doc_entries(portal(request), name)
    return _feed(request, f"{name} 新发布的公文", f"/feeds/issuers/{quote(name)}.atom", f"/units/{quote(name)}", entries)


@router.get("/units/{name}/tasks.atom", summary="某单位的新任务（Atom）", response_class=Response)
def unit_tasks_feed(request: Request, name: str = Path(max_length=MAX_TEXT)):
    st = store(request)
    rows = st.newest_unit_tasks(name, FEED_SIZE)
    roles = {"lead": "牵头", "responsible": "责任", "partner": "配合"}
    entries = [{
        "title": r.text[:80],
        "id": f"urn:gongbao:task:{r.doc_id}:{r.id}",
        "path": f"/documents/{r.doc_id}#{r.anchor or 'tasks'}",
        "updated": r.created_at,
        "summary": f"{'、'.join(roles.get(x, x) for x in r.roles)}：{r.text}"
                   f"（时限：{r.deadline_raw or '未定'}；来源：{r.doc_number or r.doc_title}）",
        "categories": [],
    } for r in rows]
    return _feed(request, f"{name} 的新任务", f"/feeds/units/{quote(name)}/tasks.atom", f"/units/{quote(name)}", entries)
