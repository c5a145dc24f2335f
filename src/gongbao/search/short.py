"""Short answers: the few words of a clause that answer an amount, period, deadline, yes/no,
materials or penalty question ("最长不得超过六个月"), shown above the clause, never alone.

Public: ``short_answer(intent, sentence)``.
"""

from __future__ import annotations

import re

from gongbao.search.question import EVIDENCE

# the kinds of question a clause can answer in a few words
SHORT_INTENTS = frozenset({"amount", "time", "condition", "materials", "penalty"})
MAX_SHORT = 60  # characters; a longer piece is no short answer
_PIECES = re.compile(r"[^，,；;。：:]+")


def short_answer(intent: str | None, sentence: str) -> str | None:
    """The piece of ``sentence`` (between commas) that holds what was asked for, or None."""
    if intent not in SHORT_INTENTS or not sentence:
        return None
    pattern = EVIDENCE[intent]
    pieces = [p.strip() for p in _PIECES.findall(sentence) if p.strip()]
    for i, piece in enumerate(pieces):
        if pattern.search(piece):
            # a bare figure (六个月) reads better with what it qualifies, in the piece before
            if len(piece) < 8 and i > 0 and len(pieces[i - 1]) + len(piece) < MAX_SHORT:
                piece = pieces[i - 1] + "，" + piece
            return piece if len(piece) <= MAX_SHORT else None
    return None
