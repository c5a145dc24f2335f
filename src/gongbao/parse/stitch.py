"""下转 / 上接: pieces of a document printed elsewhere in the issue go back to it."""

from __future__ import annotations

from gongbao.models import Segment


def stitch(segments: list[Segment], pairs: list[tuple[int, int]]) -> None:
    """Move each piece that starts at a 上接 line to the document its 下转 line is in."""
    for down, up in pairs:
        source = _segment_of(segments, down)
        target = _segment_of(segments, up)
        if source is None or target is None or source is target or source.kind != "document":
            continue
        for r, (a, b) in enumerate(target.ranges):
            if a <= up < b:
                source.ranges.append((up, b))
                if up > a:
                    target.ranges[r] = (a, up)
                else:
                    target.ranges.pop(r)
                break


def _segment_of(segments: list[Segment], index: int) -> Segment | None:
    for seg in segments:
        if any(a <= index < b for a, b in seg.ranges):
            return seg
    return None

