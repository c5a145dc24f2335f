"""Mine thesaurus groups from the corpus: abbreviations of the organs it names, by rule
(人力资源和社会保障局 → 人社局), and the terms it defines (本条例所称童工，是指未满十六周岁的未成年人
→ 童工 ↔ 未成年人).  Writes ``gongbao/data/thesaurus_mined.yaml``; every group says its source.

    python -m gongbao.search.mine --db gongbao.db [--out src/gongbao/data/thesaurus_mined.yaml]

Public: ``abbreviation(name)``, ``definition_groups(text)``, ``mine(store)``.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import yaml

from gongbao.search.place import strip_place

# An organ name: body and the kind of organ; the abbreviation keeps the kind's short form.
_ORGAN = re.compile(r"([\u4e00-\u9fff]{4,14}?)(委员会|管理局|局|厅|办公室)$")
_KIND = {"委员会": "委", "管理局": "局", "局": "局", "厅": "厅", "办公室": "办"}
_DEFINITION = re.compile(r"所称的?([\u4e00-\u9fff]{2,8}?)[，,]?(?:是指|系指)([^。；;]{2,80})")
_ITEMS = re.compile(r"[、，,]|以及|或者|和|及|或")
# an organ named after a place word (市人力资源和社会保障局): 2–4 characters per part, in one or
# more parts joined by 和
_NAMED_ORGAN = re.compile(r"(?<=[市省区县])((?:[\u4e00-\u9fff]{2,4}和)*[\u4e00-\u9fff]{2,4}(?:委员会|局|厅))")
# organs named by convention, not by the first-character rule (人民政府, 人大常委会)
_CONVENTIONAL = re.compile(r"人民|代表|常务|军委|中央")
# heads too general to stand for a defined term (…的行为, …的单位)
_GENERIC_HEADS = frozenset("行为 活动 单位 组织 人员 个人 情形 事项 措施 信息 文件 机构 部门 制度 工作 方式 过程 区域 场所 "
                           "设施 物品 总称 统称 资料 项目 服务 管理 产品 企业 机关".split())
MAX_TARGETS = 4


_NOT_ORGAN = re.compile(r"(?:布|终|格|结|副|大|当|变|开)局$|^[的内域各以场块一上下其与和及或在对由经向将被]")


def abbreviation(name: str) -> str | None:
    """The usual short form of an organ's name, by rule: the first character of each part
    joined by 和 (人力资源和社会保障局 → 人社局), else of each two-character word (卫生健康委员会
    → 卫健委); None when the name is too short to shorten."""
    match = _ORGAN.match(name)
    if not match or _NOT_ORGAN.search(name):
        return None
    body, kind = match.groups()
    parts = re.split(r"和|与", body)
    if len(parts) == 1:
        if len(body) != 4:  # only a name of two words shortens by rule (卫生健康 → 卫健)
            return None
        parts = [body[:2], body[2:]]
    short = "".join(p[0] for p in parts if p)
    return short + _KIND[kind] if len(short) >= 2 else None


def definition_groups(text: str) -> list[list[str]]:
    """[term, head nouns of its definition] for each ……是指…… in ``text``."""
    groups = []
    for term, body in _DEFINITION.findall(text):
        heads = []
        for item in _ITEMS.split(body):
            head = item.split("的")[-1].strip("“”\"（）() ")
            if (2 <= len(head) <= 6 and head != term and head not in heads and head not in _GENERIC_HEADS
                    and re.fullmatch(r"[\u4e00-\u9fff]+", head)):
                heads.append(head)
        if heads and len(heads) <= MAX_TARGETS:
            groups.append([term, *heads])
    return groups


def mine(store) -> dict:
    """The mined groups of the database behind ``store``."""
    abbreviations: dict[str, set[str]] = {}
    names = set(store.organ_names())
    for text in store.present_texts():
        names.update(_NAMED_ORGAN.findall(text))
    for name in sorted(names):
        full = strip_place(name)
        short = None if _CONVENTIONAL.search(full) else abbreviation(full)
        if short:
            abbreviations.setdefault(short, set()).update({full, full.replace("和", "")})
    definitions: dict[str, set[str]] = {}
    for text in store.definition_texts():
        for term, *heads in definition_groups(text):
            definitions.setdefault(term, set()).update(heads)
    groups = [{"source": "abbreviation", "words": [short, *sorted(fulls)]} for short, fulls in sorted(abbreviations.items())]
    groups += [{"source": "definition", "words": [term, *sorted(heads)]} for term, heads in sorted(definitions.items())
               if len(heads) <= MAX_TARGETS]
    return {"groups": groups}


def main(argv: list[str] | None = None) -> int:
    from gongbao.store import open_store

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", required=True)
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parents[1] / "data" / "thesaurus_mined.yaml")
    args = parser.parse_args(argv)
    with open_store(args.db, create=False, readonly=True) as store:
        data = mine(store)
    header = ("# Mined from the corpus by `python -m gongbao.search.mine` (samples, ../shared/govcn, "
              "../shared/lawref):\n# organ abbreviations by rule, and terms the texts define.  Do not edit by hand.\n")
    args.out.write_text(header + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=200), encoding="utf-8")
    print(f"{len(data['groups'])} groups → {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
