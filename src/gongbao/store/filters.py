"""Document filters shared by listing and search (a WHERE fragment both engines run)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


ANY = "1 = 1"  # the fragment of no filter (true in both engines)


@dataclass(slots=True)
class Filters:
    """Document filters shared by ``list_documents`` and search; None means any."""

    issuer: str | None = None  # an issuer's name, or part of it
    year: int | None = None
    type: str | None = None  # 文种: 通知, 意见, 办法, …
    series: str | None = None
    issue_id: int | None = None
    section: str | None = None
    date_from: str | None = None  # ISO, inclusive
    date_to: str | None = None
    present: bool | None = True  # False: only known-but-absent, None: both

    @classmethod
    def of(cls, value: Filters | Mapping[str, Any] | None) -> Filters:
        if value is None:
            return cls()
        if isinstance(value, Filters):
            return value
        unknown = set(value) - set(cls.__slots__)
        if unknown:
            raise ValueError(f"unknown filter(s): {', '.join(sorted(unknown))}")
        return cls(**value)

    def sql(self, series: str = "s.name") -> tuple[str, list[Any]]:
        """A WHERE fragment over ``documents d`` (and ``issues i``, ``series s``) with its parameters;
        ``series``: the column holding the series' name (a table that keeps it beside the document)."""
        clauses, params = [ANY], []
        if self.present is not None:
            clauses.append("d.present = ?")
            params.append(int(self.present))
        if self.issuer:
            clauses.append("EXISTS (SELECT 1 FROM document_issuers di WHERE di.doc_pk = d.pk AND instr(di.issuer, ?) > 0)")
            params.append(self.issuer)
        for column, value in (("d.year", self.year), ("d.type", self.type), (series, self.series),
                              ("d.issue_id", self.issue_id), ("d.section", self.section)):
            if value is not None and value != "":
                clauses.append(f"{column} = ?")
                params.append(value)
        if self.date_from:
            clauses.append("d.date >= ?")
            params.append(self.date_from)
        if self.date_to:
            clauses.append("d.date <= ?")
            params.append(self.date_to)
        return " AND ".join(clauses), params
