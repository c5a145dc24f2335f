"""Question understanding for 政策问答, without any network service.

A question asked in plain Chinese (粮食重金属超标了怎么办) becomes a ``Question``: what it
asks for (an amount, a time, a responsible unit, or anything), and the weighted terms to
look for — its own words with the question frame stripped, the thesaurus words it contains,
and their related words at a lower weight.  The same module says whether a piece of text
carries what was asked for and picks the sentence of a passage that answers.

Public: ``understand(text, thesaurus)``, ``carries(intent, text)``, ``best_sentence(question, text)``.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from gongbao import keptre
from gongbao.models import Question
from gongbao.search import querycut, typo
from gongbao.search.place import is_known_place
from gongbao.search.thesaurus import Thesaurus, common_words
from gongbao.search.tokenize import STOPWORDS, normalize, query_words

# A text named by its 文种 or 文号, and whether it still holds, asked in everyday words.
_TEXT_KIND = r"(?:法|法典|条例|条列|办法|规定|细则|通知|意见|决定|解释|文件|号|方案|要点|政策)"
_STILL = r"(?:还|仍|现在|目前|如今|是不是|是否|已经)"
_HOLDS = r"(?:有效|管用|作数|算数|废|失效|作废|执行|生效|能用|在用|用得到|能引用)"
_HOLDS_ASKED = r"(?:有效|管用|作数|算数|生效)(?:不|吗|没|哇|嘛|吧|的吧)"

# What a question asks for, recognised from its wording; the first pattern that matches wins
# (time before amount: 多少天 asks for a time, 多少 for an amount).
INTENTS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("validity", keptre.compile(r"还有效|有效吗|是否有效|还有没有效|有效没|(?:失效|废止|作废|废除|过期)(?:了吗|吗|没有?|了没有?)"
                            r"|还(?:管用|算数|在执行|执行|能用|在用|适用|生效)|现行有效吗|生效没|是不是有效"
                            # a text named, then asked whether it still holds (条例现在还作数不, 办法是不是已经
                            # 废了, 要点今年还照到执行不, 这个条例有效哇): the 文种 or 文号 must come first, so
                            # that 合同有效的条件 or 法律适用于谁 stay what they ask
                            rf"|{_TEXT_KIND}[^。？?！!]{{0,12}}?(?:{_STILL}[^，,。？?！!]{{0,4}}?{_HOLDS}|{_HOLDS_ASKED})"
                            # whether one still goes by a named text (那时候还是按…办法来吗)
                            rf"|(?:还是|还|仍)(?:按|照|依)[^。？?！!]{{0,30}}?{_TEXT_KIND}(?:来|办|执行)(?:吗|不|没|嘛)")),
    ("definition", keptre.compile(r"什么是|是什么意思|什么意思|是指什么|指什么|指的是|是什么|算不算|什么样的|含义|定义")),
    ("time", keptre.compile(r"什么时候|何时|多久|多少个?(?:小时|钟头|月|周|星期)|几个?(?:小时|钟头|星期|周)|多长时间|多少天|多少个?工作日|多少日|几天|几日|几个?月|多少年|几年|哪天|哪一天|哪一年|什么日期|截止|期限|有效期|开始施行|施行日期")),
    ("amount", keptre.compile(r"多少|几[个项名家次倍成岁]|几|多大|多高|多重|多远|比例|额度|标准是|金额|怎么计算|如何计算|怎么算|计算方法")),
    ("unit", keptre.compile(r"谁|哪个部门|哪些部门|哪个单位|哪些单位|哪个机构|哪家|哪里|哪儿|哪边|设在哪|归哪|牵头|主管|找哪")),
    ("materials", keptre.compile(r"什么材料|哪些材料|什么资料|哪些资料|带什么|准备什么|提交什么|什么证件|什么手续")),
    ("penalty", keptre.compile(r"罚款|罚多少|怎么罚|如何处罚|怎么处罚|什么处罚|坐牢|判刑|判几年|拘留|吊销|法律责任|犯法|违法吗")),
    ("list", keptre.compile(r"哪些|什么条件|哪几|有什么|包括什么|哪类|范围")),
    ("action", keptre.compile(r"怎么办|咋办|如何处理|怎么处理|怎么处置|如何处置|怎么做|该怎么|如何办理|怎么申请|如何申请|怎么|如何|流程|程序")),
    ("condition", keptre.compile(r"能不能|可不可以|能否|可否|是否|要不要|需不需要|会不会|有没有|行不行|吗$|吗[，。？?！!]")),
)

# A sanction named in the asking part (罚多少, 判几年, 坐多少年牢, 会不会关起, 驾照会不会遭扣): whatever
# else is asked (an amount, a period, yes or no), the clause that answers is a penalty clause.
SANCTION = keptre.compile(r"罚|判(?!决|断|定)|坐.{0,4}牢|关起|拘留|吊销|扣分|记分|扣.{0,3}(?:驾照|驾驶证)|犯法|犯罪|违法|处分|法律责任")

# What a passage must carry to answer each kind of question.
_NUM = r"(?:\d+(?:\.\d+)?|[一二两三四五六七八九十百千万]+)"
_TIME_STATED = (rf"\d{{4}}\s*年|{_NUM}\s*(?:个)?(?:工作日|日|天|小时|分钟|个月|月|年|周)(?:内|以内|前|后|以上)?|之日起|起施行"
                r"|起执行|底前|年底|全年|常年|每个?(?:年|季度|半年|月|周|星期|日|天)|定期")  # how often: 每年召开一次
EVIDENCE: dict[str, re.Pattern[str]] = {
    "amount": keptre.compile(
        rf"{_NUM}\s*(?:万元|亿元|元|%|％|‰|倍|万|亿|家|名|人|个|公里|平方米|平方公里|项|次|户|张|年|分|周岁|岁)|百分之"
        rf"|{_NUM}\s*[:：比]\s*{_NUM}|每满"
    ),
    "time": keptre.compile(rf"{_TIME_STATED}|期间|时间"),
    # a period, a date or how often stated: what answers a question asking for a time (期间, 时间
    # name one without stating it)
    "time_stated": keptre.compile(_TIME_STATED),
    "unit": keptre.compile(
        r"(?:由|设在|牵头|负责|主管)[^，。；]{0,24}?(?:局|委|办|中心|政府|部门|机关|机构|单位|公司|银行|小组)"
        r"|(?:局|委|办|中心|政府|部门|机关|机构)[^，。；]{0,6}?(?:负责|牵头|主管)|自行承担|承担|负担|出资|负责人|领导下"
    ),
    "definition": keptre.compile(r"是指|指的是|系指|所称|，指|含义|范围|包括"),
    "definition_only": keptre.compile(r"是指|系指|所称"),
    "list": keptre.compile(r"包括|下列|以下|如下|之一|[^、，。]{1,12}、[^、，。]{1,12}、"),
    "action": keptre.compile(r"应当|应|须|必须|立即|处置|处理|召回|采取|申请|可以向|可向|责令|报告"),
    "materials": keptre.compile(r"材料|提交|提供|证明|申请书|身份证|复印件|下列|文件"),
    "penalty": keptre.compile(r"罚款|罚金|拘役|有期徒刑|无期徒刑|死刑|拘留|吊销|没收|警告|记分|追究刑事责任|处分|责令"),
    "condition": keptre.compile(r"应当|不得|可以|禁止|有权|必须|不予|符合|条件|除外|无需|不需要"),
    "validity": keptre.compile(r"废止|失效|有效期|施行|执行"),
    "money": keptre.compile(rf"{_NUM}\s*(?:元|万元|亿元)|%|％|‰|百分之|{_NUM}\s*倍"),
}
# A question asking for a sum of money or a rate (多少钱, 床位费多少, 百分之几): only a clause stating
# one answers it (an amount asked for in general — 多少天, 多少岁 — is not held to this).
MONEY_ASKED = keptre.compile(r"多少钱|几块钱|多少元|百分之几|(?:费|价|租金|补贴|补助|利率|工资|罚款|罚)[^，,。？?]{0,6}?多少"
                             r"(?!天|年|个?月|岁|个?小时|次|家|人|分)|多少(?:费|补贴|补助)")

# Phrases that only frame a question: cut out of the text before its words are taken.
FRAME_PHRASES = keptre.compile(
    r"什么时候|何时|多久|多长时间|多少天|多少个?工作日|多少钱|多少|几天|几个?月|几年|哪个部门|哪些部门|哪个单位|哪些单位"
    r"|哪个机构|哪家|哪里|哪儿|怎么办|怎么样|怎么|如何|是否|有没有|能不能|可不可以|会不会|要不要|需不需要|吗|呢"
    r"|什么是|是什么意思|什么意思|是什么|指什么|什么样的|怎么算|算不算|哪些|有什么|几岁|多大年龄|干什么|做什么|干嘛|用来"
)
# Frame words of questions that the search tokeniser's stop list does not already drop.
FRAME = frozenset(
    """
    会不会 能不能 可不可以 要不要 需不需要 还能 还可以 能 会 要 想 该 算 一定 到底 意思 什么样 怎样才能
    多久 多长时间 多大 多高 几天 几年 几个 一个 一张 每 时候 么 啥 咋 咋办 么办 得 过 着 啦 哦
    开始 现在 目前 已经 如果 的话 那么 比较 最 更 就是 叫 做 干 去 来 拿 用 搞 办 得到 可 能够 需
    不会 不能 才能 才 后 前 时 拿到 了解 知道 告诉 有关 这个 那个 哪 多 东西 事 事情 样 什么样 情形
    一直 总是 经常 马上 曾经 还是 究竟 真的 非常 特别 很 太 随便 随意 别人 人家 自己
    以后 之后 以前 之前 后来 结果 然后 但是 可是 不过 因为 所以 而且 或者 还有 这些 那些 这种 那种
    出 上 下 等 想去 想要 打算 准备 一般 大概 左右 差不多 是不是 对不对 合法 算数 行 能要 可以 不
    """.split()
)
# Values a citizen tells about themself (15岁, 两年半, 十个, 六天): narrative, not what the
# answering clause is about.
_VALUE = keptre.compile(rf"^{_NUM}[个岁年月天日号次点元块万千百多半]*[个岁年月天日号次点元块万千百多半]$|^\d+$|^{_NUM}$")
# Dialect yes/no questions end in 不 (招他不, 算数不): asked as 吗.
_TAG_NOT = keptre.compile(r"(?<=[\u4e00-\u9fff])不(?=[，,。？?！!]|$)")
_CLAUSES = keptre.compile(r"[，,。；;！!？?\n]+")
CONTEXT_WEIGHT = 0.5  # coverage weight of a word told only in the narrative before the question
_SENTENCE = keptre.compile(r"[^。；！？!?\n]+[。；！？!?]?")

EXPANSION_WEIGHT = 0.5  # a related word from the thesaurus counts half a word of the question
PIECE_WEIGHT = 0.6  # a part of a long question word (低保户 → 低保) counts a little more
SINGLE_WEIGHT = 0.4  # a one-character question word
NAME_TAGS = frozenset({"ns", "nz", "nr"})  # jieba's tags of places, other names, persons


def question_intent(text: str) -> str | None:
    """What the question asks for: a validity question is one whatever else it asks; else the
    wording that comes last (the asking part of 申报…有效期内的…要有多少家 is 多少家, an amount), the
    table's order between equals; a yes/no condition only when nothing more precise is asked."""
    best, best_end = None, -1
    for intent, pattern in INTENTS:
        ends = [m.end() for m in pattern.finditer(text)]
        if not ends:
            continue
        if intent == "validity":
            return intent
        if intent == "condition" and best is not None:
            break
        if max(ends) > best_end:
            best, best_end = intent, max(ends)
    return best


