"""Cut the normalised lines of an issue into official documents and other parts.

A document starts at its head (``heads``) and runs until the next head or the next
non-document part (``matter``: 政务要闻, 文件检索, masthead fields…).  Text around the documents
is classified into articles, and pieces printed elsewhere (下转 / 上接) are moved back to the
document they belong to (``stitch``).  The TOC-guided second pass is ``listed.find_listed``.
"""

from __future__ import annotations

from gongbao.models import Head, Line, Listed, Normalized, Segment
from gongbao.parse.heads import find_heads
from gongbao.parse.matter import article_starts, classify_matter
from gongbao.parse.stitch import stitch


def segment_lines(
    norm: Normalized, listed: Listed | None = None, known: dict[int, Head | None] | None = None
) -> list[Segment]:
    """Documents and articles of an issue, in reading order, with continuations stitched.

    ``listed`` is what the printed TOC tells (``find_listed``): titles of documents that have
    neither banner nor 文号, and the TOC's section labels where the body prints them.
    ``known``: the heads a first pass read line by line (``find_heads``), so that the pass with
    ``listed`` reads again only the lines the TOC speaks of.
    """
    lines = norm.lines
    listed = listed or Listed()
    heads = find_heads(lines, listed, known)
    stops = article_starts(lines, heads)
    stops.update({i: "other" for i in listed.labels if i not in stops and all(i != h.start for h in heads)})
    segments: list[Segment] = []
    boundaries = sorted({h.start for h in heads} | set(stops) | {len(lines)})
    head_at = {h.start: h for h in heads}
    front_end = boundaries[0] if boundaries else len(lines)
    if front_end > 0:
        segments.extend(classify_matter(lines, 0, front_end))
    for a, b in zip(boundaries, boundaries[1:]):
        if a in head_at:
            segments.append(Segment("document", [(a, b)], head_at[a]))
        else:
            segments.extend(classify_matter(lines, a, b, kind=stops[a]))
    stitch(segments, norm.continuations)
    return _merge_adjacent_articles(segments)


def furthest_line(lines: list[Line], a: int, b: int) -> int:
    """The last source line a range of normalised lines covers (a joined paragraph may reach
    past the furniture lines printed after it)."""
    return max(ln.last for ln in lines[a:b])


def _merge_adjacent_articles(segments: list[Segment]) -> list[Segment]:
    """A part whose heading is repeated on every page (政务要闻) is still one part."""
    out: list[Segment] = []
    for seg in segments:
        prev = out[-1] if out else None
        if prev and seg.kind == prev.kind and seg.kind != "document" and prev.ranges[-1][1] == seg.ranges[0][0]:
            prev.ranges[-1] = (prev.ranges[-1][0], seg.ranges[-1][1])
            continue
        out.append(seg)
    return out

