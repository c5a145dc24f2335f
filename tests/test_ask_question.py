"""Question understanding, the thesaurus, answer sentences and interpretation titles (no database)."""

from __future__ import annotations

import pytest

from gongbao.errors import InputError
from gongbao.search.interpret import interpretation_target
from gongbao.search.question import best_sentence, carries, question_intent, understand
from gongbao.search.thesaurus import load_thesaurus


@pytest.fixture(scope="module")
def thesaurus():
    return load_thesaurus([])


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        ("企业贷款逾期后银行能拿到多少补偿", "amount"),
        ("核查认定要多久才能完成", "time"),
        ("整治什么时候开始", "time"),
        ("质量工作联席会议办公室设在哪个部门", "unit"),
        ("这项工作由谁负责", "unit"),
        ("什么是超标粮食", "definition"),
        ("申报市级高新区要具备哪些条件", "list"),
        ("粮食重金属超标了怎么办", "action"),
        ("考上大学有补助吗", "condition"),
        ("酒驾一次要扣多少分", "amount"),
        ("喝酒开车会被拘留吗", "penalty"),
        ("申请低保需要什么材料", "materials"),
        ("渝府发〔2014〕3号现在还有效吗", "validity"),
        ("互联网药品信息服务管理办法现在还能用不", "validity"),
        ("合同法废止了没", "validity"),
        # a text named by its 文种 or 文号, then asked in everyday words whether it still holds
        ("测试条例现在还作数不", "validity"),
        ("那个管理办法是不是已经废了哦", "validity"),
        ("这个规定有效哇", "validity"),
        ("去年那个工作方案今年还照到执行不", "validity"),
        ("渝府发〔2014〕3号写文书还能引用不", "validity"),
        ("那时候单位审计还是按市政府令的审计办法来吗", "validity"),
        ("辞退员工还按劳动合同法办不", "validity"),
        # … but not a clause's own words about validity or scope
        ("合同法规定的合同有效的条件是什么", "definition"),
        ("劳动法适用于哪些人", "list"),
        ("今天天气", None),
        # the asking part comes last: a figure asked about a period of validity, a list of materials
        ("园区里有效期内的企业要有多少家", "amount"),
        ("怎么申请，要交哪些材料", "materials"),
        ("这个办法的有效期是几年", "time"),
        # a count of hours or weeks asks for a period, not an amount
        ("一个月加班最多不能超过多少个钟头", "time"),
        ("每周最多上几个小时的班", "time"),
    ],
)
def test_intent(question, intent):
    assert question_intent(question) == intent


@pytest.mark.parametrize(
    ("question", "sanction"),
    [
        ("开赌场抓到要坐多少年牢", True),
        ("在火锅店里抽烟被逮到罚多少", True),
        ("无证驾驶会不会关起", True),
        ("故意杀人一般判几年", True),
        # a sanction told in the story, not asked about: the clause that answers is not a penalty
        ("对区里的行政处罚不服，要在多少天之内申请行政复议", False),
        ("判决都生效了，还能申请再审吗", False),
        ("试用期最长几个月", False),
    ],
)
def test_sanction_named_in_the_asking_part(thesaurus, question, sanction):
    assert understand(question, thesaurus).sanction is sanction


def test_frame_is_stripped(thesaurus):
    q = understand("粮食重金属超标了怎么办", thesaurus)
    assert set(q.core) == {"粮食", "重金属", "超标"}
    for frame in ("怎么办", "了", "吗", "呢", "怎么"):
        assert frame not in q.terms


def test_frame_of_many_shapes_is_stripped(thesaurus):
    q = understand("请问家政企业有没有税收优惠呢？", thesaurus)
    assert "有没有" not in q.terms and "请问" not in q.terms and "呢" not in q.terms
    assert "优惠" in q.core and "家政" in q.core


def test_thesaurus_word_kept_whole_and_expanded(thesaurus):
    q = understand("公司解除劳动合同要给补偿金吗", thesaurus)
    assert "解除劳动合同" in q.core  # not cut into 解除 / 劳动合同 as two question words
    assert q.terms["辞退"] < 1.0 and q.terms["经济补偿"] < 1.0  # related, at a lower weight
    assert "解除劳动合同" in q.groups["辞退"]


