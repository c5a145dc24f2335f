"""The ranges of the portal's parameters, checked before anything reaches SQL (422 with the
parameter's name otherwise): ids within SQLite's 64-bit integers, years of four digits,
pages and offsets that a person or a crawler can reach, short filter texts."""

from __future__ import annotations

import re

from gongbao.errors import InputError

SQL_INT_MAX = 2**63 - 1  # the largest integer SQLite (and PostgreSQL's bigint) holds
MAX_YEAR = 9999
MAX_OFFSET = 100_000  # API paging; more is a bulk export (/api/v1/export)
MAX_PAGE = 10_000
MAX_TEXT = 200  # characters of a filter value (a unit's or issuer's name, a 文号, a date)

_YEAR = re.compile(r"[0-9]{1,4}")


def form_year(value: str | None) -> int | None:
    """A year typed into a form (blank: none); InputError (400) when it is not 1–9999."""
    if not value:
        return None
    if not _YEAR.fullmatch(value) or int(value) < 1:
        raise InputError(f"年份应为 1–{MAX_YEAR} 的数字：{value[:20]}")
    return int(value)
