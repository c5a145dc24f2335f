"""Every type gongbao passes between its stages, in one place.

Data walks one way: source text → normalised lines → documents (with outline, tables,
tasks, citations) → store → people.  Every extracted item keeps where it came from:
``lines`` are 1-based, inclusive line numbers of the *input file*.
"""

from __future__ import annotations

from array import array
from dataclasses import MISSING, dataclass, field, fields
from typing import Literal

LineSpan = tuple[int, int]
"""(first, last): 1-based inclusive line numbers in the source file."""


def _quick_init(cls):
    """A frozen dataclass made by the million (a line of every file): its ``__init__`` sets the
    slots through their own descriptors.  The generated one goes through ``object.__setattr__``
    for each field, twice as slow (0.85 → 0.45 µs for a Line): a tenth of parsing a law."""
    params, sets, names = [], [], {}
    for f in fields(cls):
        # what this __init__ does not do (a factory, a field left out, __post_init__) is refused,
        # not dropped: a field added later must not change what a Line holds unseen
        if f.default_factory is not MISSING or not f.init or hasattr(cls, "__post_init__"):
            raise TypeError(f"{cls.__name__}.{f.name}: _quick_init sets plain fields and defaults only")
        names[f"_set_{f.name}"] = cls.__dict__[f.name].__set__
        if f.default is not MISSING:
            names[f"_default_{f.name}"] = f.default
        params.append(f.name if f.default is MISSING else f"{f.name}=_default_{f.name}")
        sets.append(f"_set_{f.name}(self, {f.name})")
    exec(f"def __init__(self, {', '.join(params)}):\n    " + "\n    ".join(sets), names)
    names["__init__"].__qualname__ = f"{cls.__qualname__}.__init__"
    cls.__init__ = names["__init__"]
    return cls


# --- identifiers and values -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DocNumber:
    """发文字号 (文号) as a value object: 渝府办发〔2021〕26号 → prefix, year, serial.

    ``str()`` prints the normalised form (〔〕 brackets, no spaces); two written forms of
    the same 文号 compare equal.  Order numbers (令 第340号) have no year.
    """

    prefix: str
    year: int | None
    serial: str

    def __str__(self) -> str:
        if self.year is None:
            return f"{self.prefix}第{self.serial}号"
        return f"{self.prefix}〔{self.year}〕{self.serial}号"


DeadlineKind = Literal["date", "period_end", "recurring", "ongoing", "range", "unknown"]


@dataclass(frozen=True, slots=True)
class Deadline:
    """A date or a deadline as written (``raw``), its kind and, where it has one, an ISO date."""

    raw: str
    kind: DeadlineKind
    iso: str | None = None
    end_iso: str | None = None  # for ranges: the last day


# --- extracted layout (gongbao.extract) ----------------------------------------------------

BBox = tuple[float, float, float, float]
"""(x0, y0, x1, y1) in PDF points (1/72 inch), origin at the top-left corner of the page."""

SourceKind = Literal["text", "pdf", "image", "docx"]
Style = Literal["red", "bold", "large", "centred", "right", "heading"]
"""Layout evidence of a line: red ink, bold or large type (titles), centred (titles, 文号),
right-aligned (signatures, dates), a heading style (Word)."""


@dataclass(frozen=True, slots=True)
class PageLine:
    """One run of text on one visual line of a page, as an engine (text layer, OCR, Word) saw it.

    A run has no wide gap inside: the cells of a table row and the two columns of a page are
    separate runs.  ``size`` is the type size in points; ``confidence`` is OCR's (0..1), None
    for a text layer.
    """

    text: str
    page: int  # 1-based physical page
    bbox: BBox
    size: float | None = None
    bold: bool = False
    red: bool = False
    confidence: float | None = None


@dataclass(frozen=True, slots=True)
class PageLayout:
    """What one engine read from one page: its runs and its drawn rulings (table borders)."""

    number: int  # 1-based physical page
    width: float  # points
    height: float
    lines: tuple[PageLine, ...]
    rulings: tuple[BBox, ...] = ()  # drawn segments: horizontal (y0 ≈ y1) or vertical (x0 ≈ x1)
    has_text_layer: bool = True  # False: the runs came from OCR


