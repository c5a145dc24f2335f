"""Tasks a document assigns: what, who leads, who is responsible, who helps, by when.

Two sources.  Task tables, recognised by their column names (``COLUMNS``: 具体工作 /
牵头单位 / 配合单位 / 完成时限 …), give one task per row, the task group (重点任务) carried
down.  Inline assignments in the text give one task per assignment, its text being what
was written since the heading or the previous assignment:

- keyed:    （牵头单位：区人力社保局；责任单位：…；完成时限：2021年6月底前）
- verbs:    （市发展改革委牵头，市级有关部门配合）
- trailing: …专项整治。（区农委、区食药监分局）   (every item must be a unit name)

Unit names are recognised by their endings (``UNIT_SUFFIXES``); a name broken by a wrap
("区住房城乡建 委") is put back together.  Deadlines come from ``gongbao.dates``.

Public: ``get_tasks(lines, outline, tables, context_year=None)``, ``split_units``,
``filter_tasks`` (shared with the database mode of ``gongbao tasks``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import date

from gongbao.dates import parse_date, parse_deadline
from gongbao.errors import InputError
from gongbao.models import Deadline, Line, OutlineNode, Table, Task
from gongbao.parse.outline import iter_nodes, line_anchors
from gongbao.parse.patterns import squeeze_cjk, strip_debris
from gongbao.parse.tables import table_line_numbers

__all__ = ["COLUMNS", "UNIT_SUFFIXES", "get_tasks", "split_units", "is_unit", "filter_tasks"]

# --- vocabularies as data -----------------------------------------------------------------

COLUMNS: dict[str, tuple[str, ...]] = {
    # role → names of a table column or of an inline key, most specific first
    "task": (
        "具体工作", "具体任务", "具体措施", "工作措施", "主要措施", "目标及措施", "工作内容", "主要内容",
        "任务内容", "具体内容", "工作举措", "具体举措", "主要举措", "改革举措", "工作任务", "工作事项", "目标任务",
        "重点工作", "主要工作", "主要任务", "重点任务", "任务", "举措", "措施", "内容",
    ),
    "lead": ("牵头单位", "牵头部门", "牵头责任单位", "牵头领导单位", "牵头"),
    "partner": ("配合单位", "配合部门", "协办单位", "协助单位", "参与单位", "协同单位", "配合"),
    "responsible": (
        "责任单位", "责任部门", "主体责任单位", "主责单位", "负责单位", "承办单位", "实施单位", "责任主体", "落实单位",
    ),
    "deadline": (
        "完成时限", "时间节点", "完成时间", "完成期限", "时限要求", "时间要求", "进度要求", "进度安排", "时间安排",
        "时限", "时间",
    ),
}
_UNIT_ROLES = ("lead", "responsible", "partner")

VERBS: dict[str, str] = {
    "牵头负责": "lead", "牵头落实": "lead", "牵头": "lead", "按职责分工负责": "responsible", "按职责负责": "responsible",
    "负责": "responsible", "落实": "responsible", "配合": "partner", "参与": "partner", "协助": "partner",
    "协办": "partner",
}
"""An inline ``A、B牵头，C配合`` names the role after the units (longest verb first)."""

UNIT_SUFFIXES: tuple[str, ...] = (
    "局", "委", "办", "府", "院", "厅", "部", "部门", "中心", "会", "室", "所", "队", "站", "处", "司", "署", "行",
    "社", "馆", "校", "团", "联", "协", "组", "科", "公司", "集团", "单位", "机关", "机构", "街道", "镇", "乡",
    "新区", "开发区", "园区", "试验区", "高新区", "示范区", "社区", "村", "海关", "法院", "检察院", "区县", "镇街",
    "乡镇",
)
_NOT_UNIT = re.compile(r"简称|统称|以下|下同|包括|例如|如[:：]|[0-9０-９〔〕《》“”]")  # definitions, citations
_TAILS = ("办事处", "委员会", "管委会", "办公室", "人民政府", "政府", "分局", "中心")
"""Endings that never stand alone in a list: "各街道 办事处" is one unit broken by a wrap."""
_MIN_UNIT = 3
_ROLE_TAIL = re.compile(r"(?:按照?职责分工|按职责|分别)?(?:负责|落实)$")
_LEAD_MARK = re.compile(r"[（(]?牵头[）)]?$")
_MAX_JOINED = 2  # lines joined to close a parenthesis  # 区农委, 市商委, 团市委: shorter pieces are fragments of a wrapped name

_KEYS = sorted({k for role in (*_UNIT_ROLES, "deadline") for k in COLUMNS[role]}, key=len, reverse=True)
_KEY_RE = "|".join(r"\s*".join(map(re.escape, key)) for key in _KEYS)  # 责任单 位: a wrap inside a key
_KEYED = re.compile(rf"(?P<key>{_KEY_RE})\s*[：:]\s*(?P<value>.*?)\s*(?=[；;，,。]?\s*(?:{_KEY_RE})\s*[：:]|[；;。]?\s*$)")
_PAREN = re.compile(r"[（(](?P<inner>[^（）()]*(?:[（(][^（）()]*[）)][^（）()]*)*)[）)]")
_KEY_START = re.compile(rf"\s*(?:{_KEY_RE})\s*[：:]")
_OPEN_KEYED = re.compile(rf"(?:^|(?<=[。；;]))\s*(?=(?:{_KEY_RE})\s*[：:])")
_SEPARATORS = re.compile(r"[、，,；;/]+")
_SENTENCE_END = "。；;！？!?"
_TITLE_LEVELS = ("part", "chapter", "section", "article", "l1", "l2")
_DATED_KINDS = ("date", "period_end", "recurring", "ongoing", "range")


# --- units --------------------------------------------------------------------------------


def is_unit(name: str) -> bool:
    """Does ``name`` read as the name of a unit (区农委, 市政府职转办, 各区县政府…)?"""
    return len(name) >= _MIN_UNIT and name.endswith(UNIT_SUFFIXES) and not _NOT_UNIT.search(name)


_ROLE_MARK = re.compile(r"[（(](?:牵头|主责|负责|配合|协办)[)）]$")


def split_units(text: str) -> list[str]:
    """区农委、区食药监分局 → two units; 区住房城乡建 委 → one (a wrap), 区农委 区林业局 → two."""
    units: list[str] = []
    for piece in _SEPARATORS.split(strip_debris(text)):
        current = ""
        for part in piece.split():
            if current and is_unit(_ROLE_MARK.sub("", current)) and is_unit(part) and part not in _TAILS:
                units.append(current)
                current = part
            else:
                current += part
        if current:
            units.append(current)
    return [u for u in map(_trim, units) if u]


def _trim(unit: str) -> str:
    """Punctuation, a role phrase (按职责分工负责) and an unbalanced closing bracket left at
    the end of a unit name."""
    unit = _ROLE_TAIL.sub("", unit.strip("。.：: "))
    while unit[-1:] in ")）" and unit.count("(") + unit.count("（") < unit.count(")") + unit.count("）"):
        unit = unit[:-1]
    return unit


# --- task tables --------------------------------------------------------------------------


def _column_roles(header: list[str]) -> dict[str, int]:
    """Role → column index, by the column's name; the group is a second, broader task column."""
    names = [squeeze_cjk(strip_debris(h)).replace(" ", "") for h in header]
    found: dict[str, int] = {}
    task_rank: dict[int, int] = {}
    for col, name in enumerate(names):
        role, rank = _role_of(name)
        if role == "task":
            task_rank[col] = rank
        elif role is not None and role not in found:
            found[role] = col
    if task_rank:
        found["task"] = min(task_rank, key=lambda c: (task_rank[c], c))
        broader = [c for c in task_rank if c < found["task"]]
        if broader:
            found["group"] = broader[-1]
    units = [found[r] for r in _UNIT_ROLES if r in found]
    if "task" not in found and units:
        # a column named for its subject (民生实事, 项目名称): the text column left of the units
        free = [c for c in range(min(units)) if c not in found.values() and names[c] not in _NUMBER_COLUMNS]
        if free:
            found["task"] = free[-1]
    return found


