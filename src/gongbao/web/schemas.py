"""Response models of the JSON API: the field names are the contract (see /openapi.json).

A model of a concept gongbao has a type for (a document and its parts, a search hit) is
generated from that type by ``derived``: the dataclass in ``gongbao.models`` (or
``gongbao.search.query``) says which fields there are and of what type; this module adds only
the Chinese descriptions and the fields the store and the portal add (ids, status, url).
"""

from __future__ import annotations

import dataclasses
import types
import typing
from typing import Any, Literal, Union

from pydantic import BaseModel, Field, create_model

from gongbao import models
from gongbao.models import DocNumber, LineSpan
from gongbao.search import query
from gongbao.store import records

SPAN = "来源文件行号 [起, 止]"
_MODELS: dict[type, type[BaseModel]] = {}  # dataclass → the model that shows it


def _api_type(tp: Any, own: tuple[type, str]) -> Any:
    """A dataclass field's type as its JSON reads: a 文号 as its normalised text, a literal as
    text, a tuple as an array, a dataclass as its model (``own``: the one being made)."""
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if tp is DocNumber or origin is Literal:
        return str
    if origin in (Union, types.UnionType):
        return Union[tuple(_api_type(a, own) for a in args)]
    if origin in (list, tuple):
        return list[_api_type(args[0], own)]
    if dataclasses.is_dataclass(tp):
        return own[1] if tp is own[0] else _MODELS[tp]
    return tp


def _field(spec: dataclasses.Field, tp: Any, own: tuple[type, str], description: str | None) -> tuple[Any, Any]:
    """(type, default) of one model field: optional values and lists may be missing from a
    stored row; a source span is missing on a document known only by citation."""
    if tp == LineSpan:
        return list[int] | None, Field(None, description=description or SPAN)
    api = _api_type(tp, own)
    if spec.default is not dataclasses.MISSING:
        return api, Field(spec.default, description=description)
    factory = spec.default_factory
    if factory in (list, dict) or typing.get_origin(api) is list:
        return api, Field(default_factory=list if factory is dataclasses.MISSING else factory, description=description)
    if factory is not dataclasses.MISSING or type(None) in typing.get_args(api):
        return api | None, Field(None, description=description)
    return api, Field(description=description)


def fields_of(cls: type, doc: dict[str, str] | None = None, omit: tuple[str, ...] = (), prefix: str = "",
              name: str = "") -> dict[str, tuple[Any, Any]]:
    """The model fields of a dataclass's fields (but ``omit``), named ``prefix`` + field name."""
    doc, hints = doc or {}, typing.get_type_hints(cls)
    return {prefix + f.name: _field(f, hints[f.name], (cls, name), doc.get(prefix + f.name))
            for f in dataclasses.fields(cls) if f.name not in omit}


def derived(cls: type, name: str, doc: dict[str, str] | None = None, omit: tuple[str, ...] = (),
            extra: dict[str, tuple[Any, Any]] | None = None, base: type[BaseModel] = BaseModel) -> type[BaseModel]:
    """The response model of ``cls``: its fields (but ``omit``) with ``doc`` as descriptions,
    and ``extra`` fields (what the store or the portal adds)."""
    fields = {**fields_of(cls, doc, omit, name=name), **(extra or {})}
    model = create_model(name, __base__=base, __doc__=cls.__doc__, **fields)
    model.model_rebuild(_types_namespace={name: model})
    _MODELS.setdefault(cls, model)
    return model


class Page(BaseModel):
    total: int = Field(description="匹配的总条数")
    offset: int = Field(description="本页第一条的序号（从 0 起）")
    limit: int = Field(description="每页条数")


class IssueBase(BaseModel):
    id: int = Field(description="期的编号")
    key: str = Field(description="期的稳定键：公报名|年|期，单篇文本为 file:<文件名>")
    gazette: str | None = Field(None, description="公报名称，如 重庆市人民政府公报")
    label: str = Field(description="显示名，如 重庆市人民政府公报 2021年第3期（总第885期）")
    year: int | None = Field(None, description="年份")
    issue: int | None = Field(None, description="当年期号")
    total_issue: int | None = Field(None, description="总期号")
    published: str | None = Field(None, description="出版日期 ISO")
    source_path: str | None = Field(None, description="来源文件")
    sha256: str | None = Field(None, description="来源文件 SHA-256")
    revision: int | None = Field(None, description="版本（同一期的文件更新后递增）")
    ingested_at: str | None = Field(None, description="收录时间 ISO")
    url: str = Field(description="门户中的页面")