@_quick_init
@dataclass(frozen=True, slots=True)
class SourceLine:
    """One line handed to the parser: a paragraph (re-joined across wraps) or a table row
    (``| a | b |``), with the page and box it was read from and its layout evidence."""

    text: str
    page: int | None = None
    bbox: BBox | None = None  # union of the runs it was made from, on ``page``
    style: frozenset[str] = frozenset()  # of Style
    confidence: float | None = None  # lowest OCR confidence of its runs


@dataclass(frozen=True, slots=True)
class PageInfo:
    """A physical page of the source: its size, the page number printed on it, how it was read."""

    number: int
    width: float
    height: float
    printed: int | None = None  # the page number in the running header/footer, where found
    ocr: bool = False


@dataclass(frozen=True, slots=True)
class Notice:
    """A warning or a piece of evidence as a code with parameters, from extraction to JSON and the
    database; ``gongbao.labels.describe`` renders it in Chinese (the one place that does)."""

    code: str
    params: tuple[tuple[str, str | int | float], ...] = ()

    @classmethod
    def of(cls, code: str, **params: str | int | float) -> Notice:
        return cls(code, tuple(params.items()))

    @classmethod
    def from_dict(cls, data: dict) -> Notice:
        """A notice as stored (``{"code": …, "params": {…}}``)."""
        return cls(data["code"], tuple((data.get("params") or {}).items()))

    def get(self, key: str, default=None):
        return dict(self.params).get(key, default)

    def to_dict(self) -> dict:
        return {"code": self.code, "params": dict(self.params)}


@dataclass(frozen=True, slots=True)
class Extracted:
    """What ``gongbao.extract.extract`` makes of a file: the lines the parser reads (line n of
    ``text`` is ``lines[n - 1]``), the pages, and the original file's identity."""

    kind: SourceKind
    lines: tuple[SourceLine, ...]
    pages: tuple[PageInfo, ...]
    sha256: str
    size: int
    encoding: str | None = None  # text files only
    notices: tuple[Notice, ...] = ()

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)

    def printed_to_physical(self) -> dict[int, int]:
        """Printed page number → physical page (first page that prints it)."""
        out: dict[int, int] = {}
        for page in self.pages:
            if page.printed is not None:
                out.setdefault(page.printed, page.number)
        return out


# --- normalised text ---------------------------------------------------------------------


@_quick_init
@dataclass(frozen=True, slots=True)
class Line:
    """One normalised logical line and the source lines it was made from."""

    text: str
    first: int
    last: int
    # a running header, page number or romanised banner that sits between two halves of a
    # paragraph: it belongs to the enclosing block but not to its text
    noise: bool = False
    page: int | None = None  # where the source was paged (PDF, scans): page and box of the first source line
    bbox: BBox | None = None
    style: frozenset[str] = frozenset()  # layout evidence (Style) of the first source line


@dataclass(slots=True)
class Normalized:
    """Output of ``normalize.clean_text``: logical lines plus what was repaired."""

    lines: list[Line]
    source: list[str] = field(default_factory=list)  # the raw input lines, source[n - 1] is line n
    # (index of the 下转 line, index of the 上接 line) in ``lines``, paired in reading order
    continuations: list[tuple[int, int]] = field(default_factory=list)


# --- document body -----------------------------------------------------------------------


@dataclass(slots=True)
class OutlineNode:
    """A heading of the body hierarchy (章, 条, 一、, （一）…) and the text under it."""

    level: str  # name of the level in parse.outline.LEVELS, e.g. "chapter", "article", "l1"
    number: str  # as printed: "第十八条", "一", "（三）"
    ordinal: int | None  # numeric value of number, where it has one
    heading: str  # the heading text (may be empty for 条)
    text: str  # text directly under this node (not its children)
    anchor: str  # stable URL fragment: art-18, ch-2, s-2.3
    lines: LineSpan
    children: list[OutlineNode] = field(default_factory=list)
    warnings: list[Notice] = field(default_factory=list)


@dataclass(slots=True)
class Table:
    header: list[str]
    rows: list[list[str]]
    lines: LineSpan
    title: str | None = None
    warnings: list[Notice] = field(default_factory=list)
    row_lines: list[LineSpan] = field(default_factory=list)  # source span of each row
    page_starts: list[int] = field(default_factory=list)  # rows that open a new page (header repeated)


@dataclass(slots=True)
class Task:
    """Work a document assigns: what, who leads, who is responsible, who helps, by when."""

    text: str
    lead_units: list[str]
    responsible_units: list[str]
    partner_units: list[str]
    deadline: Deadline | None
    lines: LineSpan
    anchor: str | None = None
    source: Literal["table", "inline"] = "inline"
    group: str | None = None  # the task-group cell of a task table (重点任务), carried down


