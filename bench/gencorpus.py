"""A realistic gazette corpus of any size, recombined from real text, for the scale benches.

    python bench/gencorpus.py OUT_DIR --documents 100000 [--seed 1]

Writes gazette issues as text files (the shape of samples/: masthead, issue line, red
header, 文号, title, addressee, numbered body, signature and date) that ``gongbao ingest``
reads like any other.  Nothing is invented word by word: titles are the titles of real laws
and regulations (../shared/lawref) turned into 关于印发《…》的通知 / 关于…的意见, bodies are
real paragraphs and articles of ../shared/lawref, ../shared/govcn and the samples, drawn at
random and renumbered.  Issuers are governments at province, city and county level (31
provinces × cities × counties, about 3,000 like the country) and their offices, each with its
own 文号 prefix; a region prints 12 issues a year, 2000–2024, ~10 documents an issue;
10 % of documents repeal an earlier one of the same issuer (…同时废止) and 30 % cite one
(根据《…》（…号）), as gazettes do.  Deterministic for a seed.
"""

from __future__ import annotations

import argparse
import random
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = next((p for p in (ROOT.parent / "shared", ROOT.parent.parent / "shared") if p.is_dir()), ROOT.parent / "shared")
PROVINCES = ("北京", "天津", "河北", "山西", "内蒙古", "辽宁", "吉林", "黑龙江", "上海", "江苏", "浙江", "安徽", "福建",
             "江西", "山东", "河南", "湖北", "湖南", "广东", "广西", "海南", "重庆", "四川", "贵州", "云南", "西藏",
             "陕西", "甘肃", "青海", "宁夏", "新疆")
PLACE = "安平宁昌德兴华和清泰丰阳山河南北东西中新永长江海云龙凤鹤松桂兰梅溪川湖城林石金玉明光文武乐康福寿庆"
KINDS = (("通知", 0.45), ("意见", 0.15), ("决定", 0.1), ("通告", 0.05), ("办法", 0.1), ("批复", 0.1), ("方案", 0.05))
ADDRESSEES = ("各区县（自治县）人民政府，市政府各部门，有关单位：", "各乡镇人民政府、街道办事处，区政府各部门：",
              "各市（州）人民政府，省政府各部门：")
NUMERALS = "一二三四五六七八九十"
_ARTICLE = re.compile(r"^第[一二三四五六七八九十百零]+条\s*")
# list marks, emphasis and numbering a recombined paragraph must not carry over
_LEAD = re.compile(r"^(?:[-*>\s]+|\*\*|[（(]?[一二三四五六七八九十\d]+[)）、.．]\s*)+")


def regions(rng: random.Random) -> list[tuple[str, str]]:
    """(region name, 文号 stem) at province, city and county level."""
    out = []
    for province in PROVINCES:
        out.append((f"{province}省" if len(province) < 3 else province, province[:1] + "政"))
        for c in range(rng.randint(8, 14)):
            city = rng.choice(PLACE) + rng.choice(PLACE)
            out.append((f"{province}省{city}市", city))
            for _ in range(rng.randint(5, 8)):
                county = rng.choice(PLACE) + rng.choice(PLACE)
                out.append((f"{province}省{city}市{county}县", county))
    return out


def pools() -> tuple[list[str], list[str]]:
    """(real titles, real paragraphs) from lawref, govcn and the samples."""
    titles, paragraphs = [], []
    lawref = SHARED / "lawref"
    for path in sorted(lawref.rglob("*.md")) if lawref.is_dir() else []:
        title = re.sub(r"[（(]\d{4}-\d\d-\d\d[)）]$", "", path.stem)
        if 4 < len(title) < 40:
            titles.append(title)
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            line = _LEAD.sub("", _ARTICLE.sub("", line.strip())).replace("**", "")
            if 30 <= len(line) <= 300 and not line.startswith(("#", "<", "|")):
                paragraphs.append(line)
    sources = list((SHARED / "govcn").glob("*.txt")) + list((ROOT / "samples").glob("*.txt"))
    for path in sources:
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            line = _LEAD.sub("", line.strip()).replace("**", "")
            if 30 <= len(line) <= 300 and "〔" not in line and not line.startswith(("#", "|")):
                paragraphs.append(line)
    if not titles:
        titles = ["城市绿化管理办法", "安全生产条例", "粮食流通管理办法", "农村公路养护办法"]
    return titles, paragraphs


def _title(rng: random.Random, issuer: str, subject: str, kind: str) -> str:
    if kind == "通知":
        return f"{issuer}关于印发{subject}实施细则的通知"
    if kind == "批复":
        return f"{issuer}关于{subject}有关事项的批复"
    return f"{issuer}关于贯彻{subject}的{kind}"


def _body(rng: random.Random, paragraphs: list[str], history: list[tuple[str, str]]) -> list[str]:
    lines = []
    if history and rng.random() < 0.3:
        title, number = rng.choice(history)
        lines.append(f"根据《{title}》（{number}）精神，结合本地实际，现就有关事项{rng.choice(('通知', '提出意见'))}如下：")
    for i in range(rng.randint(3, 9)):
        lines.append(f"{NUMERALS[i]}、{rng.choice(paragraphs)}")
    if history and rng.random() < 0.1:
        title, number = rng.choice(history)
        lines.append(f"本文件自印发之日起施行，《{title}》（{number}）同时废止。")
    return lines


def generate(out: Path, documents: int, seed: int = 1) -> int:
    """Write issues holding ``documents`` documents in all under ``out``; the files written."""
    rng = random.Random(seed)
    titles, paragraphs = pools()
    places = regions(rng)
    out.mkdir(parents=True, exist_ok=True)
    history: dict[str, list[tuple[str, str]]] = {}
    serials: dict[tuple[str, int], int] = {}
    written = made = 0
    while made < documents:
        region, stem = rng.choice(places)
        year = rng.randint(2000, 2024)
        number = rng.randint(1, 12)
        kept = history.setdefault(region, [])
        lines = [f"# {region}人民政府公报", "", f"{year}年第{number}期 (总第{(year - 1999) * 12 + number}期)", ""]
        for _ in range(min(rng.randint(6, 14), documents - made)):
            office = rng.random() < 0.5
            issuer = f"{region}人民政府" + ("办公室" if office else "")
            prefix = stem + ("府办发" if office else "府发")
            serials[(prefix, year)] = serial = serials.get((prefix, year), 0) + 1
            doc_number = f"{prefix}〔{year}〕{serial}号"
            kind = rng.choices([k for k, _ in KINDS], [w for _, w in KINDS])[0]
            title = _title(rng, issuer, rng.choice(titles), kind)
            month, day = rng.randint(1, 12), rng.randint(1, 28)
            lines += [f"# {issuer}文件", "", doc_number, "", f"### {title}", "", rng.choice(ADDRESSEES), ""]
            lines += [p for line in _body(rng, paragraphs, kept) for p in (line, "")]
            lines += [f"{issuer} {year}年{month}月{day}日", ""]
            kept.append((title, doc_number))
            made += 1
        (out / f"{written:07d}.txt").write_text("\n".join(lines), encoding="utf-8")
        written += 1
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path)
    parser.add_argument("--documents", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    files = generate(args.out, args.documents, args.seed)
    print(f"{args.documents} documents in {files} issues under {args.out}")


if __name__ == "__main__":
    main()