def test_expansion_goes_both_ways(thesaurus):
    assert "补贴" in understand("考上大学有补助吗", thesaurus).terms
    assert "补助" in understand("有什么补贴", thesaurus).terms
    assert "有期徒刑" in understand("偷东西要坐牢吗", thesaurus).terms


def test_every_shipped_group_names_its_source():
    import yaml
    from importlib import resources

    for name in ("thesaurus.yaml", "thesaurus_mined.yaml"):
        path = resources.files("gongbao") / "data" / name
        if not path.is_file():
            continue
        groups = yaml.safe_load(path.read_text(encoding="utf-8"))["groups"]
        assert groups and all(g["source"] in ("dialect", "colloquial", "structure", "glossary", "abbreviation", "definition")
                              for g in groups)


def test_dialect_is_read_as_standard_chinese(thesaurus):
    q = understand("驾照有效期是好多年", thesaurus)
    assert q.intent == "time" and "好多年" not in q.core
    q = understand("屋头娃儿15岁了想去餐馆打暑假工，老板可以招他不", thesaurus)
    assert q.intent == "condition" and "15" not in q.core and "不" not in q.core  # 招他不 = 招他吗
    assert "未成年人" in q.terms  # 娃儿 ↔ 未成年人
    assert q.focus["餐馆"] < q.focus["老板"]  # the story before the question weighs less


def test_cilin_fallback_for_words_no_group_knows(thesaurus):
    assert "解雇" in thesaurus.expand("辞退")  # a shipped group
    assert "喂奶" in thesaurus.expand("哺乳")
    assert thesaurus.expand("服刑")  # 词林: 入狱, 坐牢 …


def test_compound_of_thesaurus_words_not_repeated(thesaurus):
    q = understand("物业公司收费标准", thesaurus)
    assert "物业公司" not in q.core
    assert {"物业", "公司"} <= set(q.core)


def test_user_thesaurus_adds_groups(tmp_path):
    extra = tmp_path / "mine.yaml"
    extra.write_text("groups:\n  - [电瓶车, 电动自行车, 非机动车]\n", encoding="utf-8")
    thesaurus = load_thesaurus([extra])
    assert "电动自行车" in understand("电瓶车要上牌吗", thesaurus).terms
    assert "补贴" in thesaurus.expand("补助")  # the shipped groups are still there


def test_thesaurus_from_environment(tmp_path, monkeypatch):
    extra = tmp_path / "env.yaml"
    extra.write_text("groups:\n  - [摩的, 载客摩托车]\n", encoding="utf-8")
    monkeypatch.setenv("GONGBAO_THESAURUS", str(extra))
    assert "载客摩托车" in load_thesaurus().expand("摩的")


