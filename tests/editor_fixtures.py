"""A small gazette issue (two documents, three tasks, one repeal) written at test time, for
the editors' tests: corrections, review, task follow-up.  Hand-written, not from a sample."""

from __future__ import annotations

from pathlib import Path

from gongbao.ingest import ingest_paths

ISSUE = """汀州市人民政府公报
2022年第5期（总第120期）
汀州市人民政府办公室主办
2022年3月15日出版

汀州市人民政府关于加强河道管理的通知
汀府发〔2022〕7号

各区人民政府，市政府各部门：
为加强河道管理，现就有关事项通知如下。
一、落实河长责任。各区要建立河长制工作台账。
二、开展专项整治。（牵头单位：市水务局；配合单位：市生态环境局；完成时限：2022年6月底前）
三、本通知自印发之日起施行。《汀州市河道管理暂行办法》（汀府发〔2015〕3号）同时废止。

汀州市人民政府
2022年3月1日

汀州市人民政府办公室关于做好春季防火工作的通知
汀府办发〔2022〕11号

各区人民政府，市政府各部门：
春季是火灾高发期，现就做好春季防火工作通知如下。
一、完成隐患排查。（牵头单位：市应急局；责任单位：各区人民政府；完成时限：2022年4月30日前）
二、开展林区巡查。（责任单位：市林业局；完成时限：长期坚持）

汀州市人民政府办公室
2022年3月5日
"""


def write_issue(folder: Path, text: str = ISSUE, name: str = "tingzhou-2022-05.txt") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def ingest(folder: Path, text: str = ISSUE, db: Path | str | None = None) -> Path | str:
    """Write the issue (or a changed version of it) and ingest it; the database path."""
    db = db or folder / "g.db"
    summary = ingest_paths([write_issue(folder, text)], db, progress=False)
    assert not summary.failures
    return db
