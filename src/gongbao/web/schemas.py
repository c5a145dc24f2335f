"""Response models of the JSON API: the field names are the contract (see /openapi.json)."""

from __future__ import annotations

from pydantic import BaseModel, Field


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


class DocumentSummary(BaseModel):
    id: str = Field(description="公文的稳定编号（17 位：n… 由文号而来，i… 无文号，t… 仅知标题）")
    doc_number: str | None = Field(None, description="发文字号（规范化），如 渝府办发〔2021〕26号")
    title: str = Field(description="标题")
    type: str | None = Field(None, description="文种")
    issuers: list[str] = Field(default_factory=list, description="发文机关")
    date: str | None = Field(None, description="成文日期 ISO")
    year: int | None = Field(None, description="成文年份（无成文日期时为期的年份）")
    section: str | None = Field(None, description="所在栏目")
    present: bool = Field(True, description="是否收录全文；false 为仅被引用的“已知未收录”公文")
    lines: list[int] | None = Field(None, description="来源文件行号 [起, 止]")
    status: str = Field("unknown", description="效力状态：in_force / repealed / expired / not_yet_in_force / revised / unknown")
    url: str = Field(description="门户中的页面")


class DocumentList(Page):
    items: list[DocumentSummary]


class TocEntryOut(BaseModel):
    title: str
    page: str | None = None
    section: str | None = None
    doc_number: str | None = None
    source: str = Field(description="toc（目录）或 index（文件检索）")
    lines: list[int] | None = None


class FindingOut(BaseModel):
    kind: str = Field(description="missing_in_body, missing_in_toc, missing_in_index, title_differs …")
    detail: str


class IssueDetail(IssueBase):
    documents: list[DocumentSummary] = Field(description="本期公文，按刊登顺序")
    toc: list[TocEntryOut] = Field(description="刊印目录与文件检索")
    reconciliation: list[FindingOut] = Field(description="目录与正文的核对结果")
    warnings: list[str] = Field(default_factory=list)


class OutlineNodeOut(BaseModel):
    level: str = Field(description="层级名：chapter, article, l1 …")
    number: str = Field(description="序号原文：第十八条、一、（三）")
    heading: str = Field(description="标题文字")
    text: str = Field(description="该节点直属正文")
    ordinal: int | None = Field(None, description="序号的数值")
    depth: int | None = Field(None, description="嵌套深度，0 为顶层")
    anchor: str = Field(description="锚点，/documents/{id}#anchor 可直达")
    lines: list[int] | None = Field(None, description="来源文件行号 [起, 止]")
    children: list[OutlineNodeOut] = Field(default_factory=list)


class TableOut(BaseModel):
    title: str | None = None
    header: list[str]
    rows: list[list[str]]
    lines: list[int] | None = Field(None, description="来源文件行号 [起, 止]")


class DeadlineOut(BaseModel):
    raw: str = Field(description="时限原文")
    kind: str = Field(description="date / period_end / recurring / ongoing / range / unknown")
    iso: str | None = None
    end_iso: str | None = None


class TaskOut(BaseModel):
    id: int = Field(description="任务编号")
    doc_id: str = Field(description="所属公文编号")
    doc_number: str | None = Field(None, description="所属公文文号")
    doc_title: str | None = Field(None, description="所属公文标题")
    text: str = Field(description="任务内容")
    lead_units: list[str] = Field(default_factory=list, description="牵头单位")
    responsible_units: list[str] = Field(default_factory=list, description="责任单位")
    partner_units: list[str] = Field(default_factory=list, description="配合单位")
    deadline: DeadlineOut | None = Field(None, description="完成时限")
    overdue: bool = Field(False, description="按今天是否已逾期（时限或区间末日已过）")
    anchor: str | None = Field(None, description="任务所在条款锚点")
    source: str | None = Field(None, description="table（任务分工表）或 inline（正文）")
    lines: list[int] | None = Field(None, description="来源文件行号 [起, 止]")


class UnitTaskOut(TaskOut):
    role: str = Field(description="该单位的角色：lead 牵头 / responsible 责任 / partner 配合")


class TaskList(Page):
    items: list[TaskOut]


class CitationOut(BaseModel):
    text: str = Field(description="引用原文")
    doc_number: str | None = Field(None, description="被引文号")
    title: str | None = Field(None, description="被引标题")
    kind: str | None = Field(None, description="doc_number / title / order")
    relation: str = Field("cites", description="关系：cites / issues / forwards / revises / replaces / repeals / implements / interprets")
    target_id: str | None = Field(None, description="被引公文编号（已解析时）")
    present: bool = Field(False, description="被引公文是否收录全文；否则为“已知未收录”")
    anchor: str | None = Field(None, description="引用在本文中的锚点")
    evidence: str | None = Field(None, description="确立该关系的原文")
    own: bool = Field(False, description="随本文印发的文本（属于本文，不是另一件公文）")


class CitationIn(BaseModel):
    source_id: str = Field(description="引用方公文编号")
    source_title: str
    source_doc_number: str | None = None
    relation: str = Field(description="关系类型（同上）")
    anchor: str | None = Field(None, description="引用在引用方中的锚点")
    text: str | None = Field(None, description="引用原文或关系依据")


class Citations(BaseModel):
    outgoing: list[CitationOut]
    incoming: list[CitationIn]


class StatusOut(BaseModel):
    code: str = Field(description="in_force / repealed / expired / not_yet_in_force / revised / unknown")
    label: str = Field(description="中文：现行有效、已废止 …")
    as_of: str | None = Field(None, description="判断所依据的日期")
    evidence: list[str] = Field(default_factory=list, description="依据")
    by: str | None = Field(None, description="废止/修订它的公文（文号或标题）")
    by_id: str | None = Field(None, description="该公文的编号")
    since: str | None = Field(None, description="自何时起")