def _role_of(name: str) -> tuple[str | None, int]:
    """The first role whose synonyms name this column, and the rank of the synonym that does."""
    for role, synonyms in COLUMNS.items():
        hit = next((rank for rank, s in enumerate(synonyms) if name == s or (len(s) > 1 and s in name)), None)
        if hit is not None:
            return role, hit
    return None, 0


_NUMBER_COLUMNS = ("序号", "编号", "序", "No", "No.")


def _deadline(text: str, context_year: int | None) -> Deadline | None:
    return parse_deadline(text, context_year=context_year) if text.strip() else None


def _header_names(row: list[str]) -> bool:
    """A row of column names only (the second line of a two-line header: 牵头单位 | 配合单位)."""
    cells = [squeeze_cjk(strip_debris(c)).replace(" ", "") for c in row if c.strip()]
    return bool(cells) and all(any(c in names for names in COLUMNS.values()) for c in cells)


def _lead_marked(units: list[str]) -> tuple[list[str], list[str]]:
    """区发展改革委（牵头）、区财政局 → lead [区发展改革委], others [区财政局]."""
    lead, others = [], []
    for unit in units:
        bare = _LEAD_MARK.sub("", unit)
        if bare:  # a cell holding only the mark (牵头) names no unit
            (lead if bare != unit else others).append(bare)
    return lead, others