@dataclass(slots=True)
class Attachment:
    title: str
    omitted: bool
    lines: LineSpan


@dataclass(slots=True)
class VersionEvent:
    """One dated step in the making of a law or regulation, as its note under the title prints
    it: 通过, 批准, 公布 / 发布, 修正, 修订, 修改, 施行.  The last 修正/修订 dates the version the
    text is."""

    date: str  # ISO
    event: str


@dataclass(slots=True)
class Embedded:
    """A text a covering notice 印发/转发 (方案, 办法, 要点, …) or a 令 / 公告 (条例, 决定) issues,
    that belongs to it."""

    title: str
    type: str | None
    lines: LineSpan
    history: list[VersionEvent] = field(default_factory=list)  # from the note under its title
    effective: str | None = None  # 施行日期 the issuing document gives it


# --- links -------------------------------------------------------------------------------

CitationKind = Literal["doc_number", "title", "order"]
RelationType = Literal["cites", "issues", "forwards", "revises", "replaces", "repeals", "implements", "interprets"]
StatusCode = Literal["in_force", "repealed", "expired", "not_yet_in_force", "revised", "unknown"]
# The one table of status rules: what an incoming relation of each type does to its target's
# force (links.validity applies it; the store reads relations of these types).
FORCE_CHANGES: dict[str, StatusCode] = {"repeals": "repealed", "replaces": "repealed", "revises": "revised"}


@dataclass(slots=True)
class Citation:
    """A mention of another document: by 文号, by 《title》, or both."""

    text: str  # the quoted source text of the mention
    doc_number: DocNumber | None
    title: str | None
    kind: CitationKind
    lines: LineSpan
    anchor: str | None = None


@dataclass(slots=True)
class Relation:
    """A typed link from the document that says it to the one it is about."""

    type: RelationType
    target: Citation
    evidence: Notice  # what establishes it: a sentence (quote), the document's title, the text it prints
    lines: LineSpan
    anchor: str | None = None
    effective: str | None = None  # ISO date from which it takes effect


@dataclass(slots=True)
class Validity:
    """What a document says about its own force: start date, validity period, trial."""

    effective: str | None = None  # ISO date it takes effect (施行/执行)
    expires: str | None = None  # ISO date it runs out (有效期 …)
    trial: bool = False
    evidence: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Status:
    code: StatusCode
    as_of: str
    evidence: list[Notice] = field(default_factory=list)  # codes with parameters (labels.EVIDENCE)
    by: str | None = None  # doc key of the document that repealed / revised it
    since: str | None = None


# --- documents and issues ----------------------------------------------------------------


@dataclass(slots=True)
class Document:
    """One official document (公文) with its GB/T 9704-2012 elements and its body."""

    title: str
    type: str | None  # 文种: 通知, 决定, 意见, 办法, 令, …
    doc_number: DocNumber | None
    issuers: list[str]
    date: str | None  # 成文日期, ISO
    addressee: str | None  # 主送机关
    signatures: list[str]
    body: list[Line]  # the clean text, line by line, with source spans
    lines: LineSpan
    continuations: list[LineSpan] = field(default_factory=list)
    embedded: list[Embedded] = field(default_factory=list)
    history: list[VersionEvent] = field(default_factory=list)  # a law printed alone, or under lawref's note: its note's events
    attachments: list[Attachment] = field(default_factory=list)
    cc: list[str] = field(default_factory=list)  # 抄送: the organs sent a copy
    printed_by: str | None = None  # 印发机关
    printed_date: str | None = None  # 印发日期
    public: bool | None = None  # 此件公开发布
    pages: tuple[int, int] | None = None  # first and last physical page, where the source was paged
    section: str | None = None  # the gazette section it is printed under (市政府文件 …)
    outline: list[OutlineNode] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    validity: Validity = field(default_factory=Validity)
    warnings: list[Notice] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.body)

    @property
    def body_spans(self) -> list[list[int]]:
        """The [first, last] source lines of each line of ``text``."""
        return [[line.first, line.last] for line in self.body]

    def regions(self) -> list[tuple[int, BBox]]:
        """Per page, the box around the document's lines on it (empty when not paged)."""
        boxes: dict[int, BBox] = {}
        for line in self.body:
            if line.page is None or line.bbox is None:
                continue
            old = boxes.get(line.page)
            b = line.bbox
            boxes[line.page] = b if old is None else (min(old[0], b[0]), min(old[1], b[1]), max(old[2], b[2]), max(old[3], b[3]))
        return sorted(boxes.items())


