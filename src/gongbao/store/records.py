"""Stored records: the typed rows the store's query methods return (one type per concept).

The store's callers (search, Q&A, links, the portal, the CLI) get these, never a connection
or a database row.  Where a stored concept is one of ``gongbao.models`` (a task, a document)
its record is that dataclass plus what the store adds (ids, places); ``JSON_FIELDS`` is the
order ``serialize.plain`` lists its fields in, the JSON shapes of docs/store.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from gongbao.models import (Article, BBox, Citation, Document, Embedded, Finding, LineSpan, Notice, OutlineNode, PageInfo,
                            Relation, Status, Table, Task, TocEntry)


@dataclass(frozen=True, slots=True)
class DocRef:
    """A document as named in lists, links and answers."""

    pk: int
    id: str
    doc_number: str | None
    title: str
    present: bool = True
    date: str | None = None


@dataclass(frozen=True, slots=True)
class DocText:
    """A document with the fields a search hit or an answer shows, and its body text."""

    pk: int
    id: str
    doc_number: str | None
    title: str
    issuers: list[str]
    date: str | None
    type: str | None
    text: str


@dataclass(frozen=True, slots=True)
class NodeText:
    """An outline node (clause) of a document: what search scores and Q&A answers from."""

    id: int
    doc_pk: int
    parent_id: int | None
    anchor: str
    number: str
    heading: str
    text: str


@dataclass(frozen=True, slots=True)
class Preamble:
    """A document's body with its line spans and the first line its outline starts on
    (None: the document has no outline)."""

    pk: int
    title: str
    text: str
    body_spans: list
    first_node: int | None


@dataclass(frozen=True, slots=True)
class DocProfile:
    """What a document with an outline says it is about (Q&A's document-level retrieval): its
    title and issuers, the start of its text (a book's name: 合同编), the headings of its parts,
    chapters and sections, and its first article (purpose or scope)."""

    pk: int
    title: str
    issuers: list[str]
    opening: str
    headings: list[str]
    first_article: str


@dataclass(frozen=True, slots=True)
class Count:
    """One facet value and how many documents have it."""

    value: str | int
    count: int


@dataclass(frozen=True, slots=True)
class UnitCount:
    """A unit (an issuer, or a task's lead, responsible or partner unit) and how often it is named."""

    name: str
    documents: int = 0  # present documents it issued
    tasks: int = 0  # tasks naming it in any role
    lead: int = 0
    responsible: int = 0
    partner: int = 0


@dataclass(frozen=True, slots=True)
class SourceFile:
    """The original file of an issue read from PDF, scans or Word, with its pages as the
    extraction stage described them; ``data`` (its bytes) only when asked for."""

    kind: str  # models.SourceKind
    sha256: str
    size: int
    pages: tuple[PageInfo, ...]
    data: bytes | None = None


@dataclass(slots=True)
class StoredTask(Task):
    """A task as stored: ``models.Task`` plus its row id, its place among its document's tasks
    (from 0) and the document it belongs to."""

    id: int = 0
    position: int = 0
    doc_id: str = ""
    doc_number: str | None = None
    doc_title: str | None = None

    JSON_FIELDS: ClassVar[tuple[str, ...]] = (
        "id", "position", "doc_id", "doc_number", "doc_title", "anchor", "text", "lead_units", "responsible_units",
        "partner_units", "source", "group", "lines", "deadline")

    def units(self) -> list[str]:
        """Every unit it names (lead, responsible, partner), each once, in that order."""
        return list(dict.fromkeys(self.lead_units + self.responsible_units + self.partner_units))

    def due(self) -> str | None:
        """The day it is due: its deadline's date (a range's last day), None without one."""
        return (self.deadline.end_iso or self.deadline.iso) if self.deadline else None


@dataclass(frozen=True, slots=True)
class IssueRef:
    """The issue a stored document was printed in (all None for a document known only by citation)."""

    id: int | None
    key: str | None
    series: str | None
    year: int | None
    issue: int | None
    total_issue: int | None
    published: str | None
    source_path: str | None
    sha256: str | None


@dataclass(slots=True)
class StoredNode(OutlineNode):
    """An outline node as stored: ``models.OutlineNode`` plus its depth (0 at the top)."""

    depth: int = 0

    JSON_FIELDS: ClassVar[tuple[str, ...]] = (
        "anchor", "level", "number", "ordinal", "heading", "text", "warnings", "depth", "lines", "children")


@dataclass(slots=True)
class StoredTable(Table):
    """A table as stored (``models.Table``; its JSON lists the fields in the order of docs/store.md)."""

    JSON_FIELDS: ClassVar[tuple[str, ...]] = ("title", "header", "rows", "row_lines", "page_starts", "warnings", "lines")


@dataclass(slots=True)
class StoredEmbedded(Embedded):
    """A text the document issues, as stored (``models.Embedded``)."""

    JSON_FIELDS: ClassVar[tuple[str, ...]] = ("title", "type", "history", "effective", "lines")


@dataclass(slots=True)
class StoredCitation(Citation):
    """A citation as stored: ``models.Citation`` plus the id of the document it resolved to."""

    target_id: str | None = None

    JSON_FIELDS: ClassVar[tuple[str, ...]] = ("text", "doc_number", "title", "kind", "anchor", "target_id", "lines")


@dataclass(slots=True)
class StoredRelation(Relation):
    """A relation as stored: ``models.Relation`` plus the id of its target; its JSON flattens
    the target citation into ``target_*`` fields, as the table keeps it."""

    target_id: str | None = None

    JSON_FIELDS: ClassVar[tuple[str, ...]] = (
        "type", "target_text", "target_doc_number", "target_title", "target_kind", "target_id", "evidence", "anchor",
        "effective", "lines")

    @property
    def target_text(self) -> str:
        return self.target.text

    @property
    def target_doc_number(self):
        return self.target.doc_number

    @property
    def target_title(self) -> str | None:
        return self.target.title

    @property
    def target_kind(self) -> str:
        return self.target.kind


@dataclass(slots=True)
class StoredDocument(Document):
    """A document as stored: ``models.Document`` (its body lines rebuilt from the stored text
    and line spans) plus its stable id, its key and place, its issue, and whether its full text
    is held (``present``; False for a document known only by citation).  Read without its
    parts (``get_document(ref, full=False)``) it has no body, outline, tables, tasks or links."""

    id: str = ""
    key: str | None = None
    position: int | None = None
    year: int | None = None
    present: bool = True
    created_at: str | None = None
    issue: IssueRef | None = None
    page_boxes: list[tuple[int, BBox]] = field(default_factory=list)  # what regions() returns, as stored

    # the JSON of docs/store.md: "json name:attribute" where the two differ
    JSON_FIELDS: ClassVar[tuple[str, ...]] = (
        "id", "position", "key", "doc_number", "title", "type", "issuers", "date", "year", "addressee", "signatures", "cc",
        "printed_by", "printed_date", "public", "section", "continuations", "text", "body_spans", "warnings", "present",
        "created_at", "regions:region_list", "history", "lines", "doc_number_parts", "pages", "issue", "outline",
        "tables", "tasks", "attachments", "embedded", "citations", "relations", "validity")

    def regions(self) -> list[tuple[int, BBox]]:
        return self.page_boxes

    @property
    def region_list(self) -> list[dict]:
        return [{"page": page, "bbox": list(box)} for page, box in self.page_boxes]

    @property
    def doc_number_parts(self) -> dict | None:
        number = self.doc_number
        return None if number is None else {"prefix": number.prefix, "year": number.year, "serial": number.serial}


@dataclass(frozen=True, slots=True)
class DocSummary:
    """A document as lists show it (``list_documents``, an issue's documents): its metadata,
    its place in its issue and the issue's key, year, number and series."""

    id: str
    doc_number: str | None
    title: str
    type: str | None
    issuers: list[str]
    date: str | None
    year: int | None
    section: str | None
    present: bool
    position: int | None
    lines: LineSpan | None
    issue_key: str | None
    issue_year: int | None
    issue_number: int | None
    series: str | None


@dataclass(frozen=True, slots=True)
class DocumentPage:
    """One page of ``list_documents``: how many documents match, and this page of them."""

    total: int
    items: list[DocSummary]


@dataclass(slots=True)
class StatusView(Status):
    """A document's status as the portal shows and keeps it (``models.Status`` with its Chinese
    label, ``by`` named by 文号 or title, and the id of that document)."""

    label: str = ""
    by_id: str | None = None

    JSON_FIELDS: ClassVar[tuple[str, ...]] = ("code", "label", "as_of", "evidence", "by", "by_id", "since")


@dataclass(frozen=True, slots=True)
class ListedDoc(DocSummary):
    """A document as the portal's listings show it (library, home page, a unit's documents):
    its summary and its status as of the portal's day."""

    status: StatusView


@dataclass(frozen=True, slots=True)
class IssueSummary(IssueRef):
    """A stored issue as listed (a row of the issues table without its source text): the
    issue as a document names it, plus its source file's encoding, size and lines, its
    revision, when it was ingested and how many documents it holds."""

    encoding: str | None
    size: int | None
    line_count: int | None
    revision: int
    ingested_at: str
    documents: int


@dataclass(frozen=True, slots=True)
class RevisionInfo:
    """An older revision of an issue (replaced by a changed file), as an issue lists it."""

    revision: int
    sha256: str
    source_path: str | None
    ingested_at: str
    replaced_at: str


@dataclass(frozen=True, slots=True)
class IssueRevision(RevisionInfo):
    """An older revision of an issue with its source and what was stored from it
    (``snapshot``: the issue's documents in full and its articles, contents and findings,
    as JSON)."""

    raw_text: str
    snapshot: dict


@dataclass(frozen=True, slots=True)
class StoredIssue(IssueSummary):
    """A stored issue in full (``get_issue``): the listed issue, its gazette's sponsor and
    editor, what the parser found of it (``warnings`` as notices, ``unassigned`` line spans,
    the articles, the printed contents and index, the reconciliation findings), its older
    revisions, and its documents in printed order (``summaries``;
    ``documents`` stays their count, as listed)."""

    sponsor: str | None
    editor: str | None
    warnings: list[Notice]
    unassigned: list[LineSpan]
    summaries: list[DocSummary]
    articles: list[Article]
    toc: list[TocEntry]
    reconciliation: list[Finding]
    revisions: list[RevisionInfo]


@dataclass(frozen=True, slots=True)
class StoreStats:
    """Counts of everything stored, the schema version, the full-text scheme, the size on disk."""

    series: int
    issues: int
    documents: int  # present documents (full text held)
    absent_documents: int = 0  # known only by citation
    outline_nodes: int = 0
    tables: int = 0
    tasks: int = 0
    citations: int = 0
    citations_resolved: int = 0
    relations: int = 0
    revisions: int = 0  # older revisions of issues, replaced by a changed file
    schema_version: int = 0
    tokenizer: str | None = None
    size_bytes: int = 0


@dataclass(frozen=True, slots=True)
class LinkRow:
    """A stored citation or relation to resolve: its row id, what it names, whose it is."""

    id: int
    number: str | None
    title: str | None
    kind: str
    source: str
    source_date: str | None = None  # the citing document's date: a repeal cannot name a later text


@dataclass(frozen=True, slots=True)
class LinkInputs:
    """What citation resolution reads: documents (present first), embedded titles, the
    relations and citations to resolve, and the absent records known by title alone."""

    documents: list[DocRef]
    embedded: list[tuple[str, str]]  # (title, id of the document embedding it)
    relations: list[LinkRow]
    citations: list[LinkRow]
    title_only: set[str]


@dataclass(slots=True)
class AbsentDoc:
    """A known-but-absent document a citation names (present = 0)."""

    id: str
    key: str
    doc_number: str | None
    dn_prefix: str | None
    dn_year: int | None
    dn_serial: str | None
    title: str
    issuer: str | None


@dataclass(slots=True)
class Resolution:
    """What resolution writes: new absent documents, 文号s given to title-only records, the
    target of every relation and citation (row id → document id or None), and counts."""

    absent: list[AbsentDoc] = field(default_factory=list)
    numbered: list[tuple[str, AbsentDoc]] = field(default_factory=list)  # (id, the 文号 fields)
    relation_targets: list[tuple[str | None, int]] = field(default_factory=list)
    citation_targets: list[tuple[str | None, int]] = field(default_factory=list)
    stats: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class StatusRow:
    """What a document's status is derived from."""

    id: str
    date: str | None  # 成文日期, else the issue's publication date
    own_date: str | None
    present: bool
    validity: tuple | None  # (effective, expires, trial, evidence) when a validity row exists


@dataclass(frozen=True, slots=True)
class Incoming:
    """A repealing, replacing or revising relation pointing at a document."""

    target_id: str
    type: str
    source: str
    effective: str | None
    evidence: Notice | None


@dataclass(frozen=True, slots=True)
class Edge:
    source: str
    target: str
    type: str
    evidence: Notice | None
    effective: str | None


@dataclass(frozen=True, slots=True)
class CitingDoc:
    """A document citing or relating to another (for the cited document's page)."""

    source_id: str
    source_title: str
    source_doc_number: str | None
    relation: str
    anchor: str | None
    text: str | None


@dataclass(frozen=True, slots=True)
class SeriesSummary:
    name: str
    sponsor: str | None
    issues: int
    first_year: int | None
    last_year: int | None


@dataclass(frozen=True, slots=True)
class FeedDoc:
    id: str
    title: str
    doc_number: str | None
    issuers: list[str]
    date: str | None
    type: str | None
    created_at: str


@dataclass(frozen=True, slots=True)
class FeedTask:
    id: int
    text: str
    anchor: str | None
    deadline_raw: str | None
    doc_id: str
    doc_title: str
    doc_number: str | None
    created_at: str
    roles: list[str]


@dataclass(frozen=True, slots=True)
class CitationRow:
    """A citation as exported (one row per citation, with the cited document's presence)."""

    source_id: str
    source_doc_number: str | None
    text: str
    doc_number: str | None
    title: str | None
    kind: str
    anchor: str | None
    line_first: int | None
    line_last: int | None
    target_id: str | None
    target_present: bool


@dataclass(frozen=True, slots=True)
class CorrectionRecord:
    """An editor's correction of one field of a document (values are JSON-ready)."""

    id: int
    doc_id: str
    doc_number: str | None
    doc_title: str | None
    field: str
    value: object
    parser_value: object
    reason: str
    editor: str
    created_at: str
    state: str
    state_at: str | None
    state_note: str | None


@dataclass(frozen=True, slots=True)
class EditedDoc:
    """A present document as an editor's correction reads it: its keys, its text (a correction
    keeps its hash, to tell when a re-ingest changed the source) and its issue's key."""

    pk: int
    id: str
    text: str | None
    issue_key: str | None


@dataclass(frozen=True, slots=True)
class ReviewDecision:
    """What an editor decided about one review item of an issue."""

    item_key: str
    decision: str
    reason: str | None
    editor: str
    decided_at: str


@dataclass(frozen=True, slots=True)
class ProgressRecord:
    """One progress report on a task (history: all of them, oldest first)."""

    id: int
    doc_id: str
    task_position: int
    task_text: str
    unit: str
    state: str
    done_on: str | None
    new_deadline: str | None
    note: str
    recorded_by: str
    recorded_at: str


@dataclass(slots=True)
class NodeTokens:
    """Where an outline node's text and index tokens sit in its document's (``store.fts``):
    ``text_span`` in documents.text and ``token_span`` in documents.tok_text, both in
    characters, and ``index_first``/``index_count`` in the index's tokens of the body; when
    its text is no single span of the body (a list item between its own lines) it keeps
    ``text`` and ``tokens`` of its own."""

    heading: str  # the heading's index tokens
    text_span: tuple[int, int] | None
    token_span: tuple[int, int] | None
    text: str = ""
    tokens: str = ""
    # Where the index (FTS5's tokenizer over the stored strings) sees it: its text's first
    # token among the body's (None: no span, or no token) and how many; heading and text
    # tokens together, the node's length for BM25.
    index_first: int | None = None
    index_count: int = 0
    index_size: int = 0


@dataclass(slots=True)
class DocTokens:
    """A document's index tokens (space-separated, cut once) and its nodes' places in them."""

    title: str
    doc_number: str
    issuers: str
    text: str
    nodes: list[NodeTokens] = field(default_factory=list)
    node_terms: dict[str, int] = field(default_factory=dict)  # index token → how many of the nodes hold it