def _groups(labels: list[str], page_starts: set[int]) -> list[str | None]:
    """The group of each row: its label, else the label above (a merged cell printed once).

    A table that prints the label of a continuing group again at the top of each page tells
    that an unlabelled top row starts a new group: it takes the label printed next on its page
    (a vertically centred merged cell)."""
    out: list[str | None] = []
    for i, label in enumerate(labels):
        out.append(label or (out[-1] if out else None))
    repeats = any(labels[i] and i > 0 and labels[i] == out[i - 1] for i in page_starts if i < len(labels))
    for i in sorted(page_starts) if repeats else []:
        if i >= len(labels) or labels[i]:
            continue
        j = next((j for j in range(i + 1, len(labels)) if labels[j] or j in page_starts), None)
        if j is not None and labels[j]:
            out[i:j] = [labels[j]] * (j - i)
    return out


def _kind_of_cell(text: str) -> str:
    """What a cell holds, whatever column it stands in: unit names, a deadline or text."""
    bare = strip_debris(text).strip()
    names = split_units(bare)
    if names and "。" not in bare and all(len(n) <= _UNIT_NAME and is_unit(_ROLE_MARK.sub("", n)) for n in names):
        return "units"
    # a deadline cell is short and no sentence (2019年12月底前), not a task that starts with one (每季度通报…。)
    deadline = _deadline(bare, None) if len(bare) <= _DEADLINE_CELL and not _CLAUSE_MARK.search(bare) else None
    return "deadline" if deadline is not None and deadline.kind != "unknown" else "text"


_TEXT_ROLES = ("group", "task")
_DEADLINE_CELL = 14
_UNIT_NAME = 24  # a longer "name" is a sentence that happens to end like one (…运行)
_CLAUSE_MARK = re.compile(r"[。，；,;]")


def _fits(row: list[str], roles: dict[str, int]) -> bool:
    """Does each filled cell stand in a column of its kind (no cell shifted by a dropped or an
    extra empty cell)?"""
    last = max(roles.values())
    if len(row) > last + 1 and any(c.strip() for c in row[last + 1 :]):
        return False
    if len(row) == last + 1 and all(row[col].strip() for col in roles.values()):
        return True  # every column filled: nothing can have shifted into an empty one
    for role, col in roles.items():
        text = row[col].strip() if col < len(row) else ""
        if not text or role == "group":
            continue
        kind = _kind_of_cell(text)
        want = "text" if role in _TEXT_ROLES else "deadline" if role == "deadline" else "units"
        if kind != want and not (want == "deadline" and kind == "text"):
            return False
    return True