def test_thesaurus_from_user_config(tmp_path, monkeypatch):
    (tmp_path / "gongbao").mkdir()
    (tmp_path / "gongbao" / "thesaurus.yaml").write_text("groups:\n  - [低保金, 最低生活保障金]\n", encoding="utf-8")
    monkeypatch.delenv("GONGBAO_THESAURUS", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    assert "最低生活保障金" in load_thesaurus().expand("低保金")
    assert load_thesaurus([]).expand("低保金") == set()  # an explicit empty list: shipped groups only


@pytest.mark.parametrize("content", ["groups: 3\n", "- [a, b]\n", "groups: [[a, b]\n"])
def test_bad_thesaurus_is_a_clear_error(tmp_path, content):
    bad = tmp_path / "bad.yaml"
    bad.write_text(content, encoding="utf-8")
    with pytest.raises(InputError):
        load_thesaurus([bad])


def test_missing_thesaurus_is_a_clear_error(tmp_path):
    with pytest.raises(InputError, match="cannot read"):
        load_thesaurus([tmp_path / "nope.yaml"])


@pytest.mark.parametrize(
    ("intent", "text", "expected"),
    [
        ("amount", "补偿比例为35%，其中市级承担20%", True),
        ("amount", "由风险补偿基金与银行按 5:5 的比例分担本金损失", True),
        ("amount", "加强组织领导，明确工作职责", False),
        ("time", "应在接受复核委托申请之日起 10 个工作日内完成复核", True),
        ("time", "本办法自2021年3月1日起施行", True),
        ("time", "建立健全工作机制", False),
        ("time", "国务院全体会议一般每个月召开一次", True),  # how often
        ("time", "民政部门应当定期核查最低生活保障家庭的人口状况", True),
        ("unit", "联席会议办公室设在区质监局", True),
        ("unit", "由市城乡建委负责，统筹协调全市改善农村人居环境工作", True),
        ("unit", "鼓励社会资本投资创办各类家庭服务业企业", False),
        (None, "任何文字", True),
    ],
)
def test_carries(intent, text, expected):
    assert carries(intent, text) is expected


def test_best_sentence_marks_the_answering_one(thesaurus):
    passage = (
        "对贷款损失进行风险补偿。对合作银行发放给符合条件的中小企业的贷款发生损失的，由风险补偿基金与银行按 5:5 的"
        "比例分担本金损失，具体与合作银行在合同中约定。补偿顺序为，首先由互保金进行补偿，互保金不足时，由风险补偿专项资金补偿。"
    )
    q = understand("企业贷款逾期后银行能拿到多少补偿", thesaurus)
    assert "5:5" in best_sentence(q, passage)


def test_best_sentence_prefers_what_was_asked(thesaurus):
    passage = "核查认定中心应当及时受理委托。核查认定工作应在接受委托之日起15个工作日内完成。核查认定中心出具报告。"
    q = understand("核查认定要多久才能完成", thesaurus)
    assert best_sentence(q, passage) == "核查认定工作应在接受委托之日起15个工作日内完成。"


def test_best_sentence_of_unrelated_text_is_empty(thesaurus):
    assert best_sentence(understand("考上大学有补助吗", thesaurus), "加强组织领导。落实工作责任。") == ""


@pytest.mark.parametrize(
    ("title", "target"),
    [
        ("关于《重庆市超标粮食处置管理办法（试行）》的政策解读", "重庆市超标粮食处置管理办法（试行）"),
        ("《重庆市内部审计工作办法》政策解读", "重庆市内部审计工作办法"),
        ("《武隆区金融专员制度实施方案》解读", "武隆区金融专员制度实施方案"),
        ("解读《重庆市重大传染病防控工作方案》", "重庆市重大传染病防控工作方案"),
        ("重庆市市级高新技术产业开发区认定和管理办法政策解读", "重庆市市级高新技术产业开发区认定和管理办法"),
        ("关于 《重庆市内部审计工作办法》 的 政策解读", "重庆市内部审计工作办法"),
        ("重庆市武隆区人民政府办公室关于做好行政机关政策解读工作的通知", None),
        ("重庆市人民政府关于化解产能过剩矛盾的实施意见", None),
        ("关于印发《重庆市重大传染病防控工作方案》的通知", None),
    ],
)
def test_interpretation_target(title, target):
    assert interpretation_target(title) == target


# --- place, short answers, labels (pure) -------------------------------------------------------


def test_jurisdiction_is_read_from_title_and_issuers():
    from gongbao.search.place import NATIONAL, OTHER, jurisdiction_of, place_factor, region_named

    assert jurisdiction_of("菏泽市文明行为促进条例") == "山东"
    assert jurisdiction_of("中华人民共和国劳动法") == NATIONAL
    assert jurisdiction_of("烈士褒扬条例") == NATIONAL  # names no place: national
    assert jurisdiction_of("关于印发养老服务方案的通知", ["重庆市武隆区人民政府办公室"]) == "重庆"
    assert jurisdiction_of("大理白族自治州水资源保护条例") == OTHER
    assert region_named("我在成都上班") == "四川" and region_named("试用期多久") is None
    assert place_factor("山东", "重庆") < place_factor(NATIONAL, "重庆") == place_factor("重庆", "重庆") == 1.0
    assert place_factor("山东", None) == 1.0


def test_policy_texts_before_case_reports():
    from gongbao.search.ask import _genre_factor
    from gongbao.store.records import DocText

    def doc(title, type_=None):
        return DocText(pk=1, id="d", doc_number=None, title=title, issuers=[], date=None, type=type_, text="")

    policy = [doc("关于印发养老服务方案的通知", "通知"), doc("中华人民共和国民法典"),
              doc("最高人民法院关于适用《中华人民共和国民法典》婚姻家庭编的解释（一）"),
              doc("交通警察道路执勤执法工作规范")]
    assert all(_genre_factor(d) == 1.0 for d in policy)
    others = [doc("劳动仲裁和劳动诉讼的攻略"), doc("用人单位与劳动者约定实行包薪制，是否需要依法支付加班费"),
              doc("某公司诉某区规划和自然资源局行政决定案")]
    assert all(_genre_factor(d) < 1.0 for d in others)
    amending = [doc("中华人民共和国刑法修正案（十一）"),
                doc("最高人民法院关于修改《最高人民法院关于审理民事案件适用诉讼时效制度若干问题的规定》等二十七件民事类司法解释的决定")]
    assert all(_genre_factor(d) < 1.0 for d in amending)  # answered from the amended text
    assert _genre_factor(doc("国务院关于修改和废止部分行政法规的决定的通知", "通知")) == 1.0


def test_validity_candidates_include_what_the_found_texts_repealed():
    from gongbao.models import Passage
    from gongbao.search.validity import _candidates, _of_year
    from gongbao.store.records import DocRef

    new = DocRef(pk=1, id="n", doc_number="渝府办发〔2021〕4号", title="关于印发高新区认定和管理办法（修订）的通知", date="2021-01-16")
    old = DocRef(pk=2, id="o", doc_number="渝府办发〔2017〕156号", title="高新区认定和管理办法（修订）", present=False)

    class Store:
        def related(self, pk, relation, incoming):
            return [old] if (pk, relation, incoming) == (1, "repeals", False) else []

    found = _candidates(Store(), [Passage(1, "art-1", "", "")], {1: new})
    assert set(found) == {1, 2}
    # 2017年那个办法: the repealed one (its 文号's year), not its successor; a text of no known year stays in
    assert _of_year(old, "2017") and not _of_year(new, "2017")
    assert _of_year(DocRef(pk=3, id="x", doc_number=None, title="某办法"), "2017")


def test_validity_names_skip_a_split_place_and_close_names_forgive_slips_and_shortenings():
    from gongbao.search.validity import _by_close_name, _names, _pick
    from gongbao.store.records import DocRef

    names = [name for name, _ in _names("重庆市特种设备安全监察条例还在用没得")]
    # the nation's 特种设备安全监察条例 is not what a Chongqing text's name asks about
    assert names[0] == "重庆市特种设备安全监察条例" and "特种设备安全监察条例" not in names
    assert "安全监察条例" in names  # a start inside the name is still tried (a short name)
    national = DocRef(pk=1, id="a", doc_number=None, title="中华人民共和国环境噪声污染防治法")
    newer = DocRef(pk=2, id="b", doc_number=None, title="中华人民共和国噪声污染防治法")
    smoke = DocRef(pk=3, id="c", doc_number=None, title="重庆市公共场所控制吸烟条例")
    docs = {ref.pk: ref for ref in (national, newer, smoke)}
    # a changed character (噪音 for 噪声): the title it fits over most of its length
    assert _by_close_name("环境噪音污染防治法还能用不", docs) == 1
    # a shortened name (控烟 for 控制吸烟), but not a name with characters the title lacks
    assert _by_close_name("重庆公共场所控烟条例现在还有效不", docs) == 3
    assert _by_close_name("重庆市公共场所控烟管理条例还有效不", {3: smoke}) is None
    assert _by_close_name("劳动合同法还有效吗", docs) is None
    # of two texts with one title, the one whose 令 number the question gives
    old = DocRef(pk=4, id="d", doc_number="重庆市人民政府令第10号", title="某办法", present=False)
    new = DocRef(pk=5, id="e", doc_number="重庆市人民政府令第340号", title="重庆市人民政府令", date="2021-01-16")
    assert _pick([new, old], "市政府令第10号那个某办法还作数不") is old
    assert _pick([new, old], "某办法还作数不") is new
    # of the year the question names: one dated then, else one of no known date, not one of another year
    assert _pick([old, new], "2021年新出的那个某办法还作数不") is new
    assert _pick([new, old], "2019年那个某办法还作数不") is old


def test_short_answer_is_the_piece_that_answers():
    from gongbao.search.short import short_answer

    assert short_answer("time", "劳动合同可以约定试用期。试用期最长不得超过六个月。") == "试用期最长不得超过六个月"
    assert short_answer("amount", "对见义勇为牺牲人员，一次性奖励人民币20万元，并按规定给予抚恤。") == "一次性奖励人民币20万元"
    assert short_answer("definition", "本办法所称超标粮食，是指……") is None  # no short answer asked for
    assert short_answer("amount", "应当加强领导。") is None


def test_labels_as_printed():
    from gongbao.search.labels import anchor_label, chain_label

    assert chain_label(["第二章", "第二十五条"]) == "第二十五条"
    assert chain_label(["第九条", "（一）"]) == "第九条（一）"
    assert chain_label(["二、", "（五）"]) == "二、（五）"
    outline = [{"anchor": "s-2", "number": "二、", "children": [{"anchor": "s-2.5", "number": "（五）", "children": []}]}]
    assert anchor_label("s-2.5", outline) == "二、（五）" and anchor_label("p-3", outline) == "第3段"
    assert anchor_label("s-9", outline) is None


def test_mined_abbreviations_and_definitions():
    from gongbao.search.mine import abbreviation, definition_groups
    from gongbao.search.place import strip_place

    assert abbreviation("人力资源和社会保障局") == "人社局" and abbreviation("卫生健康委员会") == "卫健委"
    assert abbreviation("发展和改革委员会") == "发改委" and abbreviation("公安局") is None
    assert abbreviation("内部布局") is None  # 布局 is no organ
    assert strip_place("重庆市武隆区人力资源和社会保障局") == "人力资源和社会保障局"
    assert definition_groups("本规定所称童工，是指未满十六周岁的未成年人。") == [["童工", "未成年人"]]
    assert definition_groups("本法所称劳动报酬，是指工资、奖金和津贴。") == [["劳动报酬", "工资", "奖金", "津贴"]]
    assert definition_groups("本办法所称经营，是指从事生产的行为。") == []  # too general a head
    assert definition_groups("本办法所称的经纪人，是指从事经纪活动的公司、合伙企业。") == [["经纪人", "公司", "合伙企业"]]


def test_a_defined_term_stands_for_its_heads_one_way():
    from gongbao.search.thesaurus import Thesaurus

    thesaurus = Thesaurus(fallback=False)
    thesaurus.add_group(["台湾同胞投资者", "公司", "其他经济组织"], "definition")
    thesaurus.add_group(["公司", "用人单位"], "colloquial")
    assert thesaurus.expand("台湾同胞投资者") == {"公司", "其他经济组织"}
    assert thesaurus.expand("公司") == {"用人单位"}  # a 公司 is no 台湾同胞投资者
    assert thesaurus.expand("其他经济组织") == set()  # … and the heads do not stand for one another
    assert thesaurus.words_in("台湾同胞投资者开公司") == ["公司"]  # mined terms expand, they do not cut


def test_mined_groups_expand_questions(thesaurus):
    assert "人力社保局" in thesaurus.expand("人社局")  # as the Chongqing texts name it


def test_two_characters_glued_outside_the_dictionary_weigh_little():
    from gongbao.models import Question
    from gongbao.search.ask import WEAK_WORD, CorpusStats, _core_idf

    stats = CorpusStats(n=1000, avg_len=100.0, df={"轻轨": 5})
    q = Question(text="", intent=None, core=["区养", "轻轨", "周和建", "腾讯"])
    full = stats.idf("区养")  # none of them is in the corpus but 轻轨
    assert _core_idf("区养", q, stats) == pytest.approx(full * WEAK_WORD)  # jieba's HMM glued 区 + 养
    assert _core_idf("周和建", q, stats) == full  # a name: what makes a question unanswerable
    assert _core_idf("腾讯", q, stats) == full  # in jieba's dictionary
    assert _core_idf("轻轨", q, stats) == stats.idf("轻轨")


def test_implementing_texts_rank_below_what_they_implement():
    from gongbao.search.ask import _implementing
    from gongbao.store.records import DocText

    titles = ["职工带薪年休假条例", "企业职工带薪年休假实施办法", "中华人民共和国消费者权益保护法",
              "北京市实施《中华人民共和国消费者权益保护法》办法", "中华人民共和国职业教育法", "国家职业教育改革实施方案",
              "重庆市物业管理条例实施细则"]
    docs = {i: DocText(pk=i, id=str(i), doc_number=None, title=t, issuers=[], date=None, type=None, text="")
            for i, t in enumerate(titles)}
    assert _implementing(docs) == {1, 3}  # a plan (实施方案) implements nothing; 细则 without its 条例 here
    del docs[0]
    assert _implementing(docs) == {3}  # the 条例 is not a candidate: its 实施办法 is the best there is


def test_another_regions_copy_of_an_own_or_national_rule_ranks_below_it():
    from gongbao.search.ask import _local_copies
    from gongbao.search.place import jurisdiction_of
    from gongbao.store.records import DocText

    titles = ["重庆市失业保险条例", "郑州市失业保险条例", "中华人民共和国未成年人保护法", "上海市未成年人保护条例",
              "上海市住房公积金管理若干规定", "山东省物业管理条例", "住房公积金管理条例"]
    docs = {i: DocText(pk=i, id=str(i), doc_number=None, title=t, issuers=[], date=None, type=None, text="")
            for i, t in enumerate(titles)}
    places = {pk: jurisdiction_of(d.title) for pk, d in docs.items()}
    # 山东's 物业管理条例 has no own or national counterpart among the candidates: it may answer
    assert _local_copies(docs, places, "重庆") == {1, 3, 4}
    assert _local_copies(docs, places, "山东") == {3, 4}  # 失业保险: no 山东 or national one among them
    docs[7] = DocText(pk=7, id="7", doc_number=None, title="山东省失业保险规定", issuers=[], date=None, type=None, text="")
    places[7] = jurisdiction_of(docs[7].title)
    assert _local_copies(docs, places, "山东") == {0, 1, 3, 4}  # now 重庆's and 郑州's are copies of it
    assert _local_copies(docs, places, None) == set()  # no jurisdiction, no copies


def test_an_earlier_version_of_a_candidate_law_weighs_as_repealed():
    from gongbao.search.ask import _older_versions
    from gongbao.store.records import DocText

    texts = [("烈士褒扬条例", "2019-03-02"), ("烈士褒扬条例", "2024-09-27"), ("中华人民共和国广告法", "2021-04-29"),
             ("中华人民共和国广告法", "2021-04-29"), ("中华人民共和国国务院令", "2010-01-01"),
             ("中华人民共和国国务院令", "2019-03-02"), ("重庆市失业保险条例", None)]
    docs = {i: DocText(pk=i, id=str(i), doc_number=None, title=t, issuers=[], date=d, type=None, text="")
            for i, (t, d) in enumerate(texts)}
    # the same date is one text held twice, not two versions; an order's title names no law
    assert _older_versions(docs, "2026-12-07") == {0}
    assert _older_versions(docs, "2020-01-01") == set()  # the 2024 version was not yet issued


def test_a_time_question_is_answered_by_a_clause_stating_a_period_not_naming_one(thesaurus):
    from gongbao.models import Passage
    from gongbao.search.ask import _states_asked

    q = understand("试用期最长几个月", thesaurus)
    assert q.intent == "time"
    assert _states_asked(q, Passage(1, "art-21", "", "试用期最长不得超过六个月。"))
    assert not _states_asked(q, Passage(1, "art-39", "", "在试用期间被证明不符合录用条件的，用人单位可以解除劳动合同。"))
    assert not _states_asked(q, Passage(1, "art-4", "", "用人单位应当依法建立和完善劳动规章制度，保障劳动者的工作时间。"))