class ValidityOut(BaseModel):
    effective: str | None = Field(None, description="施行日期")
    expires: str | None = Field(None, description="有效期至")
    trial: bool = Field(False, description="试行")
    evidence: list[str] = Field(default_factory=list)


class AttachmentOut(BaseModel):
    title: str
    omitted: bool = Field(description="正文未刊登（略）")
    lines: list[int] | None = None


class EmbeddedOut(BaseModel):
    title: str
    type: str | None = None
    lines: list[int] | None = None


class DocumentDetail(BaseModel):
    id: str = Field(description="公文的稳定编号")
    doc_number: str | None = Field(None, description="发文字号")
    title: str = Field(description="标题")
    type: str | None = Field(None, description="文种")
    issuers: list[str] = Field(default_factory=list, description="发文机关")
    date: str | None = Field(None, description="成文日期")
    addressee: str | None = Field(None, description="主送机关")
    signatures: list[str] = Field(default_factory=list, description="署名")
    cc: list[str] = Field(default_factory=list, description="抄送机关")
    printed_by: str | None = Field(None, description="印发机关")
    printed_date: str | None = Field(None, description="印发日期")
    public: bool | None = Field(None, description="公开属性：true 为此件公开发布")
    section: str | None = Field(None, description="所在栏目")
    present: bool = Field(True, description="是否收录全文")
    lines: list[int] | None = Field(None, description="来源文件行号 [起, 止]")
    issue: dict | None = Field(None, description="所在期：id, key, series, year, issue, total_issue, published, source_path, sha256")
    text: str = Field("", description="正文全文（逐行）")
    body_spans: list[list[int]] = Field(default_factory=list, description="正文每行对应的来源行号 [起, 止]")
    outline: list[OutlineNodeOut] = Field(default_factory=list, description="层次结构")
    tables: list[TableOut] = Field(default_factory=list)
    tasks: list[dict] = Field(default_factory=list, description="任务（字段同 /api/v1/tasks）")
    attachments: list[AttachmentOut] = Field(default_factory=list, description="附件")
    embedded: list[EmbeddedOut] = Field(default_factory=list, description="印发/转发的文本")
    citations: list[dict] = Field(default_factory=list, description="引用原文：text, doc_number, title, kind, anchor, lines, target_id")
    relations: list[dict] = Field(default_factory=list, description="关系：type, target_text, target_doc_number, target_title, target_id, evidence, anchor, effective")
    validity: ValidityOut | None = Field(None, description="公文对自身效力的表述")
    status: StatusOut = Field(description="效力状态与依据")
    warnings: list[str] = Field(default_factory=list, description="解析时的提示")
    url: str


class ClauseHit(BaseModel):
    anchor: str = Field(description="条款锚点：/documents/{id}#anchor")
    heading: str = Field(description="条款序号与标题")
    snippet: str = Field(description="摘要：已转义的 HTML，命中词包在 <mark> 中")
    score: float


class SearchHit(BaseModel):
    id: str = Field(description="公文编号")
    doc_number: str | None = None
    title: str
    issuers: list[str] = Field(default_factory=list)
    date: str | None = None
    type: str | None = None
    status: str = Field(description="效力状态代码")
    score: float = Field(description="BM25 得分（文号命中为 1000）")
    snippet: str = Field(description="摘要：已转义的 HTML，命中词包在 <mark> 中")
    clauses: list[ClauseHit] = Field(default_factory=list, description="最相关的条款（至多 3 个）")


class SearchResult(BaseModel):
    """Exactly the object `gongbao search --format json` prints."""

    query: str
    total: int = Field(description="匹配的公文总数")
    offset: int
    limit: int
    relaxed: bool = Field(description="没有公文含全部检索词时为 true：结果只含部分词")
    hits: list[SearchHit]


class UnitOut(BaseModel):
    name: str = Field(description="单位名称")
    documents: int = Field(0, description="作为发文机关的公文数")
    tasks: int = Field(0, description="牵头、责任或配合的任务数")
    lead: int = Field(0, description="牵头的任务数")
    responsible: int = Field(0, description="责任的任务数")
    partner: int = Field(0, description="配合的任务数")
    url: str


class UnitDetail(BaseModel):
    name: str
    url: str
    documents: list[DocumentSummary]
    tasks: list[UnitTaskOut]


class Stats(BaseModel):
    series: int = Field(description="公报种数")
    issues: int = Field(description="期数")
    documents: int = Field(description="收录全文的公文数")
    absent_documents: int = Field(0, description="已知未收录（仅被引用）的公文数")
    outline_nodes: int = 0
    tables: int = 0
    tasks: int = 0
    citations: int = 0
    citations_resolved: int = Field(0, description="已解析到公文的引用数")
    relations: int = 0
    revisions: int = Field(0, description="被更新替换的旧版本数")
    schema_version: int = 0
    tokenizer: str | None = Field(None, description="全文检索分词方案")
    size_bytes: int = 0


class UploadResult(BaseModel):
    filename: str = Field(description="保存时使用的文件名")
    status: str = Field(description="added 新收录 / replaced 更新了已有的一期（旧版本保留）/ unchanged 已收录过同一文件")
    issues: int = Field(description="新收录或更新的期数")
    documents: int = Field(description="收录的公文件数")
    tasks: int = Field(0, description="提取的任务数")
    issue_id: int | None = Field(None, description="这一期的编号")
    issue_url: str | None = Field(None, description="这一期在门户中的页面")