def _aligned(row: list[str], roles: dict[str, int]) -> dict[str, str]:
    """Role → cell text of a task row.  A row whose cells shifted (the 牵头单位 printed in the task
    column, a deadline under 责任单位) is read by what its cells hold, in the header's order:
    texts are the group and the task, unit lists the unit columns, a deadline the deadline."""
    if _fits(row, roles):
        return {role: row[col] for role, col in roles.items() if col < len(row)}
    kinds: dict[str, list[str]] = {"text": [], "units": [], "deadline": []}
    for k, text in enumerate(row):
        if text.strip() and not (k == 0 and _NUMBER.match(text.strip())):  # the row's 序号 is no cell of a role
            kinds[_kind_of_cell(text)].append(text)
    texts = kinds["text"]
    out = {"task": texts[-1] if texts else "", "group": texts[-2] if len(texts) > 1 else "",
           "deadline": kinds["deadline"][0] if kinds["deadline"] else ""}
    unit_roles = sorted((r for r in _UNIT_ROLES if r in roles), key=roles.__getitem__)
    out.update(zip(unit_roles, kinds["units"]))
    return out


_NUMBER = re.compile(r"^[0-9０-９]{1,3}[.．、]?$")
_LEAD_IN_TEXT = re.compile(r"[（(](?P<units>[^（）()]{2,40}?)牵头[)）]")


def _units_by_role(cell: dict[str, str], roles: dict[str, int], text: str) -> tuple[list[str], list[str], list[str]]:
    """(lead, responsible, partner) units of a row.  X（牵头） in any unit column makes X a lead
    and the others printed with it the next column's; a lead named in the task text
    (…（省民政厅牵头）) counts when no column names one."""
    lead_marked, lead_rest = _lead_marked(split_units(cell.get("lead", "")))
    marked, responsible = _lead_marked(split_units(cell.get("responsible", "")))
    marked_too, partners = _lead_marked(split_units(cell.get("partner", "")))
    if lead_marked and lead_rest:  # 省体育局（牵头）、省文化和旅游厅 under 牵头单位
        if "responsible" in roles:
            responsible = lead_rest + responsible
        else:
            partners = lead_rest + partners
        lead_rest = []
    lead = lead_marked + lead_rest + marked + marked_too
    if not lead:
        m = _LEAD_IN_TEXT.search(text)
        lead = [u for u in split_units(m.group("units")) if is_unit(u)] if m else []
    return lead, responsible, partners


def _table_tasks(table: Table, anchors: dict[int, str], context_year: int | None) -> list[Task]:
    header, rows = table.header, table.rows
    spans = table.row_lines or [table.lines] * len(rows)
    if rows and _header_names(rows[0]):
        header = [b or a for a, b in zip(header, rows[0], strict=False)] + header[len(rows[0]) :]
        rows, spans = rows[1:], spans[1:]
    roles = _column_roles(header)
    if "task" not in roles or not any(r in roles for r in _UNIT_ROLES):
        return []

    cells = [_aligned(row, roles) for row in rows]
    offset = len(table.rows) - len(rows)  # a second header line was taken off
    groups = _groups([c.get("group", "") for c in cells], {i - offset for i in table.page_starts})
    tasks: list[Task] = []
    for cell, span, group in zip(cells, spans, groups, strict=False):
        text = cell.get("task", "")
        if not text:
            continue
        lead, responsible, partners = _units_by_role(cell, roles, text)
        tasks.append(
            Task(
                text=text,
                lead_units=lead,
                responsible_units=responsible,
                partner_units=partners,
                deadline=_deadline(cell.get("deadline", ""), context_year),
                lines=span,
                anchor=anchors.get(span[0]),
                source="table",
                group=group,
            )
        )
    return tasks


# --- inline assignments -------------------------------------------------------------------

_Assignment = tuple[dict[str, list[str]], str | None]  # role → units, deadline text


def _keyed(inner: str) -> _Assignment | None:
    """牵头单位：A；配合单位：B、C；完成时限：… (the whole text must be keys and values)."""
    if not _KEY_START.match(inner):
        return None
    roles: dict[str, list[str]] = {}
    deadline = None
    for m in _KEYED.finditer(inner.strip()):
        key = "".join(m["key"].split())
        role = next(r for r, names in COLUMNS.items() if key in names)
        if role == "deadline":
            deadline = m["value"]
        elif role in _UNIT_ROLES:
            roles.setdefault(role, []).extend(split_units(m["value"]))
    return (roles, deadline) if roles else None  # a task needs a unit: "时间：…" alone is not one


