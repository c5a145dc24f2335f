"""The TOC-guided pass: what the printed table of contents tells about the body.

Documents printed with neither banner nor 文号 (政策解读, 人大 decisions) are found by the title
the TOC lists; the TOC's section labels printed in the body (区政府办公室文件) are not red headers.
"""

from __future__ import annotations

from gongbao.models import Line, Listed, Segment, TocEntry
from gongbao.parse.heads import number_under
from gongbao.parse.matter import article_kind
from gongbao.parse.patterns import NEWS_SECTION, title_key


def find_listed(lines: list[Line], segments: list[Segment], entries: list[TocEntry]) -> Listed:
    """Body lines that carry a title the TOC lists but no head has, and section labels.
    Entries of news sections (政务要闻, 政务信息…) name news items, not documents."""
    heads = [seg.head for seg in segments if seg.head]
    named = {title_key("".join(lines[i].text for i in h.title)) for h in heads}
    named |= {title_key("".join(lines[i].text for i in [*h.issuer_lines, *h.title])) for h in heads}
    in_heads = {i for h in heads for i in range(h.start, h.end)}
    # a banner with its 文号 right under it is a red header, whatever the TOC calls its section
    red_headers = {h.banner for h in heads if h.banner is not None and h.number is not None and number_under(lines, h.banner)}
    documents = [e for e in entries if e.source == "toc" and not (e.section and NEWS_SECTION.search(e.section))]
    wanted = {title_key(e.title) for e in documents} - named
    sections = {title_key(e.section) for e in entries if e.section and e.source == "toc"}
    longest = 2 * max((len(e.title) for e in entries), default=0) + 10
    listed = Listed()
    for seg in segments:
        if seg.kind not in ("document", "other", "editorial"):
            continue
        # only lines short enough to be (part of) a title or a label are compared
        indices = [i for i in seg.indices if not lines[i].noise and len(lines[i].text) <= longest]
        for k, i in enumerate(indices):
            one = title_key(lines[i].text)
            if one in sections and len(one) <= 20 and article_kind(lines[i].text) != "toc":  # 目录 labels nothing
                if i not in red_headers:
                    listed.labels.add(i)  # a banner-like label above a title: the next pass decides
            elif i in in_heads:
                continue
            elif one in wanted:
                listed.titles[i] = i + 1
            elif k + 1 < len(indices) and one + title_key(lines[indices[k + 1]].text) in wanted:
                listed.titles[i] = indices[k + 1] + 1
    return listed