class IssueSummary(IssueBase):
    documents: int = Field(0, description="收录的公文件数")


class IssueList(Page):
    items: list[IssueSummary]


class NoticeOut(BaseModel):
    """A warning or piece of evidence as a code with parameters and its Chinese text
    (``models.Notice`` as stored: its parameters as an object; ``gongbao.labels`` renders it)."""

    code: str
    params: dict[str, Any] = Field(default_factory=dict)
    label: str = Field("", description="中文说明")


_MODELS[models.Notice] = NoticeOut

# --- the parts of a document (gongbao.models) --------------------------------------------

DeadlineOut = derived(models.Deadline, "DeadlineOut", {
    "raw": "时限原文", "kind": "date / period_end / recurring / ongoing / range / unknown",
    "iso": "日期 ISO", "end_iso": "区间的最后一天 ISO"})
ValidityOut = derived(models.Validity, "ValidityOut", {
    "effective": "施行日期", "expires": "有效期至", "trial": "试行", "evidence": "依据（原文）"})
AttachmentOut = derived(models.Attachment, "AttachmentOut", {"omitted": "正文未刊登（略）"})
VersionEventOut = derived(models.VersionEvent, "VersionEventOut", {
    "date": "日期 ISO", "event": "通过 / 批准 / 公布 / 发布 / 修正 / 修订 / 修改 / 施行"})
EmbeddedOut = derived(models.Embedded, "EmbeddedOut", {
    "type": "文种", "history": "制定、修改沿革（题注）", "effective": "施行日期（公布它的公文所定）"})
TableOut = derived(models.Table, "TableOut", {
    "row_lines": "每行的来源行号 [起, 止]", "page_starts": "换页处的行（重复表头之后）", "warnings": "解析时的提示"})
OutlineNodeOut = derived(models.OutlineNode, "OutlineNodeOut", {
    "level": "层级名：chapter, article, l1 …", "number": "序号原文：第十八条、一、（三）", "ordinal": "序号的数值",
    "heading": "标题文字", "text": "该节点直属正文", "anchor": "锚点，/documents/{id}#anchor 可直达",
    "warnings": "解析时的提示",
}, extra={"depth": (int | None, Field(None, description="嵌套深度，0 为顶层"))})

_TASK_DOC = {
    "text": "任务内容", "lead_units": "牵头单位", "responsible_units": "责任单位", "partner_units": "配合单位",
    "deadline": "完成时限", "anchor": "任务所在条款锚点", "source": "table（任务分工表）或 inline（正文）",
    "group": "任务分工表的任务分组（重点任务）",
}
_TASK_STORED = {
    "id": (int, Field(description="任务编号")),
    "position": (int | None, Field(None, description="在所属公文任务中的序号（从 0 起）")),
    "doc_id": (str, Field(description="所属公文编号")),
    "doc_number": (str | None, Field(None, description="所属公文文号")),
    "doc_title": (str | None, Field(None, description="所属公文标题")),
    "overdue": (bool, Field(False, description="按今天是否已逾期（时限或区间末日已过）")),
}
TaskOut = derived(models.Task, "TaskOut", _TASK_DOC, extra=_TASK_STORED)


class UnitTaskOut(TaskOut):
    role: str = Field(description="该单位的角色：lead 牵头 / responsible 责任 / partner 配合")


class TaskList(Page):
    items: list[TaskOut]


_CITATION_DOC = {"text": "引用原文", "doc_number": "被引文号", "title": "被引标题", "kind": "doc_number / title / order",
                 "anchor": "引用在本文中的锚点"}