_CLAUSES = re.compile(r"[，,；;]")


def _listed(inner: str) -> _Assignment | None:
    """A、B牵头，C配合 — or a bare unit list (区农委、区质监局), which names the responsible units."""
    if len(inner) < _MIN_UNIT:
        return None  # shorter than any unit name (is_unit): the （一） of an item
    roles: dict[str, list[str]] = {}
    deadline = None
    for clause in _CLAUSES.split(inner):
        clause = clause.strip()
        if not clause:
            continue
        verb = next((v for v in VERBS if clause.endswith(v)), None)
        names = clause[: -len(verb)] if verb else clause
        if not verb and not is_unit(clause) and parse_deadline(clause).kind in _DATED_KINDS:
            deadline = clause
            continue
        units = split_units(names)
        if not units or not all(is_unit(u) for u in units):
            return None
        roles.setdefault(VERBS[verb] if verb else "responsible", []).extend(units)
    return (roles, deadline) if roles else None


def _may_assign(text: str) -> bool:
    """False when ``_assignments(text)`` is empty for sure: every assignment is in brackets or
    after a colon (str's own search: a pattern's class is tried at every character, far slower)."""
    return "（" in text or "(" in text or "：" in text or ":" in text


def _assignments(text: str) -> list[tuple[int, int, _Assignment]]:
    """(start, end, assignment) of each assignment in a line, in order."""
    found: list[tuple[int, int, _Assignment]] = []
    for m in _PAREN.finditer(text) if "（" in text or "(" in text else ():
        inner = m["inner"]
        parsed = _keyed(inner)
        if parsed is None:
            at_end = not text[m.end() :].strip(" 。；;")
            after_sentence = text[: m.start()].rstrip()[-1:] in _SENTENCE_END
            if at_end or after_sentence:
                parsed = _listed(inner)
        if parsed is not None:
            found.append((m.start(), m.end(), parsed))
    if not found and ("：" in text or ":" in text):  # every key is followed by a colon
        m = _OPEN_KEYED.search(text)
        parsed = _keyed(text[m.end() :]) if m else None
        if m and parsed is not None:
            found.append((m.end(), len(text), parsed))
    return found


def _join(pieces: list[str]) -> str:
    out = ""
    for piece in pieces:
        if out and out[-1] in _SENTENCE_END + "：:":  # a paragraph ended; otherwise a wrap
            out += "\n"
        out += piece
    return out.strip()


def _open_parens(text: str) -> int:
    return text.count("（") + text.count("(") - text.count("）") - text.count(")")


def _balanced(lines: list[Line], skip: set[int], heads: set[int]) -> list[Line]:
    """Body lines, a line that leaves a parenthesis open joined with the next unless that one is a
    heading (a wrap inside "（牵头部门：区人力 / 社保局；…）" that normalisation did not repair)."""
    out: list[Line] = []
    joined = 0
    for line in lines:
        if line.first in skip or getattr(line, "noise", False):
            continue
        prev = out[-1] if out else None
        if prev is not None and line.first not in heads and 0 < joined <= _MAX_JOINED:
            out[-1] = Line(prev.text + strip_debris(line.text), prev.first, line.last)
        else:
            out.append(line)
            joined = 0
        text = out[-1].text
        joined = joined + 1 if ("（" in text or "(" in text) and _open_parens(text) > 0 else 0  # none opened: none open
    return out


def _content(line: Line, node: OutlineNode | None) -> str:
    """The text of a line without debris and without the number of the heading it opens."""
    content = strip_debris(line.text)
    if node is not None and content.startswith(node.number):
        return content[len(node.number) :].strip()
    return content


def _assigned(
    balanced: list[Line], heads: dict[int, OutlineNode]
) -> tuple[list[str], list[list[tuple[int, int, _Assignment]]]] | None:
    """The content of each line and the assignments in it; None when no line assigns anything.
    A line without a bracket or a colon assigns nothing (``_may_assign``): its content is made
    only when some line does, for the task text."""
    marked = [_content(line, heads.get(line.first)) if _may_assign(line.text) else None for line in balanced]
    found = [_assignments(content) if content else [] for content in marked]
    if not any(found):
        return None
    contents = [_content(line, heads.get(line.first)) if content is None else content
                for line, content in zip(balanced, marked)]
    return contents, found