ArticleKind = Literal["editorial", "news", "toc", "index", "masthead", "other"]


@dataclass(slots=True)
class Article:
    """A non-document part of an issue: 卷首语, 政务要闻, 目录, 文件检索, masthead, other."""

    kind: ArticleKind
    title: str | None
    lines: LineSpan
    text: str = ""


@dataclass(slots=True)
class TocEntry:
    title: str
    page: str | None
    lines: LineSpan
    section: str | None = None
    doc_number: DocNumber | None = None
    source: Literal["toc", "toc_en", "index"] = "toc"


@dataclass(slots=True)
class Finding:
    """A disagreement between the printed table of contents / index and the body."""

    kind: str  # missing_in_body, missing_in_toc, missing_in_index, title_differs, …
    detail: str


@dataclass(slots=True)
class Gazette:
    name: str | None = None
    year: int | None = None
    issue: int | None = None
    total_issue: int | None = None
    published: str | None = None
    sponsor: str | None = None  # 主办单位
    editor: str | None = None  # 编辑出版


@dataclass(slots=True)
class SourceInfo:
    path: str | None
    sha256: str
    encoding: str
    size: int
    line_count: int
    kind: SourceKind = "text"
    pages: tuple[PageInfo, ...] = ()
    text: str | None = None  # the extracted text, for sources that are not text files


@dataclass(slots=True)
class Issue:
    gazette: Gazette
    documents: list[Document]
    articles: list[Article]
    toc: list[TocEntry]
    reconciliation: list[Finding]
    unassigned: list[LineSpan]
    source: SourceInfo
    warnings: list[Notice] = field(default_factory=list)


# --- policy Q&A (search.question, search.ask, search.curated) -----------------------------


@dataclass(slots=True)
class Question:
    """A question as understood: what it asks for and the terms to look for, with weights."""

    text: str
    intent: str | None  # one of search.question.INTENTS ("amount", "time", "unit", …) or None (anything)
    core: list[str]  # the question's own content words, frame removed
    terms: dict[str, float] = field(default_factory=dict)  # term → weight (core words 1.0)
    groups: dict[str, set[str]] = field(default_factory=dict)  # term → the core words it stands for
    focus: dict[str, float] = field(default_factory=dict)  # core word → its weight in coverage (narrative < 1)
    sanction: bool = False  # the asking part names a sanction (罚多少, 判几年, 会被拘留吗): penalty clauses answer
    names: list[str] = field(default_factory=list)  # core words that name a thing (韩国, 华为, 雅思): an answer's document holds each


@dataclass(slots=True)
class Passage:
    """A passage that may answer: an outline node, or a paragraph of a document without one."""

    doc_pk: int
    anchor: str
    heading: str
    text: str
    context: str = ""  # headings of the nodes above it
    node_id: int | None = None
    score: float = 0.0
    coverage: float = 0.0
    sentence: str = ""


@dataclass(slots=True)
class AskResult:
    """What ``gongbao ask`` answers: the question, how it was understood, the answers (dicts)."""

    question: str
    intent: str | None
    terms: list[str]
    answers: list[dict] = field(default_factory=list)
    region: str | None = None  # the jurisdiction answered for (own and national rules first)
    as_of: str | None = None  # the date the answers are in force on
    # for "is it still in force?" questions: the document named and its status, by whom, since when
    validity: dict | None = None

    def to_json(self) -> dict:
        return {"question": self.question, "intent": self.intent, "terms": self.terms, "region": self.region,
                "as_of": self.as_of, "validity": self.validity, "answers": self.answers}


@dataclass(slots=True)
class CuratedEntry:
    """A curated answer: phrasings of the question, the answer, the clauses it rests on."""

    key: str
    questions: list[str]
    answer: str
    sources: list[dict] = field(default_factory=list)  # {"doc": ref, "anchor": anchor or None}
    note: str | None = None

    def to_dict(self) -> dict:
        out = {"key": self.key, "questions": self.questions, "answer": self.answer, "sources": self.sources}
        if self.note:
            out["note"] = self.note
        return out


# --- segmentation: where documents and other parts are in the normalised lines ----------------