_TARGET_ID = (str | None, Field(None, description="被引公文编号（已解析时）"))
CitationStored = derived(models.Citation, "CitationStored", _CITATION_DOC, extra={"target_id": _TARGET_ID})
RelationStored = derived(models.Relation, "RelationStored", {
    "type": "关系：cites / issues / forwards / revises / replaces / repeals / implements / interprets",
    "evidence": "确立该关系的依据（代码、参数与中文说明）", "anchor": "关系在本文中的锚点", "effective": "生效日期",
    **{f"target_{k}": v for k, v in _CITATION_DOC.items()},
}, omit=("target",), extra={
    # the target citation, flattened as the store keeps it
    **fields_of(models.Citation, {f"target_{k}": v for k, v in _CITATION_DOC.items()}, ("lines", "anchor"), "target_"),
    "target_id": _TARGET_ID,
})


class CitationOut(BaseModel):
    text: str = Field(description="引用原文")
    doc_number: str | None = Field(None, description="被引文号")
    title: str | None = Field(None, description="被引标题")
    kind: str | None = Field(None, description="doc_number / title / order")
    relation: str = Field("cites", description="关系：cites / issues / forwards / revises / replaces / repeals / implements / interprets")
    target_id: str | None = Field(None, description="被引公文编号（已解析时）")
    present: bool = Field(False, description="被引公文是否收录全文；否则为“已知未收录”")
    anchor: str | None = Field(None, description="引用在本文中的锚点")
    evidence: NoticeOut | None = Field(None, description="确立该关系的依据：原文句子（quote）、标题（title）、所印发的文本（embedded）")
    own: bool = Field(False, description="随本文印发的文本（属于本文，不是另一件公文）")


CitationIn = derived(records.CitingDoc, "CitationIn", {
    "source_id": "引用方公文编号", "source_title": "引用方标题", "source_doc_number": "引用方文号", "relation": "关系类型（同上）",
    "anchor": "引用在引用方中的锚点", "text": "引用原文或关系依据"})


class Citations(BaseModel):
    outgoing: list[CitationOut]
    incoming: list[CitationIn]


StatusOut = derived(models.Status, "StatusOut", {
    "code": "in_force / repealed / expired / not_yet_in_force / revised / unknown", "as_of": "判断所依据的日期",
    "by": "废止/修订它的公文（文号或标题）", "since": "自何时起", "evidence": "依据：代码、参数与中文说明",
}, extra={
    "label": (str, Field(description="中文：现行有效、已废止 …")),
    "by_id": (str | None, Field(None, description="该公文的编号")),
})

# --- documents ---------------------------------------------------------------------------

_DOC = {
    "doc_number": "发文字号（规范化），如 渝府办发〔2021〕26号", "title": "标题", "type": "文种", "issuers": "发文机关",
    "date": "成文日期 ISO", "addressee": "主送机关", "signatures": "署名", "cc": "抄送", "printed_by": "印发机关",
    "printed_date": "印发日期", "public": "公开属性：true 为此件公开发布", "section": "所在栏目",
    "continuations": "下转/上接的来源行号", "pages": "来源 PDF 或扫描件的页 [起, 止]",
    "outline": "层次结构", "tables": "表格", "tasks": "任务（字段同 /api/v1/tasks）", "attachments": "附件",
    "embedded": "印发/转发的文本", "citations": "引用原文", "relations": "关系", "validity": "公文对自身效力的表述",
    "warnings": "解析时的提示", "history": "制定、修改沿革（单独刊载的法规的题注）",
}
DocNumberParts = derived(models.DocNumber, "DocNumberParts", {"prefix": "机关代字", "year": "年份（令号无年份）",
                                                             "serial": "序号"})
_STORED = {  # what the store and the portal add to a document
    "id": (str, Field(description="公文的稳定编号（17 位：n… 由文号而来，i… 无文号，t… 仅知标题）")),
    "year": (int | None, Field(None, description="成文年份（无成文日期时为期的年份）")),
    "present": (bool, Field(True, description="是否收录全文；false 为仅被引用的“已知未收录”公文")),
    "url": (str, Field(description="门户中的页面")),
}
_DETAIL = ("continuations", "pages", "outline", "tables", "tasks", "citations", "relations", "validity",
           "embedded", "attachments", "addressee", "signatures", "cc", "printed_by", "printed_date", "public", "warnings",
           "history")

DocumentSummary = derived(models.Document, "DocumentSummary", _DOC, omit=("body", *_DETAIL), extra={
    **_STORED, "status": (str, Field("unknown", description="效力状态：in_force / repealed / expired / not_yet_in_force / revised / unknown")),
})


