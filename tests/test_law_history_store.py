"""A law's history (its note's dated events) and the 施行日期 of a promulgated text are stored and
read back as parsed, on both engines."""

from __future__ import annotations

from gongbao.pipeline import read_issue
from gongbao.serialize import document_to_dict
from gongbao.store import Store

ANNOUNCED = """某某市人民代表大会常务委员会
公　　告
（第5号）
《某某市湿地保护条例》已由某某市第九届人民代表大会常务委员会第八次会议于2021年6月30日修订通过，现予公布，自2021年10月1日起施行。
某某市人民代表大会常务委员会
2021年7月5日
某某市湿地保护条例
（2012年3月1日某某市第七届人民代表大会常务委员会第五次会议通过　2021年6月30日某某市第九届人民代表大会常务委员会第八次会议修订）
第一条 为了保护湿地，制定本条例。
"""


def test_history_and_effective_date_round_trip(db_target):
    issue = read_issue(ANNOUNCED)
    parsed = document_to_dict(issue.documents[0])
    with Store.open(db_target) as store:
        (doc_id,) = store.ingest_issue(issue).document_ids
        stored = store.get_document(doc_id)
    assert stored["embedded"] == parsed["embedded"]
    assert stored["embedded"][0]["history"] == [{"date": "2012-03-01", "event": "通过"},
                                                {"date": "2021-06-30", "event": "修订"}]
    assert stored["embedded"][0]["effective"] == "2021-10-01"
    assert stored["history"] == parsed["history"] == []
