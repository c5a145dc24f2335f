"""One shape per concept from parse to JSON: a document's parts read the same in
`gongbao parse --format json`, in the API and in the document export, and the API's models
are made from the dataclasses of ``gongbao.models`` (so a field added there reaches
/openapi.json without being declared again)."""

from __future__ import annotations

import dataclasses

import pytest
from fastapi.testclient import TestClient

from gongbao import models, serialize
from gongbao.store import number_id, records
from gongbao.web import create_app
from web_issue import build_db, xss_issue

DOC = number_id("示府办发〔2020〕12号")

# dataclass → (its component in /openapi.json, fields the API leaves out)
DERIVED = {
    models.Document: ("DocumentDetail", {"body"}),
    models.OutlineNode: ("OutlineNodeOut", set()),
    models.Table: ("TableOut", set()),
    models.Task: ("TaskOut", set()),
    models.Deadline: ("DeadlineOut", set()),
    models.Attachment: ("AttachmentOut", set()),
    models.Embedded: ("EmbeddedOut", set()),
    models.Validity: ("ValidityOut", set()),
    models.Citation: ("CitationStored", set()),
    models.TocEntry: ("TocEntryOut", set()),
    models.Finding: ("FindingOut", set()),
    records.CitingDoc: ("CitationIn", set()),
}


@pytest.fixture(scope="module")
def client(module_db_target):
    return TestClient(create_app(build_db(module_db_target)))


@pytest.fixture(scope="module")
def parsed() -> dict:
    """The hand-made document as `gongbao parse --format json` prints it."""
    return serialize.document_to_dict(xss_issue().documents[0])


def test_openapi_fields_are_the_dataclass_fields(client):
    spec = client.get("/openapi.json").json()["components"]["schemas"]
    for cls, (name, left_out) in DERIVED.items():
        fields = {f.name for f in dataclasses.fields(cls)} - left_out
        assert fields <= set(spec[name]["properties"]), name
    # a relation's target is flattened as the store keeps it
    relation = set(spec["RelationStored"]["properties"])
    assert {f.name for f in dataclasses.fields(models.Relation)} - {"target"} <= relation
    assert {"target_text", "target_doc_number", "target_title", "target_kind", "target_id"} <= relation
    assert spec["DocumentDetail"]["properties"]["cc"]["type"] == "array"


def test_api_and_json_export_are_one_shape(client):
    api = client.get(f"/api/v1/documents/{DOC}").json()
    export = client.get(f"/documents/{DOC}.json").json()
    assert api == export
    # a task reads the same in the document and in the task list, overdue included
    tasks = client.get(f"/api/v1/documents/{DOC}/tasks").json()
    assert [(t["id"], t["text"], t["overdue"], t["group"]) for t in tasks] == [
        (t["id"], t["text"], t["overdue"], t["group"]) for t in api["tasks"]]
    assert [t["overdue"] for t in api["tasks"]] == [True]


def test_parts_read_the_same_parsed_and_stored(client, parsed):
    stored = client.get(f"/api/v1/documents/{DOC}").json()

    def without(items, *keys):
        return [{k: v for k, v in item.items() if k not in keys} for item in items]

    def nodes(items):  # depth is the store's (the parse JSON nests instead)
        return [{**n, "children": nodes(n["children"])} for n in without(items, "depth")]

    assert nodes(stored["outline"]) == parsed["outline"]
    assert stored["tables"] == parsed["tables"]
    assert stored["attachments"] == parsed["attachments"] and stored["embedded"] == parsed["embedded"]
    assert without(stored["citations"], "target_id") == parsed["citations"]
    assert stored["validity"] == parsed["validity"]
    store_only = ("id", "position", "doc_id", "doc_number", "doc_title", "overdue")
    assert without(stored["tasks"], *store_only) == parsed["tasks"]
    for key in ("title", "doc_number", "doc_number_parts", "issuers", "type", "date", "addressee", "signatures", "cc", "lines",
                "continuations", "pages", "regions", "text", "warnings"):
        assert stored[key] == parsed[key], key


def test_quick_init_refuses_what_it_would_drop():
    """models._quick_init writes an __init__ that sets fields and plain defaults: a field with a
    factory, or a __post_init__, is refused when the class is made, not silently skipped."""
    from dataclasses import dataclass, field

    from gongbao.models import _quick_init

    with pytest.raises(TypeError):
        @_quick_init
        @dataclass(frozen=True, slots=True)
        class WithFactory:
            items: list = field(default_factory=list)

    with pytest.raises(TypeError):
        @_quick_init
        @dataclass(frozen=True, slots=True)
        class WithPostInit:
            text: str

            def __post_init__(self) -> None:
                pass

    @_quick_init
    @dataclass(frozen=True, slots=True)
    class Plain:
        text: str
        noise: bool = False

    assert Plain("a") == Plain("a", False) and Plain("a", True).noise