def _content_words(text: str) -> list[str]:
    words = []
    for word in query_words(text):
        if word in FRAME or word in STOPWORDS or word in words:
            continue
        words.append(word)
    return words


def understand(text: str, thesaurus: Thesaurus, corpus_frequency: Callable[[str], int] | None = None) -> Question:
    """Strip the question's frame, mend its typing slips (given the corpus's word frequencies,
    ``search.typo``), find what it asks for, and expand its words."""
    text = _TAG_NOT.sub("吗", thesaurus.rewrite(normalize(text).strip()))
    if corpus_frequency is not None:
        text, _ = typo.repair(text, corpus_frequency, keep=lambda word: word in thesaurus.related)
    question = Question(text=text, intent=question_intent(text), core=[])
    # Thesaurus words found in the question count as whole words even where jieba cuts them
    # apart (贷款逾期 → 贷款 / 逾期), and a word jieba found inside one of them is not repeated.
    content = FRAME_PHRASES.sub(" ", text)
    # (single characters only where jieba cut them out as words: 罚 inside 惩罚性 is not one)
    known = [w for w in thesaurus.words_in(content) if len(w) > 1 and w not in FRAME and w not in STOPWORDS]
    words = known + [w for w in _content_words(content) if not _covered(w, known)]
    words = [w for w in words if not _VALUE.match(w)]
    question.core = words
    question.focus = _focus(text, words)
    question.sanction = bool(SANCTION.search(_asking(text)))
    question.names = _names(words)
    for word in words:
        # a single character (钱, 赔, 出) matches inside many unrelated words: it counts little
        question.terms[word] = 1.0 if len(word) > 1 else SINGLE_WEIGHT
        question.groups[word] = {word}
    for word in words:
        if len(word) >= 3:
            for piece in querycut.cut_for_search(word):
                if len(piece) >= 2 and piece != word and piece not in STOPWORDS:
                    _add(question, piece, PIECE_WEIGHT, word)
                    for related in thesaurus.expand(piece):
                        _add(question, related, PIECE_WEIGHT * EXPANSION_WEIGHT, word)
        for related in thesaurus.expand(word):
            _add(question, related, EXPANSION_WEIGHT, word)
    return question


