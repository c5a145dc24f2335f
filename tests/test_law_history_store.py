"""A law's history (its note's dated events) and the 施行日期 of a promulgated text are stored and
read back as parsed, on both engines."""

from __future__ import annotations

from test_genre_rules2 import PROMULGATED_WITH_NOTE

from gongbao.pipeline import read_issue
from gongbao.serialize import plain
from gongbao.serialize import document_to_dict
from gongbao.store import open_store


def test_history_and_effective_date_round_trip(db_target):
    issue = read_issue(PROMULGATED_WITH_NOTE)
    parsed = document_to_dict(issue.documents[0])
    with open_store(db_target) as store:
        (doc_id,) = store.ingest_issue(issue).document_ids
        stored = plain(store.get_document(doc_id))
    assert stored["embedded"] == parsed["embedded"]
    assert stored["embedded"][0]["history"] == [{"date": "2012-03-01", "event": "通过"},
                                                {"date": "2016-08-02", "event": "修正"},
                                                {"date": "2021-06-30", "event": "修订"}]
    assert stored["embedded"][0]["effective"] == "2021-10-01"
    assert stored["history"] == parsed["history"] == []