def _inline_tasks(
    lines: list[Line], outline: list[OutlineNode], anchors: Callable[[], dict[int, str]], skip: set[int],
    context_year: int | None,
) -> list[Task]:
    """A task is what was written since its heading (or the previous assignment) up to the assignment."""
    heads = {node.lines[0]: node for node in iter_nodes(outline)}
    balanced = _balanced(lines, skip, set(heads))
    assigned_lines = _assigned(balanced, heads)
    if assigned_lines is None:
        return []  # no line assigns anything: no task, and no task text to gather
    contents, found = assigned_lines
    tasks: list[Task] = []
    pieces: list[str] = []
    start: int | None = None
    heading = ""
    for line, content, assigned in zip(balanced, contents, found):
        node = heads.get(line.first)
        heading_only = False
        if node is not None:
            heading = node.heading or content
            # a title alone on its line (一、… / （一）…) is not part of the task text below it;
            # a deep item (（8）…) alone on its line is the start of a wrapped sentence
            heading_only = node.level in _TITLE_LEVELS and squeeze_cjk(content).rstrip("。：:") == node.heading
            pieces, start = [], None
        cursor = 0
        for a, b, (roles, deadline) in assigned:
            before = content[cursor:a].strip()
            tasks.append(
                Task(
                    text=_join([*pieces, before]) or heading,
                    lead_units=roles.get("lead", []),
                    responsible_units=roles.get("responsible", []),
                    partner_units=roles.get("partner", []),
                    deadline=_deadline(deadline, context_year) if deadline else None,
                    lines=(start if pieces and start is not None else line.first, line.last),
                    anchor=anchors().get(line.first),
                )
            )
            pieces, start, cursor = [], None, b
        rest = content[cursor:].strip()
        if rest.strip(" 。；;") and not (heading_only and not cursor):
            pieces.append(rest)
            start = line.first if start is None else start
    return tasks


def get_tasks(
    lines: list[Line],
    outline: list[OutlineNode],
    tables: list[Table],
    *,
    context_year: int | None = None,
) -> list[Task]:
    """Every task of a body: task-table rows first, then inline assignments, each in source order."""
    tasks: list[Task] = []
    walked: list[dict[int, str]] = []

    def anchors() -> dict[int, str]:
        # walked only when a task is found, once (functools.cache made per body cost ~15 µs)
        if not walked:
            walked.append(line_anchors(outline))
        return walked[0]

    for table in tables:
        tasks.extend(_table_tasks(table, anchors(), context_year))
    tasks.extend(_inline_tasks(lines, outline, anchors, table_line_numbers(tables), context_year))
    return tasks


# --- filtering ----------------------------------------------------------------------------


def _as_iso(value: str | date | None, option: str) -> str | None:
    if value is None or isinstance(value, date):
        return value.isoformat() if value else None
    iso = parse_date(value)
    if iso is None:
        raise InputError(f"{option}: not a date: {value!r} (use YYYY-MM-DD)")
    return iso


def _due(task: Task) -> str | None:
    if task.deadline is None:
        return None
    return task.deadline.end_iso or task.deadline.iso


def filter_tasks(
    tasks: Iterable[Task],
    unit: str | None = None,
    due_before: str | date | None = None,
    overdue_as_of: str | date | None = None,
) -> list[Task]:
    """Tasks of a unit (substring of any lead/responsible/partner unit), due on or before a date,
    or overdue (due strictly before ``overdue_as_of``).  Tasks without a dated deadline
    (ongoing, recurring, unknown) never match a date filter."""
    before = _as_iso(due_before, "--due-before")
    as_of = _as_iso(overdue_as_of, "--overdue")
    needle = re.sub(r"\s+", "", unit) if unit else None
    out = []
    for task in tasks:
        due = _due(task)
        if needle and not any(needle in u for u in (*task.lead_units, *task.responsible_units, *task.partner_units)):
            continue
        if before and (due is None or due > before):
            continue
        if as_of and (due is None or due >= as_of):
            continue
        out.append(task)
    return out