class DocumentList(Page):
    items: list[DocumentSummary]


TocEntryOut = derived(models.TocEntry, "TocEntryOut", {"page": "刊印页码", "section": "栏目",
                                                       "source": "toc（目录）或 index（文件检索）"})
FindingOut = derived(models.Finding, "FindingOut", {
    "kind": "missing_in_body, missing_in_toc, missing_in_index, title_differs …", "detail": "说明"})


class IssueDetail(IssueBase):
    documents: list[DocumentSummary] = Field(description="本期公文，按刊登顺序")
    toc: list[TocEntryOut] = Field(description="刊印目录与文件检索")
    reconciliation: list[FindingOut] = Field(description="目录与正文的核对结果")
    warnings: list[NoticeOut] = Field(default_factory=list, description="解析时的警告：代码、参数与中文说明")


class Region(BaseModel):
    """Where a document stands on one page of a paged source (``models.Document.regions``)."""

    page: int = Field(description="物理页（从 1 起）")
    bbox: list[float] = Field(description="[x0, y0, x1, y1]，PDF 点，原点在页面左上角")


DocumentDetail = derived(models.Document, "DocumentDetail", _DOC, omit=("body",), extra={
    **_STORED,
    "doc_number_parts": (DocNumberParts | None, Field(None, description="文号的组成部分")),
    "key": (str | None, Field(None, description="与引用对照的键：文号，无文号时为标题")),
    "position": (int | None, Field(None, description="在所载期中的顺序（从 0 起）")),
    "created_at": (str | None, Field(None, description="收录时间 ISO")),
    "issue": (dict | None, Field(None, description="所在期：id, key, series, year, issue, total_issue, published, source_path, sha256")),
    "text": (str, Field("", description="正文全文（逐行）")),
    "body_spans": (list[list[int]], Field(default_factory=list, description="正文每行对应的来源行号 [起, 止]")),
    "regions": (list[Region], Field(default_factory=list, description="来源每页上公文所在的框（分页的来源）")),
    "status": (StatusOut, Field(description="效力状态与依据")),
})

# --- search (gongbao.search.query) -------------------------------------------------------

ClauseHit = derived(query.ClauseHit, "ClauseHit", {
    "anchor": "条款锚点：/documents/{id}#anchor", "heading": "条款序号与标题",
    "snippet": "摘要：已转义的 HTML，命中词包在 <mark> 中"})
SearchHit = derived(query.SearchHit, "SearchHit", {
    "id": "公文编号", "status": "效力状态代码", "score": "BM25 得分（文号命中为 1000）",
    "snippet": "摘要：已转义的 HTML，命中词包在 <mark> 中", "clauses": "最相关的条款（至多 3 个）"})
SearchResult = derived(query.SearchResult, "SearchResult", {
    "total": "匹配的公文总数", "relaxed": "没有公文含全部检索词时为 true：结果只含部分词"})


UnitOut = derived(records.UnitCount, "UnitOut", {
    "name": "单位名称", "documents": "作为发文机关的公文数", "tasks": "牵头、责任或配合的任务数", "lead": "牵头的任务数",
    "responsible": "责任的任务数", "partner": "配合的任务数",
}, extra={"url": (str, Field(description="门户中的页面"))})


class UnitDetail(BaseModel):
    name: str
    url: str
    documents: list[DocumentSummary]
    tasks: list[UnitTaskOut]


Stats = derived(records.StoreStats, "Stats", {
    "series": "公报种数", "issues": "期数", "documents": "收录全文的公文数", "absent_documents": "已知未收录（仅被引用）的公文数",
    "citations_resolved": "已解析到公文的引用数", "revisions": "被更新替换的旧版本数", "tokenizer": "全文检索分词方案"})


class UploadResult(BaseModel):
    filename: str = Field(description="保存时使用的文件名")
    status: str = Field(description="added 新收录 / replaced 更新了已有的一期（旧版本保留）/ unchanged 已收录过同一文件")
    issues: int = Field(description="新收录或更新的期数")
    documents: int = Field(description="收录的公文件数")
    tasks: int = Field(0, description="提取的任务数")
    issue_id: int | None = Field(None, description="这一期的编号")
    issue_url: str | None = Field(None, description="这一期在门户中的页面")