def _names(words: list[str]) -> list[str]:
    """The words that name a thing — a country, a company, a brand, a place the jurisdiction
    data does not know (韩国, 欧盟, 腾讯, 华为, 仙女山) — by their tag in jieba's dictionary (a
    person's name only when it is no everyday word: 华为, 雅思, not 老汉): a text that never
    names it does not answer the question."""
    tags = querycut.tags_of([w for w in words if len(w) > 1], NAME_TAGS)
    return [w for w in words if w in tags and (tags[w] != "nr" or w not in common_words()) and not is_known_place(w)]


def _focus(text: str, words: list[str]) -> dict[str, float]:
    """How much each word weighs in coverage: fully in the clause that asks (the last one with
    a question frame, else the last), less in the story told before it (我之前在…上班，…)."""
    clauses = [c for c in _CLAUSES.split(text) if c.strip()]
    if len(clauses) < 2:
        return {w: 1.0 for w in words}
    asking = _asking(text)
    return {w: 1.0 if w in asking else CONTEXT_WEIGHT for w in words}


def _asking(text: str) -> str:
    """The clause that asks: the last one with a question frame, else the last."""
    clauses = [c for c in _CLAUSES.split(text) if c.strip()] or [text]
    return next((c for c in reversed(clauses) if FRAME_PHRASES.search(c) or question_intent(c)), clauses[-1])