@dataclass(slots=True)
class Head:
    """Where the parts of a document's head are, as indices into the normalised lines."""

    start: int
    end: int  # exclusive: first index after the head
    banner: int | None = None
    number: int | None = None
    title: list[int] = field(default_factory=list)
    issuer_lines: list[int] = field(default_factory=list)
    doc_number: DocNumber | None = None


@dataclass(slots=True)
class Segment:
    kind: str  # "document" or an article kind
    ranges: list[tuple[int, int]]  # [start, end) index ranges into the normalised lines
    head: Head | None = None
    title: str | None = None

    @property
    def indices(self) -> list[int]:
        return [i for a, b in self.ranges for i in range(a, b)]


@dataclass(slots=True)
class Listed:
    """What the printed TOC says about the body: title lines of documents without banner or
    文号 (first index → index after the last), and lines that print a TOC section label."""

    titles: dict[int, int] = field(default_factory=dict)
    labels: set[int] = field(default_factory=set)


# --- the clause index (store.nodefts) ---------------------------------------------------


@dataclass(frozen=True, slots=True)
class Phrase:
    """A double-quoted phrase of a full-text expression, cut into the index's tokens."""

    tokens: tuple[str, ...]
    prefix: bool  # the last token is a prefix


Counts = dict[int, int]  # outline node id → how many times it holds a phrase


@dataclass(frozen=True, slots=True)
class OutlinePack:
    """Every document's outline nodes in document order, as clause search reads them
    (store/outlines.py ``pack``): made once per version of a SQLite database, kept in gongbao's
    cache folder, its integer arrays (``q``) pickled out of band and mapped, not copied, by every
    process (reading a document's nodes from the table, aggregated and split, was a third of a
    never-repeating search's CPU)."""

    docs: array | memoryview  # the pks of documents with nodes, ascending
    firsts: array | memoryview  # by place in ``docs``: where its nodes start in the arrays below; then their count
    ids: array | memoryview
    parents: array | memoryview  # 0 for none
    starts: array | memoryview  # where the node's text starts in its document's text, -1 when it has its own
    ends: array | memoryview  # -1 likewise
    # by place in ``docs``: its nodes' anchors, numbers and headings, each joined by
    # outlines._SEP (a tuple instead when a value holds it)
    texts: tuple[tuple[str | tuple[str, ...], ...], ...]
    own: dict[int, dict[int, str]]  # document pk → node id → its own text (no span of the document's)

    def __reduce__(self):
        from pickle import PickleBuffer

        arrays = (self.docs, self.firsts, self.ids, self.parents, self.starts, self.ends)
        return _mapped_pack, (*map(PickleBuffer, arrays), self.texts, self.own)


def _mapped_pack(*fields) -> OutlinePack:
    """An ``OutlinePack`` from its pickle: each array a view of its bytes (as ``q``)."""
    return OutlinePack(*(memoryview(f).cast("q") for f in fields[:6]), *fields[6:])


@dataclass(frozen=True, slots=True)
class Runs:
    """Where the outline nodes' texts lie among the index's tokens of the bodies, and the
    lengths of the nodes of present documents: what ranking a clause needs besides the
    index, read once per version of the database (``store.nodefts.load_runs``).  Its integer
    arrays (``q``) are pickled out of band: gongbao.lasting maps them from its file, not copied
    (9 MB on lawref: copied, they were 7 % of a whole `gongbao ask`'s CPU)."""

    starts: array | memoryview  # document pk × nodefts._DOC_SHIFT + first token ordinal, ascending
    ends: array | memoryview  # … + the ordinal after its last token
    ids: array | memoryview  # the node of each run
    firsts: array | memoryview  # by document pk: where its runs start among them (a place is looked for among its document's)
    sizes: array | memoryview  # by node id (all of them, read with the index): its heading's and text's index tokens,
    #               nodefts._ABSENT unless of a present document
    docs: array | memoryview  # by node id: its document
    rows: int  # all outline nodes
    tokens: int  # all their index tokens

    def __reduce__(self):
        from pickle import PickleBuffer

        arrays = (self.starts, self.ends, self.ids, self.firsts, self.sizes, self.docs)
        return _mapped_runs, (*map(PickleBuffer, arrays), self.rows, self.tokens)


def _mapped_runs(*fields) -> Runs:
    """A ``Runs`` from its pickle: each array a view of its bytes (as ``q``)."""
    return Runs(*(memoryview(f).cast("q") for f in fields[:6]), *fields[6:])