def _covered(word: str, known: list[str]) -> bool:
    """Whether ``word`` is inside a thesaurus word found, or made of such words and at most one
    character more (家政公司, 低保户)."""
    rest = word
    for k in known:
        if word in k:
            return True
        rest = rest.replace(k, "")
    return len(rest) <= 1 and rest != word


def _add(question: Question, term: str, weight: float, source: str) -> None:
    if term in question.core:
        return
    question.terms[term] = max(question.terms.get(term, 0.0), weight)
    question.groups.setdefault(term, set()).add(source)


def carries(intent: str | None, text: str) -> bool:
    """Whether ``text`` holds the kind of thing the question asks for (always, for no intent)."""
    return intent is None or bool(EVIDENCE[intent].search(normalize(text)))


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.findall(text) if s.strip()]


def sentence_score(question: Question, sentence: str) -> float:
    flat = normalize(sentence)
    covered: dict[str, float] = {}
    for term, weight in question.terms.items():
        if term in flat:
            for source in question.groups.get(term, {term}):
                covered[source] = max(covered.get(source, 0.0), weight)
    score = sum(covered.values())
    if question.intent and carries(question.intent, sentence):
        score += 0.75
    elif carries("amount", sentence) or carries("time", sentence):
        score += 0.1  # between equals, the sentence that states a figure or a date
    return score


def best_sentence(question: Question, text: str) -> str:
    """The sentence of ``text`` that best answers: most question words, then what was asked for."""
    best, best_score = "", 0.0
    for sentence in sentences(text):
        score = sentence_score(question, sentence)
        if score > best_score:
            best, best_score = sentence, score
    return best
