"""Sentence-level event assembly: from mentions in one text to its incidents.

The steps, each explainable:

1. fold the normalised text (offsets map back), split sentences and tokens;
2. find mentions: places (gazetteer), dates (date grammar), casualty figures,
   and vocabulary terms (agents, means, actors, bodies, cue words);
3. *anchors*: a place named as where a chemical attack happened (a locative
   place, near an attack cue, in a sentence that speaks of chemicals), or,
   in a sentence with no such place, a date tied to a chemical attack;
4. each anchor owns a *region* of its sentence (up to the next anchor) from
   which it takes its date, agents, means, casualties and actors;
5. anchors of the same place (or of a place and its same-named governorate,
   or a place and the place that locates it) and of compatible dates are one
   incident; sentences that mention the place later, and the sentences that
   follow an anchor, add facts and attributions;
6. the result is the contract's JSON, every value with the spans it came from.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

from bayyina.extract.sentences import Layout, Sentence, bisect_left
from bayyina.extract.vocab import Term, Vocabulary, default_vocabulary
from bayyina.text.normalize import MappedText, fold, fold_str

VERSION = "0.9.0"

KIND_RANK = {
    "neighbourhood": 0,
    "village": 1,
    "town": 2,
    "district": 3,
    "city": 3,
    "region": 5,
    "governorate": 6,
    "country": 7,
}
# the accused and their allies: the only bodies whose rejection is a denial
_DENIERS = frozenset({"russia", "syrian-government", "syrian-opposition"})
# the Syrian war's parties: "النظام" in Halabja and "insurgents" in Iraq are not they
_SYRIAN_PARTIES = ("syrian-government", "syrian-opposition")
_BODY_PRIORITY = ["opcw-un-jim", "opcw-iit", "opcw-ffm", "un-sg", "un-coi", "opcw"]
# a conjunction between two places: a token starting with و ("و", "وفي", "ومدينة"), "and", a comma
_COORD = re.compile(r"(?<!\w)و|(?<!\w)ثم(?!\w)|(?<![a-z])(?:and|as well as|then)(?![a-z])|,")
# "بعد أربعة أشهر من ...", "four months after ...", "after two weeks": a date counted from an earlier one
_OFFSET = re.compile(
    r"(?<!\w)[وف]?بعد\s+(?P<n1>\w+\s+)?(?P<u1>يوم|يومين|ايام|اسبوع|اسبوعين|اسابيع|شهر|شهرين|اشهر|شهور|سنه|سنتين|سنوات|عام|عامين|اعوام)(?!\w)"
    r"|(?<![a-z])(?P<n2>[a-z0-9]+)\s+(?P<u2>days?|weeks?|months?|years?)\s+(?:after|later)(?![a-z])"
)
_UNIT = {
    "يوم": ("day", 1), "يومين": ("day", 2), "ايام": ("day", 0), "اسبوع": ("week", 1), "اسبوعين": ("week", 2),
    "اسابيع": ("week", 0), "شهر": ("month", 1), "شهرين": ("month", 2), "اشهر": ("month", 0), "شهور": ("month", 0),
    "سنه": ("year", 1), "سنتين": ("year", 2), "سنوات": ("year", 0), "عام": ("year", 1), "عامين": ("year", 2),
    "اعوام": ("year", 0),
}
# a place word, then a name: "بلدة كبانة", "village of Kabani"
_NAME_PREFIX = r"(?:(?:كفر|تل|دير|عين|خان|ام|ابو|بني|جسر|معره|بيت|راس|بير|قصر|جبل|وادي|سهل|عرب|مزرعه|حوش|(?:ال)?شيخ)\s+)?"
_UNKNOWN_PLACE = re.compile(
    r"(?<!\w)(?P<head>[وف]?[بل]?(?:مدينه|بلده|قريه|منطقه|حي|ناحيه|مخيم|بلدتي|قريتي|مزرعه|تله|جبهه|محور|تقاطع|مفرق|حاجز|معبر|دوار))\s+(?P<name>"
    + _NAME_PREFIX
    + r"(?:ال)?[\u0621-\u064a]{3,})(?:\s+(?P<name2>ال[\u0621-\u064a]{3,}))?(?!\w)"
    r"|(?<![a-z])(?P<head_en>town|village|city|district|neighbou?rhood|area|camp|near|outside) (?:of )?(?P<name_en>(?:al-|el-)?[a-z][a-z'-]{2,}(?: [a-z][a-z'-]{2,})?)"
)
# the words an _UNKNOWN_PLACE match is built on: it starts at one of them or up to two clitic
# letters before it ("وبقرية")
_UNKNOWN_HEADS = ("مدينه", "بلده", "قريه", "منطقه", "حي", "ناحيه", "مخيم", "بلدتي", "قريتي", "مزرعه", "تله", "جبهه",
                  "محور", "تقاطع", "مفرق", "حاجز", "معبر", "دوار", "town", "village", "city", "district", "neighbourhood",
                  "neighborhood", "area", "camp", "near", "outside")


def _unknown_place_matches(f: str) -> list[re.Match[str]]:
    """``_UNKNOWN_PLACE.finditer(f)``, trying only where a match can start (found with ``str.find``):
    the expression opens on a look-behind, so the regex engine would try every position."""
    starts: set[int] = set()
    for w in _UNKNOWN_HEADS:
        k = f.find(w)
        while k >= 0:
            starts.update((k, k - 1, k - 2))
            k = f.find(w, k + 1)
    out: list[re.Match[str]] = []
    pos = 0
    for c in sorted(starts):
        if c < pos:
            continue
        m = _UNKNOWN_PLACE.match(f, c)
        if m is not None:
            out.append(m)
            pos = m.end()
    return out


class _Gated:
    """A pattern searched in a span only when the span holds one of its needles (every match
    holds one): the expressions below open on a look-behind, so the engine would try each
    position of the span."""

    __slots__ = ("needles", "rx")

    def __init__(self, rx: re.Pattern[str], needles: tuple[str, ...]) -> None:
        self.rx = rx
        self.needles = needles

    def search(self, text: str, pos: int, endpos: int) -> re.Match[str] | None:
        for n in self.needles:
            if text.find(n, pos, endpos) >= 0:
                return self.rx.search(text, pos, endpos)
        return None


# a party opening its line before a colon: at most a ticker mark, a time and a few words
# ("وزارة", "المتحدث باسم") before it, at most three words after it ("في إدلب")
_COLON_HEAD = re.compile(r"[\s\-–—•*|#]*(?:(?:عاجل|breaking|urgent)\s*[|:\-–—]?\s*)?(?:\d{1,2}[:.]\d{2}\s*[\-–—|]?\s*)?(?:[^\W\d_]+\s+){0,3}")
_COLON_TAIL = re.compile(r"(?:\s+[^\W\d_]+){0,3}\s*:(?!\d)")
# after a place that labels a record: an optional region in brackets, then a colon
_PLACE_LABEL = re.compile(r"\s*(\([^)\n]{1,40}\)\s*)?:(?!\d)")
# a distance told between a place and the one that locates it
_DISTANCE = re.compile(r"[\s,،]*(?:(?:ال)?واقع\w*\s+)?(?:علي\s+)?(?:بعد|مسافه)\s+(?:نحو\s+|حوالي\s+)?[0-9٠-٩]+\s*(?:كم|كيلو\w*)"
                       r"|[\s,]*(?:located\s+|lying\s+)?(?:about\s+|some\s+|around\s+|nearly\s+)?"
                       r"(?:[0-9]+|one|two|three|four|five|six|seven|eight|nine|ten|twelve|fifteen|twenty|a few)\s*(?:km|kilomet\w+|miles?)")
_NOT_NAMES = {
    "سكنيه", "الشمالي", "الجنوبي", "الشرقي", "الغربي", "الشماليه", "الجنوبيه", "الشرقيه", "الغربيه", "المنكوبه",
    "التي", "الذي", "الواقعه", "الواقع", "المحاصره", "المحاصر", "نفسها", "نفسه", "كبيره", "صغيره", "المجاوره",
    "القريبه", "الحدوديه", "السكنيه", "المذكوره", "المستهدفه", "الصناعيه", "المنطقه", "المدينه", "البلده",
    "سكني", "صناعي", "صناعيه", "زراعي", "زراعيه", "تجاري", "تجاريه", "عسكري", "عسكريه", "شعبي", "شعبيه",
    "مدني", "مدنيه", "امن", "امنه", "قريب", "قريبه", "مجاور", "مجاوره", "محاصر", "مكتظ", "مكتظه", "اخري", "اخر",
    # verbs that follow a place word ("جبهة تمتد ستة كيلومترات", "بلدة تقع شمال"): no name
    "تمتد", "يمتد", "تقع", "يقع", "تشهد", "يشهد", "تضم", "يضم", "تبعد", "يبعد", "كانت", "كان", "تعرضت", "تعرض",
}
_TRANSLIT = dict(zip("ابتثجحخدذرزسشصضطظعغفقكلمنهويءة", ["a", "b", "t", "th", "j", "h", "kh", "d", "dh", "r", "z", "s", "sh", "s", "d", "t", "z", "'", "gh", "f", "q", "k", "l", "m", "n", "h", "w", "y", "'", "a"]))


def _translit(folded: str) -> str:
    """A rough romanisation for a name the gazetteer lacks (the Arabic name is kept beside it)."""
    words = []
    for w in folded.split():
        lat = "".join(_TRANSLIT.get(c, c) for c in w)
        if lat.startswith("al") and len(lat) > 3:
            lat = "al-" + lat[2:]
        words.append(lat[:1].upper() + lat[1:])
    return " ".join(words)


# "Douma, the site of a suspected chlorine attack", "خان شيخون، التي شهدت هجوماً": a named attack
_SITE_OF = re.compile(
    r"\s*[,،]?\s*(?:(?:the\s+)?(?:site|scene)\s+of|where)\s+(?:an?\s+|the\s+)?(?:\w+\s+){0,3}?(?:attack|massacre|strike)"
    r"|\s*[,،]?\s*(?:التي|الذي|حيث)\s+(?:شهدت|شهد|تعرضت|تعرض|وقع|وقعت)\s+(?:\w+\s+){0,2}?(?:ال)?(?:هجوم|مجزره|قصف|لهجوم)"
)
# "the town", "البلدة": a place named before
_ANAPHOR = re.compile(r"(?<!\w)(?<!بلده )(?<!مدينه )(?<!قريه )(?:[وفبل]*)(?:ال|لل)(?:بلده|مدينه|قريه|حي)(?!\w)|(?<![a-z])the (?:town|city|village|district|neighbou?rhood)(?![a-z])")
# a relative clause about a named attack: "مجزرة الغوطة، التي قتل فيها", "the Douma attack, which killed"
# (also "when" / "حين": "هجوم دوما في 7 نيسان 2018، حين ألقت مروحية أسطوانتين ... ما أدى إلى مقتل 43")
# "نقل بعضهم إلى المشافي", "تم نقل المصابين إلى": taken to hospital, not "نقل عن" (quoted)
_MOVED = re.compile(r"[وف]?نقل\w*(?:\s+(?!عن(?!\w))\w+){0,3}\s+(?:الي|لتلقي|للعلاج)(?!\w)")
# "التنظيم" standing alone for the one armed group a text names
_THE_GROUP = re.compile(r"(?<!\w)[وف]?(التنظيم)(?!\w)")
_FOUND_BEFORE = re.compile(r"(?:(?<!\w)[وف]?(?:عثر\w*|ضبط\w*|صادر\w*)|(?<![a-z])(?:found|seized|discovered|uncovered)(?!\s+(?:that|no)(?![a-z])))(?:\s+(?!that\s|ان\s)[^\s.,،]+){0,4}?\s+(?:علي\s+)?$")
_PRESENT_IN = re.compile(r"(?<!\w)(?:ال)?(?:موجود|متواجد|مقيم|متمركز)\w*\s+(?:في|ب)\s*$|(?<![a-z])(?:present|based|stationed|staying)\s+in\s+(?:the\s+)?$")
_SINCE_AFTER = re.compile(r"\s*(?:منذ|since)(?!\w)")
_PRETEXT_BEFORE = re.compile(r"(?:(?<![a-z])(?:pretext for|justify|in (?:response|retaliation) (?:to|for))|(?<!\w)(?:ذريعه ل|لتبرير|ردا علي))(?:\s+[^\s.,،]+){0,2}?\s*$")
_ALSO = re.compile(r"(?<!\w)(?:ايضا|كذلك)(?!\w)|(?<![a-z])also(?![a-z])")
_CEASE_BEFORE = re.compile(r"(?<!\w)وقف\s+$")
_ABOARD = re.compile(r"(?:(?<!\w)(?:علي متن|متن)|(?<![a-z])(?:aboard|on board|onboard|boarded|passenger))\s+(?:a\s+|an\s+|the\s+|his\s+|her\s+)?$")
_LANDING = re.compile(r"\s+(?:(?:\w+\s+){0,2}(?:الي|علي)\s+)?(?:الهبوط|هبوط|تهبط|هبطت)|(?:\s+\w+){0,2}\s+(?:landed|made an emergency landing|to land|was diverted)(?![a-z])")
# what may open a sentence before its subject: "the", one modifier ("Syrian rebels and ...")
_SUBJECT_HEAD = re.compile(r"\s*(?:the\s+)?(?:(?!(?:after|before|when|while|as|if|in|on|at|by|for|with|from|to|of)\s)[a-z-]+\s+)?")
_WIRE_PREFIX = re.compile(r"\s*[a-z][a-z .,/'-]{1,40}\((?:reuters|ap|afp|رويترز|ا ف ب)\)\s*[-–—]\s*")
_CLAUSE_STOP = re.compile(r"[,.;؛]")
# a toll told after a comma: ", killing 43 people", "، ما أدى إلى مقتل"
_TOLL_TAIL = re.compile(r"\s*(?:killing|injuring|wounding|leaving|و?(?:مما|ما) (?:ادي|اسفر)|مخلف\w*|و?اسفر\w*|موقع\w*)(?!\w)")
_RELATIVE = re.compile(r"\s*[,،]?\s*(?:و?(?:التي|الذي)|which|that|where|when|حين|عندما)(?!\w)")
# "Eastern Ghouta" and "the Ghouta" name one area
# "and again on 30 March", "ثم عادت ... على البلدة في 30 آذار": the same place attacked again
_REPEAT = re.compile(
    r"(?<![a-z])(?:again|then|and|the (?:town|city|village))(?![a-z])"
    r"|(?<!\w)(?:مجددا|ثانيه|ثم|كما|و|[وف]?عاد\w*|[وبل]?(?:ال)?(?:بلده|مدينه|قريه))(?!\w)"
)
# the cue groups whose حمل-forms ("تحمل", "يحمل") may mean "carry" a load instead of "hold responsible"
_SAYING_GROUPS = frozenset({"allegation", "accuse", "finding"})
_CARRY = re.compile(r"[وف]?[يت]?حمل\w*\Z")
_NEXT_WORD = re.compile(r"\s+")
# "envoy to the UN", "مندوب روسيا لدى منظمة حظر": where a representative is posted
_POSTED_TO = re.compile(r"\s+(?:to|at|لدي)\s+(?:the\s+)?")
# what is said follows: "that", "أن / إن"
_THAT = re.compile(r"(?<![a-z])that(?![a-z])|(?<!\w)[وف]?[اان]ن(?!\w)")
# "in its report on the incident in", "في تقريرها حول الهجوم على"
_ITS_REPORT_ON = re.compile(r"(?<![a-z])(?:its|their|the) (?:final |latest |interim )?report(?= (?:on|into|about)\b)|(?<!\w)[بف]?ي? ?تقرير(?:ها|ه|هم)(?= (?:حول|عن|بشان)\b)")
# a verb of saying right after a generic body: "the Commission documented / found / said that"
_SAID_AFTER = re.compile(r"\s+(?:has\s+|had\s+|also\s+)?(?:documented|said|stated|reported|confirmed|established|determined|noted|recorded)(?![a-z])"
                         r"|\s+(?:[وف]?(?:وثقت|وثق|قالت|قال|اكدت|اكد|ذكرت|ذكر|رصدت|سجلت))(?!\w)")
# "في محافظتي دمشق و", "in the governorates of": the governorates of a count of attacks
_GOVERNORATES_BEFORE = re.compile(r"(?:محافظ\w*|governorates?|provinces?)\s+(?:of\s+)?(?:\w+\s+(?:و|and\s+))?\s*$")
# the area of a series in several governorates: "عدة بلدات في محافظات حماة وإدلب", "several towns in the
# provinces of Hama and Idlib", "محافظات حماة وإدلب وحلب"
_SEVERAL_AREAS = re.compile(r"(?<!\w)(?:محافظات|المحافظات|[وبف]?(?:ريفي|محافظتي)|(?:عده|عدد من)\s+(?:بلدات|مدن|قري|مناطق|محافظات))(?!\w)"
                            r"|(?<![a-z])(?:provinces|governorates|several\s+(?:towns|villages|cities|areas|provinces))(?![a-z])")
# a toll told again, higher: "ارتفاع حصيلة القتلى إلى 72", "the death toll rose to 72"
_TOLL_UPDATE = re.compile(r"(?<!\w)(?:[وف]?(?:ارتفاع|ارتفعت|ترتفع|يرتفع|بلغت|وصلت|تجاوزت)\s+(?:ال)?(?:حصيله|عدد))"
                          r"|(?<![a-z])(?:death\s+)?toll\s+(?:has\s+|had\s+)?(?:rose|rises|risen|climbed|climbs|reached|increased|stands)")
# cues that are no verbs: a date before them is not when something was said ("يومي 11 و18، وفق ناشطين")
_BY_WORD = re.compile(r"[وف]?(?:وفق\w*|بحسب|حسب|طبقا\w*)|according\s+to|per")
# an appositive after a party, up to the comma before its verb: ", the rescue service that operates in ..., "
_APPOSITIVE = re.compile(r"\s*,\s*(?:the|a|an|which|who)\s[^,.;:\n]{3,100},\s*")
# a named attack used to place another in time: "قبل مجزرة خان شيخون", "since the Ghouta attack"
_YARDSTICK_BEFORE = re.compile(r"(?<!\w)(?:[وف]?(?:قبل|بعد|منذ))\s+(?:\w+\s+)?$|(?<![a-z])(?:before|after|since)\s+(?:the\s+)?(?:\w+\s+)?$")
# "قبل أن تطغى عليها مجزرة خان شيخون", "before it was overshadowed by the Khan Shaykhun attack"
_YARDSTICK_FAR = re.compile(r"(?<!\w)(?:قبل|بعد) (?:ان|ما) \w+(?: \w+){0,3} $|(?<![a-z])(?:before|after|until) (?:it|they) (?:was|were) \w+ by (?:the )?(?:\w+ )?$")
# what may open a sentence before its date: "في", "وفي", "In", "On"
_FRONT = re.compile(r"\s*(?:[وف]?في|in|on)?\s*")
# between a casualty figure and a party: the people hit belong to it ("7 من مقاتلي فصائل", "5 rebel fighters")
_VICTIMS_OF = re.compile(r"\s*(?:من\s+)?(?:(?:مقاتلي|عناصر|جنود|افراد|مسلحي)\s+)?|\s*(?:of\s+(?:the\s+)?)?")
# a call on someone to act: "يطالب المركز لجنة التحقيق" (verb, subject, the body called on), "urged the OPCW to"
_CALL_VERB_AR = r"(?<!\w)[وف]?(?:يطالب|طالب|تطالب|طالبت|دعا|دعت|يدعو|تدعو|ناشد\w*)"
_DEMAND = re.compile(_CALL_VERB_AR + r"\s+\S+\s(?:(?!\s(?:ان|قال|اكد)\s).)*$"
                     r"|(?<![a-z])(?:call(?:s|ed)? (?:on|upon)|urg(?:e|es|ed)|ask(?:s|ed)?)(?![a-z])(?:(?! said | that ).)*$")
# a party that calls for something: "دعت روسيا", "Russia called for / urged"
_CALLER_BEFORE = re.compile(_CALL_VERB_AR + r"\s+$")
_CALLER_AFTER = re.compile(r"\s+(?:has\s+|had\s+)?(?:called|calls|urged|urges)\s+(?:for|on)?(?![a-z])")
# "منذ مجزرة", "since the ... attack": a known attack used as a yardstick
_SINCE_BEFORE = re.compile(r"(?<!\w)منذ\s+(?P<ar>[وبل]*(?:ال)?(?:هجوم|مجزره|كارثه|فاجعه))\s*$|(?<![a-z])since\s+(?:the\s+)?$")
# between a date and the verb of a statement: its speaker as a pronoun ("In April 2020 it attributed")
_SAYER_AFTER_DATE = re.compile(r"\s*,?\s*(?:it|they|he|she)\s+(?:has\s+|had\s+|also\s+)?")
# a sentence that goes on with the attacks before it ("وعادت المروحيات لقصف كفرزيتا", "again",
# "a similar attack"); without such a word a chemical-free strike next to one is another event
_CONTINUES = re.compile(
    r"(?<!\w)[وف]?(?:عاد\w*|مجددا|ثاني\w*|ثالث\w*|مماثل\w*|نفس\w*|ذات\w*|تكرر\w*|اخري)(?!\w)"
    r"|(?<![a-z])(?:again|another|second|third|similar|same|repeated)(?![a-z])"
)
_CONTINUES_OPEN = re.compile(r"(?<!\w)[وف]?(?:ايضا|كذلك|كما|ثم)(?!\w)|(?<![a-z])(?:also|then|later)(?![a-z])")
# who is responsible: "هي المسؤولة عن", "was responsible for"
_RESPONSIBLE = re.compile(r"(?<!\w)(?:ال)?مسوول\w*|(?<![a-z])responsib\w*")
# the capitals that stand for their states as bodies ("Moscow denied"), also the cities of datelines
_FROM_BEFORE = re.compile(r"(?<!\w)من\s+(?:(?:منطقه|بلده|مدينه|قريه|مواقع|جهه)\s+)?$|(?<![a-z])from\s+(?:the\s+)?(?:town\s+of\s+|area\s+of\s+)?$")
_TOWARDS_AFTER = re.compile(r"\s*(?:باتجاه|نحو|الي|صوب|towards?|at|into)(?!\w)")
# an inquiry's mandate before "use": "المكلف بالتحقيق في", "mandated to investigate the"
_MANDATE = re.compile(r"(?<!\w)(?:ال)?مكلف\w*\s+(?:ب)?(?:ال)?تحقيق\s+(?:في\s+)?$"
                      r"|(?<![a-z])(?:mandated|tasked|charged)\s+(?:to\s+investigate|with\s+investigating)\s+(?:the\s+)?(?:alleged\s+)?$")
_CONSENT_OF = re.compile(r"(?<!\w)[وبل]?(?:ال)?(?:موافقه|رفض|سماح|طلب|مطالبه|حكومه|نظام|تعاون|مسووليه)\s*$|(?<![a-z])(?:consent|approval|permission|cooperation) (?:of|from)\s*$")
_POISON_WORD = _Gated(re.compile(r"(?<!\w)(?:[وف]?(?:سمم|سممت|سمموا|تسميم\w*|(?:شعر|اصيب)\w* بتوعك))(?!\w)"
                          r"|(?<![a-z])(?:poisoned|poisoning|fell (?:critically |seriously |gravely )?ill)(?![a-z])"), ('سمم', 'تسميم', 'توعك', 'poison', 'ill'))
_OWES = re.compile(r"\s+(?:ان|تقديم|الرد|الاجابه|تفسير|توضيح|التعاون|الكشف)(?!\w)")
_CAPITAL = re.compile(r"(?:باريس|موسكو|دمشق|لندن|واشنطن|بيروت|انقره|طهران|paris|moscow|damascus|london|washington|beirut|ankara|tehran)")
# after a dateline's city: "باريس – فرانس 24", "BEIRUT (Reuters) -", "DAMASCUS, May 3"
_DATELINE_CITY = re.compile(r"\s*(?:[-–—]|\((?:reuters|ap|afp)\)|,\s*(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\w*\s+\d)")
# a line linking to another story: "اقرأ أيضاً:", "Read more:", "Related:"
_RELATED_LINE = re.compile(r"\s*(?:[اإ]?قرا\s+ايضا|شاهد\s+ايضا|مواضيع ذات صله|read (?:more|also)|related(?: articles?| stories)?\s*:|see also)")
# a heading of a page's navigation or sources: the lines listed under it name other pages
_NAV_HEADING = re.compile(r"(?m)^[ \t#*=]*(?:[اإ]?نظر[ \t]+ايضا|المراجع|مراجع|المصادر|مصادر|روابط[ \t]+خارجيه"
                          r"|وصلات[ \t]+خارجيه|هوامش|see[ \t]+also|references|sources|notes|external[ \t]+links"
                          r"|further[ \t]+reading)[ \t:=]*$")
_LINE = re.compile(r"(?m)^.*$")
_NAV_ITEM = re.compile(r"[ \t]*(?:[*•·▪◦\-–]|\d{1,3}\s*[.)\-]|\^|\[\d+\])")
# a sentence that turns to another story: "وفي سياق منفصل", "على صعيد آخر", "In a separate development"
_SEPARATE = re.compile(r"\s*(?:[وف]?(?:في|علي)\s+(?:سياق|صعيد)\s+(?:منفصل|اخر)|[وف]?من\s+جهه\s+اخري"
                       r"|in a separate (?:development|incident)|separately|elsewhere)(?!\w)")
# an attack named by its place: "بهجوم الغوطة", "مجزرة خان شيخون" (before the place's article)
_ATTACK_NOUN_BEFORE = re.compile(r"(?<!\w)[وبل]*(?:ال)?(?:هجوم|مجزره|مجزرتي|كارثه|فاجعه)\s*$")
# a munition or attack like the one told before: "صاروخ مماثل", "هجوم مماثل", "another such rocket", "a similar attack"
_SIMILAR = _Gated(re.compile(r"(?<!\w)[وب]?(?:ال)?مماثل\w*(?!\w)|(?<![a-z])(?:another such|a similar|similar)(?![a-z])"), ('مماثل', 'similar', 'another such'))
# a date that starts a period: "منذ عام 2014", "since March 2011"
_SINCE_DATE = re.compile(r"(?<!\w)(?:منذ|since)\s+(?:(?:عام|العام|سنه|مطلع|بدايه|early|late|the\s+start\s+of)\s+)?$")
# an office named after its place: "قيادة شرطة حلب", "محافظ إدلب", "مديرية صحة إدلب", "Idlib's governor"
_INSTITUTION_OF = re.compile(r"(?<!\w)(?:شرطه|محافظ|مدير|مديريه|صحه|قاضي|مجلس محافظه)\s*$"
                             r"|(?<![a-z])(?:police|governor|health directorate|health department)\s+(?:of\s+)?(?:the\s+)?$")
# the aircraft of a scene told before: "the aircraft", "the jets", "الطائرات", "المروحيات"
_THE_AIRCRAFT = re.compile(r"(?<![a-z])the (?:aircraft|jets|planes|warplanes|helicopters|bombers)(?![a-z])"
                           r"|(?<!\w)[وف]?(?:الطائرات|الطايرات|المروحيات|الطيران)(?!\w)")
# "the same substance", "المادة ذاتها / نفسها": the agent told elsewhere in the text
_SAME_SUBSTANCE = re.compile(r"(?<!\w)[لب]?(?:ل)?(?:ال)?ماده (?:ذاتها|نفسها)(?!\w)|(?<!\w)(?:ذات|نفس) الماده(?!\w)"
                             r"|(?<![a-z])the same (?:substance|agent|nerve agent|poison|chemical)(?![a-z])")
# what joins two days of one list: "24 و30 آذار", "March 16 and 31"
_DAY_LIST = re.compile(r"\s*(?:و|and|,|،)\s*")
_CARE = re.compile(
    r"(?:hospitals?|clinics?|medical (?:centres?|centers?|points?|facilities))(?:\s+(?:it|they|that|which)\s+\w+)?\s+(?:in|at)\s+(?:the\s+)?$"
    r"|(?<!\w)(?:ال)?(?:مستشفي\w*|مشفي|مشافي|مشاف|نقاط طبيه|النقاط الطبيه)(?:\s+(?:ال)?(?:ميداني|ميدانيه|ميدانيين))?(?:\s+(?:تدعم|يدعم|تديره|تديرها|يديرها)\w*)?\s+(?:في|ب)?"
    r"(?:\s*(?:ريف|مدينه|منطقه|محافظه))?\s*$"
)
# "held the government responsible for the Khan Sheikhoun attack", "حمّلت ... مسؤولية هجوم X"
_BLAME = re.compile(
    r"(?<!\w)(?:[وف]?(?:تحميل|حمل\w*|اتهام|اتهم\w*))(?!\w)"
    r"|(?<![a-z])(?:blam\w*|held|holds|accus\w*)(?![a-z])"
)
_SAME_AGENT = re.compile(
    r"(?<![a-z])the same (?:nerve |chemical |toxic )?(?:agent|substance|chemical|gas|poison)"
    r"|(?<!\w)(?:بال|ال)?(?:ماده|غاز|سلاح)(?: \w+)? (?:نفسه|نفسها|ذاته|ذاتها)(?!\w)|(?<!\w)[بو]?نفس (?:ال)?(?:ماده|غاز)"
)
# a spokesperson or official of the body just named speaks for it
_TITLE = re.compile(
    r"\s*(?:'s\s+)?(?:spokes\w*|press secretary|minister|envoy|ambassador|officials?|representative|chief|head|director)(?![a-z])"
    r"|\s*(?:المتحدث\w*|متحدث\w*|الناطق\w*|وزير\w*|مندوب\w*|سفير\w*|مسوول(?:و|ون|ين)?)(?!\w)"
)
# a new finding or statement inside one sentence: "، وأن ...", ", and that ...", "; ..."
_NEW_CLAUSE = re.compile(r"[,،]\s*(?:و|ف)ان(?!\w)|,\s*and that(?![a-z])|[;؛]")
_CLAUSE_BREAK = re.compile(r"[;؛]|(?<!\w)(?:في حين|بينما|فيما|بالتزامن مع|تزامنا مع|تزامن\w* مع|while|whereas|amid)(?!\w)")
# where a munition was fired from: "أُطلقت من مواقعها في", "fired from their positions in"
# also where someone lives or fled to: "ويقيم اليوم في مدينة الدانا", "now lives in Gaziantep"
_ORIGIN = re.compile(r"(?<!\w)(?:[وف]?(?:اطلق\w*|انطلق\w*)\s+من|من\s+مواقع\w*|انطلاقا\s+من|(?:المتمركز|المنتشر)\w*\s+في"
                     r"|[وف]?(?:يقيم|تقيم|يعيش|تعيش|يسكن|تسكن)(?:\s+(?:اليوم|الان|حاليا))?\s+في|[وف]?نزح\w*\s+(?:الي|نحو))(?!\w)"
                     r"|(?<![a-z])(?:(?:fired|launched)\s+from|from\s+(?:its|their|his|the)\s+positions?|stationed\s+in"
                     r"|(?:now\s+)?(?:lives|living|resides|resettled|fled)\s+(?:now\s+)?(?:in|to))(?![a-z])")
_NEW_TARGET = re.compile(r"(?<!\w)(?:علي|استهدف\w*|باتجاه)(?!\w)|(?<![a-z])(?:on|at|against|into|towards?)(?![a-z])")
_DIRECTIONS = re.compile(r"\b(?:eastern|western|northern|southern|east|west|north|south)\b")
_CONJ = re.compile(r"(?<!\w)و|(?<![a-z])(?:and|as well as)(?![a-z])")
# a body something is given or sent to ("funding for the OPCW", "لمنظمة حظر", "إلى المنظمة")
_RECIPIENT = re.compile(r"(?:(?<![a-z])(?:for|to)(?:\s+the)?|(?<!\w)(?:الى|لدى))\s*$")
_RECIPIENT_AR = re.compile(r"ل(?=منظمه|لمنظمه|ال)")
_PART_OF = re.compile(r"(?<!\w)(?:ال)?تابع(?:ه|ين)?\s*$")
# an English finite speech/finding verb, and a word just before it (its subject)
_EN_VERB = re.compile(r"(?:said|says|say|told|tells|reported|reports|stated|states|added|adds|claimed|claims|alleged|alleges|concluded|concludes|found|finds|confirmed|confirms|announced|announces|accused|accuses|blamed|blames|denied|denies|dismissed|rejected)")
# "South Korean officials and the U.S. government said": an uncoded party joined to the subject
_JOINED_SUBJECT = re.compile(r"\s*(?:the\s+)?(?:[a-z][\w'.-]*\s+){1,3}and\s+(?:the\s+)?")
# where a statement was made: "speaking in Paris", "told reporters in Ankara", "خلال مؤتمر صحفي في موسكو"
_SPEAKING_IN = re.compile(
    r"(?<![a-z])(?:speaking|spoke|told reporters|(?:news|press) conference|a speech|a visit|visiting)(?:\s+[\w'-]+){0,2}\s+(?:in|at|to)\s+(?:the\s+)?$"
    r"|(?<!\w)(?:متحدثا|مؤتمر صحفي|موتمر صحفي|كلمه له|زيارته|خلال زياره)(?:\s+\w+){0,2}\s+(?:في|الي|ب)\s*$"
)
_EN_CLAUSE_WORD = re.compile(r"(?<![a-z])(?:as|while|when|after|before|because|but|and|which|who|whom|where)(?![a-z])")
_THAT_OR_QUOTE = re.compile(r"\s*(?:that(?![a-z])|[\"“])")
_POSSESSIVE = re.compile(r"['’]s?(?![a-z])")
_EN_WHERE_BEFORE = re.compile(r"(?<![a-z])(?:in|at|by)\s+(?:the\s+)?$")  # also "quoted by the SANA news agency"
_SUBJECT_END = re.compile(r"[a-z0-9)]\s*$")
# investigative bodies whose words are not findings unless they conclude (the UN Secretary-General)
_POLITICAL = frozenset({"un-sg"})
_WEAK_FINDING = re.compile(r"report|evidence|تقرير|ادله")  # "reports of the use": no conclusion
# a count of attacks: "222 هجوماً كيميائياً", "at least 30 chemical attacks", "217 منها"
_TALLY = _Gated(re.compile(r"(?<!\w)(?:[2-9]|\d{2,}|[لب]?(?:ثلاث|اربع|خمس|ست|سبع|ثماني|تسع|عشر)|two|three|four|five|six|seven|eight|nine|ten|dozens of)"
                    r"\s+(?:هجوم|هجوما|هجمات|هجمه|attacks|chemical attacks|chemical weapons attacks)(?!\w)"), ('هج', 'attacks'))
# a place told without its name: "a rebel-held village", "بلدة في ريف إدلب"
_UNNAMED_PLACE = re.compile(r"(?<![a-z])(?:a|an)\s+(?:[a-z-]+\s+){0,2}(?:village|town|city|neighbou?rhood|district|area|air base|base|checkpoint)(?![a-z])"
                            r"|(?<!\w)(?:بلده|قريه|مدينه|حي|منطقه|قاعده)\s+(?:في|ب|عسكريه|جويه)")
# an event told as a response to an attack: "after a suspected gas attack in", "in response to the chemical attack on"
_IN_RESPONSE = re.compile(
    r"(?<![a-z])(?:after|following|in response to|in retaliation for)\s+(?:an?|the)\s+(?:suspected\s+|alleged\s+|deadly\s+)?"
    r"(?:chemical\s+|gas\s+|poison gas\s+|sarin\s+|chlorine\s+|toxic gas\s+)(?:weapons?\s+)?attack\s+(?:in|on|at)\s+(?:the\s+)?"
    r"(?:(?:town|city|village|suburb|district)\s+of\s+)?$"
)
# a wire's dateline without a year: "SOFIA, Jan 23 (Reuters) -", "ERBIL, Iraq, March 4 (Reuters) -", "دمشق، 23 كانون الثاني (رويترز) -"
_WIRE_HEAD = re.compile(r"\s*(?:[^\W\d][^\n,،\d]{1,28}[,،]\s*){0,2}")
_YEARLESS_DATELINE = re.compile(r"\s*(?:\([^()\n\d]{2,30}\)\s*)?[-–—]")
# a speaker named by its side: "an official with the Fastaqim rebel group", "a rebel official",
# "قيادي في المعارضة", "مصدر من الجيش الحر"
_VOICE_BEFORE = re.compile(
    r"(?:(?<![a-z])(?:official|spokes(?:man|woman|person)|commander|source|leader)s? (?:with|of|from|in|for) (?:the |a |an )?(?:[a-z'-]+ ){0,2}"
    r"|(?<!\w)(?:مصدر|مصادر|قيادي|مسؤول|متحدث|المتحدث|ناطق|الناطق)\w* (?:باسم|في|من) (?:\w+ ){0,2})$")
_VOICE_AFTER = re.compile(r"[\s-]*(?:[a-z'-]+ )?(?:official|spokes(?:man|woman|person)|commander|source|leader)s?(?![a-z])")
# speech through a pronoun or a subjectless verb (the speaker of the sentence before goes on)
_PRONOUN_SAID = _Gated(re.compile(
    r"(?<![a-z])(?:he|she|the (?:source|spokes(?:man|woman|person)|official))\s+(?:said|added|says|adds|told|continued|insisted|stressed)(?![a-z])"),
    ("he ", "she ", "the source", "the spokes", "the official"))
# ... or a verb with no subject, or with "the source" / "the spokesman" for one ("وأضاف المصدر أن")
_SUBJECTLESS_SAID = re.compile(r"[وف]?(?:اضاف|اضافت|تابع|تابعت|اوضح|اوضحت|اشار|اشارت)\s+"
                               r"(?:(?:ال)?(?:مصدر|متحدث\w*|ناطق\w*|مسوول)\s+)?(?:ان|قايلا|قايله|بان|الي ان)(?!\w)")
# right before a day and month: a street, square or district named for that day ("حي 17 تموز")
_NAMED_FOR_DAY = re.compile(r"(?<!\w)[وبل]?(?:حي|شارع|ساحه|جسر|دوار|مدرسه|مشفي|مستشفي|جامع|مسجد)\s+$")
# a poison that is no chemical weapon: a radioactive one
_RADIOLOGICAL = _Gated(re.compile(r"(?<![a-z])(?:polonium|radioactive|radiation)(?![a-z])|(?<!\w)(?:ال)?(?:بولونيوم|اشعاعي\w*)(?!\w)"),
                       ("polonium", "radioactive", "radiation", "بولونيوم", "اشعاع"))
# right after a date: the clause of what was said or found ("، إلى أن", "من العام نفسه، إلى أن", ", that")
_THAT_AFTER_DATE = re.compile(r"\s*(?:من العام نفسه|من العام ذاته|من ذلك العام|of the same year|of that year|that year)?\s*[,،]?\s*"
                              r"(?:(?:الي\s+)?(?:ان|بان|انه)(?!\w)|that(?![a-z]))")
# right before a means: the backing of a force, not the means of an attack
_BACKED_BY = re.compile(r"(?:(?<!\w)(?:ال)?مدعوم\w*\s+|(?<!\w)بدعم\s+(?:من\s+)?|(?<!\w)بغطاء\s+|(?<![a-z])(?:backed|supported|covered)\s+by\s+)\S*$")
# every attack or finding the text tells, named together ("الهجمات الثلاث", "الهجومين", "these attacks", "all the findings")
_ALL_ATTACKS = _Gated(re.compile(
    r"(?<!\w)(?:ال)?هجمات\s+(?:ال)?(?:ثلاث|اربع|خمس|ثلاثه|اربعه|خمسه|المذكوره|كلها|جميعها)(?!\w)"
    r"|(?<!\w)(?:جميع|كل|هذه)\s+(?:ال)?(?:هجمات|اتهامات|استنتاجات|تقارير)(?!\w)|(?<!\w)[وبل]*(?:ال)?هجومين(?!\w)"
    r"|(?<![a-z])(?:all(?: the)?|these|both|the (?:two|three|four|five))\s+(?:attacks|findings|incidents|allegations|reports)(?![a-z])"),
    ("هجمات", "هجومين", "اتهامات", "استنتاجات", "تقارير", "attacks", "findings", "incidents", "allegations", "reports"))
# an apposition that places a town in a larger area ("، آخر معاقل المعارضة في", ", the last rebel enclave in")
_APPOSITION_IN = re.compile(r"\s*[,،]\s*(?:(?:اخر|ابرز|اكبر|احد|اهم|كبري|ثاني)\s+[^,،.\n]{0,40}?\s(?:في|ب|من)"
                            r"|(?:the|a|one of the)\s+(?:last|largest|biggest|main|key|second|only)\s+[^,.\n]{0,40}?\s(?:in|of))\s*")
# a date told as to come: "تشرين الأول المقبل", "الشهر القادم", "in the coming weeks" (not "the next day":
# the day after another)
_FUTURE = _Gated(re.compile(r"(?<!\w)(?:ال)?(?:مقبل|مقبله|قادم|قادمه)(?!\w)|(?<![a-z])(?:in the coming|upcoming)(?![a-z])"),
                 ("مقبل", "قادم", "coming"))
# right before a date: a document's issue ("تقريرها الصادر في", "المنشور في", "issued on", "dated")
_ISSUED_ON = re.compile(r"(?<!\w)(?:ال)?(?:صادر|صادره|منشور|منشوره|مورخ|مورخه)\s+(?:في|بتاريخ)?\s*$"
                        r"|(?<![a-z])(?:issued|published|released|dated)\s+(?:on\s+|in\s+)?$")
# between the members of a list of parties
_LIST_SEP = re.compile(r"\s*(?:,\s*(?:and\s+)?|and\s+)(?:the\s+)?")
# a person named as a body's voice, after the body (original case: names are capitalised)
_NAME_TITLES = frozenset(("Major", "Lieutenant", "Brigadier", "General", "Colonel", "Ambassador", "Minister", "Foreign",
                          "Defence", "Defense", "Deputy", "Spokesman", "Spokeswoman", "Spokesperson", "Dr", "Mr", "Ms",
                          "Mrs", "President", "Prime", "Secretary", "Director", "Chief", "Head", "Commander", "Sheikh"))
_PERSON_NAME = r"(?P<name>[A-Z][a-z]+\.?(?:[ -][A-Z][a-z]+\.?){1,4})"
_SPOKESMAN_AFTER = re.compile(
    r"(?:\s+(?:of|for|in|on|to)(?:\s+(?:the|of|in|on|and|for|[A-Z][\w'-]*))+)?(?:'s)?\s*,?\s*"
    r"(?:(?:spokes(?:man|woman|person)|press secretary|envoy|ambassador|official|chief|head|director|commander)\s+)?"
    + _PERSON_NAME + r"\s*(?:,|said|says|told|added)")
_SPOKESMAN_BEFORE = re.compile(
    _PERSON_NAME + r"\s*,\s*(?:the\s+|a\s+)?(?:[\w'-]+\s+){0,3}(?:spokes(?:man|woman|person)|envoy|ambassador|minister|"
    r"official|chief|head|director|commander|representative)\s+(?:of|for|to|at|with)?\s*(?:the\s+)?$")
_TITLE_WORDS = ("spokes", "envoy", "ambassador", "minister", "official", "chief", "head", "director", "commander", "representative")
_LATIN_WORD = re.compile(r"[a-z][a-z'-]{3,}")
# a party's own relative clause of saying ("state media, which claimed that", "Russia, which has denied")
_WHICH_SAID = re.compile(r"\s*,?\s*(?:which|who)\s+(?:had\s+|has\s+|have\s+)?(?:said|claimed|alleged|accused|insisted|denied|blamed|says|claims|insists|denies)(?![a-z])")
# right before a party: its account, version or claims ("رواية وسائل إعلام النظام", "the version of state media")
_ACCOUNT_OF = re.compile(r"(?<!\w)[لب]?(?:ال)?(?:روايه|روايات|مزاعم|ادعاءات)\s*$|(?<![a-z])(?:version|account|claims?|narrative)(?:\s+(?:of|by|from))?(?:\s+the)?\s*$")
# between an unlisted place and the place that located it: at most one describing word, then "in"
# ("حي الوعر المحاصر في مدينة حمص", "المحاصر بمدينة حمص")
_HOST_GAP = re.compile(r"\s*(?:ال\w+\s+)?(?:(?:في|in)\s+|ب)(?:(?:مدينه|بلده|قريه|مخيم|the (?:city|town) of)\s*)?")
_HOST_GAP_B = re.compile(r"\s*(?:ال\w+\s*)?")  # the same, when the "ب" is the located place's own clitic
# "the al-Rashideen district", "the Sukkari neighbourhood": an English name before its place word
_DISTRICT_AFTER = re.compile(r"the (?<![a-z]the )(?P<name>(?P<art>(?:al|el|ad|ar|as|ash|at|az)-)?[a-z][a-z'-]{2,}) (?:district|neighbou?rhood|quarter)(?![a-z])")
_BATTLE_FOR = re.compile(r"(?:(?<![a-z])(?:retake|recapture|liberate|liberation of|battle for|offensive (?:on|against))"
                         r"|(?<!\w)[ول]?(?:معركه|استعاده|تحرير|لاستعاده|لتحرير|اقتحام))\s*(?:the\s+)?$")
# an item of a series: "الانفجار الأول", "شاحنة ثانية", "the second truck", "a third rocket"
_SERIES_ITEM = _Gated(re.compile(
    r"(?<!\w)(?:ال)?(?:انفجار|هجوم|شاحنه|سياره|قذيفه|صاروخ|برميل|غاره|ضربه)\s+(?:ال)?(?:اول|اولي|ثاني|ثانيه|ثالث|ثالثه|رابع|رابعه)(?!\w)"
    r"|(?<![a-z])(?:the|a)\s+(?:first|second|third|fourth)\s+(?:attack|explosion|blast|truck|car|bomb|rocket|shell|strike|barrel)"), ('اول', 'ثاني', 'ثالث', 'رابع', 'first', 'second', 'third', 'fourth'))
_WHICH = re.compile(r"(?<!\w)(?:الذي|التي|اللذين|اللتين|الذين|which|that|who)(?!\w)")
# "accused government forces on Wednesday of ...", "told Reuters on Friday that ..."
_SAID_TO_ON = re.compile(r"\s+(?:[a-z'-]+\s+){1,3}on\s+")
_OF_THAT = re.compile(r"\s*,?\s*(?:of|that)(?![a-z])")
_HELD_AFTER = re.compile(r"-?(?:held|controlled|run|besieged)(?![a-z])")
_HELD_BEFORE = re.compile(r"(?:(?<![a-z])(?:held|controlled|besieged) by(?: the)?|(?<!\w)(?:ل|ت)?سيطره|(?<!\w)مناطق|(?<!\w)يسيطر عليها)\s*$")
# fields of a list entry written on one line: "X – Y – Z", "X - Y - Z"
_FIELD_SEP = re.compile(r"\s[-–—]\s")
# what joins the places of one list: "and", "as well as", "in addition to", "إضافة إلى", "فضلاً عن"
_LIST_JOIN = re.compile(
    r"(?<!\w)و|(?<!\w)(?:ب?الاضافه|اضافه)\s+(?:الي|ل)|(?<!\w)فضلا\s+عن"
    r"|(?<![a-z])(?:and|as well as|in addition to|along with)(?![a-z])"
)


class _Terms:
    """The hits of each vocabulary group in one text, found when first asked for (a document
    needs only some of the cue groups); one automaton pass serves them all.

    A plain class, not a ``dict`` subclass with ``__missing__``: compiled (mypyc) code reads a
    dict subclass with the dict's own lookups, which would skip the finding."""

    __slots__ = ("cands", "found", "known", "text", "vocab")

    def __init__(self, vocab: Vocabulary, text: str) -> None:
        self.vocab = vocab
        self.text = text
        self.known = frozenset(vocab.groups)
        self.cands = vocab.candidates(text)
        self.found: dict[str, list[Term]] = {}

    def __getitem__(self, group: str) -> list[Term]:
        got = self.found.get(group)
        if got is None:
            got = self.vocab.find(group, self.text, self.cands) if group in self.known else []
            if got and group in _SAYING_GROUPS:
                got = self._not_carrying(got)
            elif got and group == "attack":
                # "دخول اتفاق وقف إطلاق النار حيز التنفيذ": a ceasefire, no firing
                got = [t for t in got if not _CEASE_BEFORE.search(self.text, max(0, t.start - 6), t.start)]
            elif got and group == "means":
                # "شعر بتوعك على متن طائرة كانت تقله", "aboard a flight", "اضطر الطائرة إلى الهبوط": a
                # passenger plane, no means of attack; "عثرت داخل الأنفاق على براميل تحوي مواد كيميائية",
                # "found barrels": containers found, not dropped
                got = [t for t in got
                       if not (t.code == "aircraft" and (_ABOARD.search(self.text, max(0, t.start - 12), t.start)
                                                         or _LANDING.match(self.text, t.end)))
                       and not _FOUND_BEFORE.search(self.text, max(0, t.start - 48), t.start)
                       # "قوات النظام، المدعومة بالطيران الروسي،", "backed by Russian air power": who backs a force
                       and not _BACKED_BY.search(self.text, max(0, t.start - 24), t.start)]
            elif got and group == "speech":
                # "نُقل بعضهم إلى المشافي التركية": the wounded were taken somewhere, nobody said
                got = [t for t in got if not _MOVED.match(self.text, t.start)]
            self.found[group] = got
        return got

    def __setitem__(self, group: str, hits: list[Term]) -> None:
        self.found[group] = hits

    def _not_carrying(self, found: list[Term]) -> list[Term]:
        """"براميل تحمل غاز الكلور", "قنابل تحمل السارين": تحمل carries a load there, it holds no
        one responsible: a حمل-form cue right before an agent or a chemical word is dropped."""
        out = []
        for t in found:
            if _CARRY.match(self.text, t.start, t.end):
                nxt = _NEXT_WORD.match(self.text, t.end)
                k = nxt.end() if nxt else t.end
                if any(x.start == k for g in ("agents", "chemical") for x in self[g]):
                    continue
            out.append(t)
        return out

    def get(self, group: str, default: Any = None) -> Any:
        return self[group] if group in self.known else default


@dataclass
class Anchor:
    sentence: Sentence
    place: Any | None  # gazetteer.PlaceMatch
    region: tuple[int, int]
    group: int  # coordination group id within the sentence
    date: Any | None = None  # dates.DateMention
    shared: bool = False  # the region is shared by coordinated places
    named: bool = False  # "مجزرة دوما", "the Khan Sheikhoun attack": a reference to a known attack
    base: Any = None  # the anchor whose attack this one repeats ("and again on 30 March")


@dataclass
class Incident:
    anchors: list[Anchor]
    places: list[Any] = field(default_factory=list)  # PlaceMatch of every mention
    date: Any | None = None
    # (sentence, region, how): "place" names the incident's place, "next" follows an anchor
    # ("next-shared" when that anchor sentence lists other incidents too)
    linked: list[tuple[Sentence, tuple[int, int], str]] = field(default_factory=list)
    known: str = ""  # the place id of the known attack whose places were joined (``known_attacks.toml``)


@lru_cache(maxsize=4)
def _known_attacks(gaz: Any) -> tuple[tuple[dt.date, str, frozenset[str]], ...]:
    """(day, the id of the place it is known by, ids of the places it struck) of each attack in
    ``data/known_attacks.toml``."""
    raw = tomllib.loads(resources.files("bayyina.extract").joinpath("data/known_attacks.toml").read_text("utf-8"))
    out = []
    for k in raw.get("attack", []):
        ids = frozenset(p.id for name in k["members"] for p in gaz.lookup(name)[:1])
        out.append((dt.date.fromisoformat(k["date"]), gaz.lookup(k["place"])[0].id, ids))
    return tuple(out)


@lru_cache(maxsize=1)
def _curated_geonames_ids() -> frozenset[int]:
    from bayyina.extract.gazetteer import load_supplement

    return frozenset(r.geonames_id for r in load_supplement() if r.geonames_id)


def _km(a: Any, b: Any) -> float:
    import math

    if a.lat is None or b.lat is None:
        return math.inf
    p1, p2 = math.radians(a.lat), math.radians(b.lat)
    dp, dl = p2 - p1, math.radians(b.lon - a.lon)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371 * math.asin(math.sqrt(h))


def _contains(big: Any, small: Any) -> bool:
    """Does ``big`` (a city, governorate, region) hold ``small``, by admin area or distance?"""
    if big.kind in ("governorate", "region") and small.admin1 and big.name.split(" ")[0] in small.admin1:
        return True
    if big.kind == "region" and small.kind in ("town", "village", "district", "neighbourhood") and small.population < 300_000:
        return _km(big, small) <= 20  # "دوما، آخر معاقل المعارضة في الغوطة"
    if small.kind in ("neighbourhood", "district") and big.kind in ("city", "town"):
        return _km(big, small) <= 12
    return False


def _overlap(a: Any, b: Any) -> bool:
    return bool(a.first <= b.last and b.first <= a.last)


class Extractor:
    """The default, rule-based extraction component."""

    name = "rules"

    def __init__(self, vocab: Vocabulary, gazetteer: Any) -> None:
        self.vocab = vocab
        self.gaz = gazetteer

    @classmethod
    @lru_cache(maxsize=1)
    def default(cls) -> Extractor:
        from bayyina.extract.gazetteer import Gazetteer

        return cls(default_vocabulary(), Gazetteer.default())

    # ------------------------------------------------------------ public
    def extract(self, text: str, *, source: str, language: str | None = None) -> dict[str, Any]:
        """The contract's document JSON for one normalised text."""
        if language is None:
            from bayyina.text.language import detect_language

            language = detect_language(text) or "und"
        incidents = self.extract_incidents(text)
        return {"source": source, "language": language, "incidents": incidents}

    def extract_incidents(self, text: str) -> list[dict[str, Any]]:
        if not text.strip():
            return []
        from bayyina.extract.dates import no_gc

        # one document allocates many small, short-lived, acyclic objects: the cyclic collector
        # would walk them (and everything loaded) again and again for nothing (about 10 %)
        with no_gc():
            return _Doc(self, text).run()


class _Doc:
    """One document's extraction state."""

    def __init__(self, ex: Extractor, norm: str) -> None:
        from bayyina.extract.dates import find_dateline, find_dates
        from bayyina.extract.numbers import find_casualties

        self.ex = ex
        self.v = ex.vocab
        self.norm = norm
        self.ft: MappedText = fold(norm)
        self.f = self.ft.text
        self.lay = Layout(self.f)
        f = self.f
        self.dateline = find_dateline(f) or self._first_line_date(f)
        dates = find_dates(f, dateline=self.dateline)
        # "محور حي 17 تموز", "شارع 29 أيار", "ساحة 7 نيسان": a place named for a day, no date
        # "تقدّم الآلية تقريرها في تشرين الأول المقبل", "in the coming weeks": a date to come, no attack's
        dates = [d for d in dates if not _NAMED_FOR_DAY.search(f, max(0, d.start - 10), d.start)
                 and not _FUTURE.search(f, max(0, d.start - 12), min(len(f), d.end + 12))]
        self.dates = self._fill_years(dates)
        # where the dateline itself is written (a page line under a headline and a standfirst may be
        # further down than the first line: "Wed 5 Sep 2018 17.40 BST")
        self._dateline_at = next((d.start for d in self.dates if d.start < 600 and d.kind != "relative"
                                  and d.first == d.last == self.dateline), -1)
        self.casualties = find_casualties(f)
        # an unlisted place -> the id of the known place that located it where it was found
        self._hosts: dict[str, str] = {}
        self.places = self._disambiguate([p for p in ex.gaz.find(f) if p.candidates])
        self.places = sorted(self.places + self._unknown_places(), key=lambda p: p.start)
        self.terms = _Terms(self.v, f)
        # "Hayat Tahrir al-Sham", "أحرار الشام": a place word inside an armed group's name is no place
        named = [t for t in self.terms["actors"] if " " in f[t.start : t.end]]
        if named:
            self.places = [p for p in self.places if not any(
                t.start <= p.start - len(p.prefix) and p.end <= t.end and t.end - t.start > p.end - p.start + len(p.prefix)
                for t in named)]
        # "a rebel-held village", "government-controlled", "الخاضعة لسيطرة المعارضة": whose ground it
        # is, not who attacked
        self.terms["actors"] = [
            t for t in self.terms["actors"]
            if not _HELD_AFTER.match(f, t.end) and not _HELD_BEFORE.search(f, max(0, t.start - 24), t.start)
        ]
        actors = self.terms["actors"]
        if actors and all(t.code == "isis" for t in actors):
            # "وكان التنظيم قد قصف بلدة تازة" in a story that names only Islamic State: the group
            extra = [Term(m.start(1), m.end(1), "actors", "isis") for m in _THE_GROUP.finditer(f)
                     if not any(t.start <= m.start(1) < t.end for t in actors)]
            if extra:
                self.terms["actors"] = sorted(actors + extra, key=lambda t: t.start)
        if self.terms["bodies"] and "said" in f:
            # "the head of the Russian Center for Reconciliation ..., Major General Viktor Kupchishin,
            # said" ... "Kupchishin said that militants ...": a named spokesman speaks for the body
            quoted = self._spokesmen(norm, self.terms["bodies"])
            if quoted:
                self.terms["bodies"] = sorted(self.terms["bodies"] + quoted, key=lambda t: t.start)
        riots = self.terms.get("riot", [])
        self.chem_count = len(self.terms.get("agents", [])) + sum(
            1 for t in self.terms.get("chemical", []) if not any(r.start <= t.start and t.end <= r.end for r in riots)
        )
        # a chemical-weapons inquiry (OPCW, its missions, the JIM) speaks of chemicals by its name
        self.chem_count += sum(1 for t in self.terms.get("bodies", []) if t.code.startswith("opcw"))
        # per kind of mention: starts, ends and the mentions, in text order (``_span``)
        self._index: dict[str, tuple[list[int], list[int], list[Any]]] = {
            name: ([x.start for x in items], [x.end for x in items], items)
            for name, items in [("places", self.places), ("dates", self.dates), ("casualties", self.casualties)]
        }
        self._roles_cache: dict[int, list[tuple[Any, bool, bool]]] = {}
        self._fam_cache: dict[tuple[int, str], set[str]] = {}
        self._sentence_anchors: dict[int, list[Anchor]] = {}
        self._speaking_cache: dict[tuple[int, int, int], bool] = {}
        self._where_cache: dict[tuple[int, int], bool] = {}
        self._ref_cache: dict[tuple[int, int, int], bool] = {}
        self._generic_cache: dict[tuple[int, int], str | None] = {}
        self._bars = "|" in f or "\t" in f  # a table may be in the text
        self._attack_cache: dict[int, list[int]] = {}
        self._prev_agents: list[str] = []  # the agents of the incident rendered before ("a similar rocket")
        self._sent_has_cache: dict[tuple[str, int], bool] = {}
        self._speakers_cache: dict[int, tuple[list[Term], list[Term]]] = {}
        self._accusable_cache: dict[int, list[Term]] = {}
        self._list_cache: dict[int, list[tuple[list[Anchor], tuple[int, int]]]] = {}
        self._told_before: dict[int, Sentence] = {}  # sentence -> the placeless one that told its attack
        self._scene_of: dict[int, Any] = {}  # placeless attack sentence -> the date of the scene set before it
        self._nav: list[tuple[int, int]] | None = None  # spans of "See also" / "References" lists
        self._shared_tails: set[tuple[int, int]] = set()
        self.principal_body = self._principal_body()
        self.parent: dict[str, Any] = {}  # neighbourhood id -> the town it lies in
        self.locates: dict[int, Any] = {}  # start of a place mention -> the mention that locates it

    def _spokesmen(self, norm: str, bodies: list[Term]) -> list[Term]:
        """Later mentions of a person a body's sentence names as its voice ("the Russian Center for
        Reconciliation ..., Major General Viktor Kupchishin, said"; "A spokesman for the National
        Front for Liberation, Naji Mustafa,"; "Vassily Nebenzia, Russia's ambassador"), as that
        body: "Kupchishin said that militants had used toxic agents" is Russia speaking."""
        f = self.f
        names: dict[str, str] = {}  # surname (folded) -> body code
        spans: list[tuple[int, int]] = []
        for b in bodies:
            n0, n1 = self.ft.src_span(b.start, b.end)
            found: list[tuple[str, int, int]] = []  # (name, where the introduction starts and ends in norm)
            m = _SPOKESMAN_AFTER.match(norm, n1)
            if m:
                found.append((m.group("name"), n0, m.end()))
            h0 = max(0, n0 - 80)
            head = norm[h0:n0]
            if any(w in head[-40:] for w in _TITLE_WORDS):  # only then can a name end just before a title
                mb = _SPOKESMAN_BEFORE.search(head)
                if mb:
                    found.append((mb.group("name"), h0 + mb.start(), n1))
            for name, i0, i1 in found:
                words = [w for w in name.split() if w not in _NAME_TITLES]
                if len(words) < 2:
                    continue
                surname = fold_str(words[-1])
                if len(surname) >= 4 and names.get(surname, b.code) == b.code:
                    names[surname] = b.code
                    spans.append((i0, i1))
        if not names:
            return []
        taken = [(t.start, t.end) for g in ("bodies", "actors") for t in self.terms[g]] + [(p.start, p.end) for p in self.places]
        out: list[Term] = []
        for m in _LATIN_WORD.finditer(f):
            code = names.get(m.group())
            if code is None or any(a < m.end() and m.start() < b for a, b in taken):
                continue
            k0, _ = self.ft.src_span(m.start(), m.end())
            if any(a <= k0 < b for a, b in spans) or not norm[k0 : k0 + 1].isupper():
                continue  # the introduction itself; a lower-case word is no name
            out.append(Term(m.start(), m.end(), "bodies", code))
        return out

    def _group_index(self, group: str) -> tuple[list[int], list[int], list[Any]]:
        """Start offsets and hits of a vocabulary group, found on first use."""
        items = self.terms[group]
        got = self._index[group] = ([x.start for x in items], [x.end for x in items], items)
        return got

    def _disambiguate(self, places: list[Any]) -> list[Any]:
        """A name several places share is the one in the country the text is about
        ("al-Hamdaniya district of Aleppo" is in Syria, not Iraq): the country of the
        place right after it, else the country most of the text's unambiguous places are in."""
        import dataclasses
        from collections import Counter

        sure = Counter(p.candidates[0].country for p in places if len({c.country for c in p.candidates}) == 1)
        out = []
        for i, p in enumerate(places):
            countries = [c.country for c in p.candidates]
            if len(set(countries)) > 1:
                nxt = places[i + 1] if i + 1 < len(places) else None
                want = None
                if nxt is not None and self.lay.tokens_between(p.end, nxt.start) <= 4:
                    want = nxt.candidates[0].country
                if want not in countries and sure:
                    want = next((c for c, _ in sure.most_common() if c in countries), None)
                if want is not None and want != countries[0]:
                    best = [c for c in p.candidates if c.country == want]
                    rest = [c for c in p.candidates if c.country != want]
                    p = dataclasses.replace(p, candidates=tuple(best + rest))
            nxt = places[i + 1] if i + 1 < len(places) else None
            b0 = max(0, p.start - len(p.prefix) - 12)
            if (
                nxt is not None
                and self.lay.tokens_between(p.end, nxt.start) <= 4
                and nxt.candidates[0].country not in countries
                and re.search(r"(?:حي|احياء|district|neighbou?rhood)\s+(?:of\s+)?(?:the\s+)?$", self.f[b0 : p.start - len(p.prefix)])
            ):
                # "حي المشهد في مدينة اللطامنة" is a district of Ltamenah, not Mashhad in Iran
                n0, n1 = self.ft.src_span(p.start - len(p.prefix), p.end)
                place = self._unlisted(self.f[p.start - len(p.prefix) : p.end], self.norm[n0:n1], "neighbourhood", nxt.candidates[0])
                p = dataclasses.replace(p, candidates=(place,))
            out.append(p)
        return out

    # ------------------------------------------------------------ places the gazetteer lacks
    def _unknown_places(self) -> list[Any]:
        """"بلدة كبانة بريف اللاذقية", "the village of Kabani near Latakia": a place the
        gazetteer does not know, named after a place word and located by a known place.
        It keeps its name as written, the country of the place that locates it, and no
        coordinates."""
        from bayyina.extract.gazetteer import PlaceMatch

        out: list[Any] = []
        known = [(p.start, p.end) for p in self.places]
        for m in _unknown_place_matches(self.f):
            group = "name" if m.group("name") else "name_en"
            a, b = m.span(group)
            name = m.group(group)
            second = m.group("name2") if group == "name" else None
            if second and second not in _NOT_NAMES and not any(
                    p.start < m.end("name2") and m.start("name2") < p.end for p in self.places):
                b, name = m.end("name2"), name + " " + second  # "قرية قليب الثور"
            if group == "name_en":  # a Latin name is capitalised where it is written
                words = name.split(" ")
                n0, _ = self.ft.src_span(a, b)
                if not self.norm[n0 : n0 + 1].isupper():
                    continue
                if len(words) == 2:
                    w0, _ = self.ft.src_span(a + len(words[0]) + 1, b)
                    if not self.norm[w0 : w0 + 1].isupper():  # "Al-Hamadaniyah and ..." -> one word
                        b = a + len(words[0])
                        name = words[0]
            if any(x < b and a < y for x, y in known) or name.split()[-1] in _NOT_NAMES or len(name) < 3:
                continue
            after = self.lay.tokens_after(b, 4)
            # "الواقعة على بعد 20 كيلومتراً جنوب مدينة كركوك", also after "ذات الغالبية التركمانية،"
            far = _DISTANCE.search(self.f, b, min(len(self.f), b + 160))
            if far and far.start() <= self.lay.tokens_after(b, 6):
                after = self.lay.tokens_after(far.end(), 4)
            loc = [p for p in self.places if b <= p.start < after and self._place(p).kind != "country"]
            tail = self.f[b : loc[0].start] if loc else ""
            located = bool(loc) and (self.v.has("locator", tail) or not tail.strip(" ,"))
            # "the village of Al-Hamadaniyah": a capitalised name after an English place word stands alone
            alone = group == "name_en" and m.group("head_en") not in ("near", "outside")
            # "عند تقاطع كسك", "حاجز القطيفة": a junction, checkpoint or crossing is named for its place
            junction = group == "name" and m.group("head").endswith(("تقاطع", "مفرق", "حاجز", "معبر", "دوار"))
            if junction and name.startswith(("ال", "ل")):
                continue  # "حاجز للجيش" "an army checkpoint", "دوار البلدية" "the town hall roundabout"
            # "قرية العريمة", "بلدة التح": a settlement word names the place even when none locates it
            settlement = group == "name" and m.group("head").endswith(("قريه", "بلده", "قريتي", "بلدتي", "مخيم", "مزرعه"))
            alone = alone or junction or settlement
            if not (located or alone):
                continue
            host = self._place(loc[0]) if located else None
            n0, n1 = self.ft.src_span(a, b)
            surface = self.norm[n0:n1]
            kind = "neighbourhood" if (m.group("head") or m.group("head_en")).endswith(("حي", "hood")) else "village"
            out.append(PlaceMatch(a, b, name, (self._unlisted(name, surface, kind, host),), ""))
        for m in _DISTRICT_AFTER.finditer(self.f):
            # "on the al-Rashideen district", "the Sukkari neighbourhood": a capitalised name (after
            # its article) before the place word
            a, b = m.span("name")
            n0, n1 = self.ft.src_span(a + len(m.group("art") or ""), b)
            if not self.norm[n0 : n0 + 1].isupper() or any(x < b and a < y for x, y in known + [(p.start, p.end) for p in out]):
                continue
            n0, n1 = self.ft.src_span(a, b)
            out.append(PlaceMatch(a, b, m.group("name"), (self._unlisted(m.group("name"), self.norm[n0:n1], "neighbourhood", None),), ""))
        return out

    def _unlisted(self, folded: str, surface: str, kind: str, host: Any | None) -> Any:
        """A place the gazetteer lacks: its name as written, the country of the place that
        locates it (else the country the text's other places are in), no coordinates."""
        from collections import Counter

        from bayyina.extract.gazetteer import Place

        arabic = not surface.isascii()
        if host is not None:
            country: str | None = host.country
        else:
            # not the wire's dateline city ("BEIRUT (Reuters) -"): where it was written
            counts = Counter(
                p.candidates[0].country for p in self.places
                if p.candidates[0].kind != "country" and not (
                    _YEARLESS_DATELINE.match(self.f, p.end)
                    and not self.f[self.f.rfind("\n", 0, p.start) + 1 : p.start - len(p.prefix)].strip()
                )
            )
            country = counts.most_common(1)[0][0] if counts else None
        if host is not None:
            self._hosts.setdefault("text:" + folded, host.id)
        return Place(
            id="text:" + folded,
            name=_translit(folded) if arabic else surface,
            name_ar=surface if arabic else "",
            country=country,
            lat=None,
            lon=None,
            geonames_id=None,
            kind=kind,
            admin1=(host.admin1 or (host.name if host.kind == "governorate" else None)) if host is not None else None,
            population=0,
            aliases=(),
        )

    @staticmethod
    def _first_line_date(f: str) -> dt.date | None:
        """"Published: 5 April 2017" on a short first line is the text's dateline."""
        from bayyina.extract.dates import find_dates

        first = f.split("\n", 1)[0]
        if len(first) > 80 or "\n" not in f:
            return None
        if re.match(r"\s*(?:incident|case|attack|الحادثه|حادثه|الواقعه|الهجوم)\b", first):
            return None  # "Incident 3 - 30 March 2017, Ltamenah.": a heading, not a publication line
        days = [d for d in find_dates(first) if d.has_year and d.precision == "day"]
        return days[0].first if len(days) == 1 else None

    # ------------------------------------------------------------ helpers
    def _fill_years(self, dates: list[Any]) -> list[Any]:
        """A date whose year the text leaves out takes the nearest year the text gives."""
        import dataclasses

        years = [(d.start, d.first.year) for d in dates if d.year_source in ("mention", "dateline", "context")]
        if self.dateline is not None:
            years.append((0, self.dateline.year))
        out = []
        for d in dates:
            if d.kind == "yearless" and d.year_source is None and _YEARLESS_DATELINE.match(self.f, d.end) and (
                _WIRE_HEAD.fullmatch(self.f, self.f.rfind("\n", 0, d.start) + 1, d.start)
            ):
                out.append(d)  # "SOFIA, Jan 23 (Reuters) -": the wire's dateline, no attack day of a year
                continue
            if d.kind == "yearless" and d.year_source is None and years:
                before = [y for pos, y in years if pos <= d.start]
                after = [y for pos, y in years if pos > d.start]
                year = before[-1] if before else after[0]
                try:
                    first = d.first.replace(year=year)
                    last = d.last.replace(year=year)
                except ValueError:
                    out.append(d)
                    continue
                d = dataclasses.replace(d, first=first, last=last, year_source="context")
            out.append(d)
        return out

    def _span(self, name: str, a: int, b: int) -> list[Any]:
        """The mentions of one kind (places, dates, casualties, a term group) inside [a, b)."""
        starts, ends, items = self._index.get(name) or self._group_index(name)
        i = bisect_left(starts, a)
        j = bisect_left(starts, b, i)
        if i == j:
            return []
        return [items[k] for k in range(i, j) if ends[k] <= b]

    def _touching(self, name: str, a: int, b: int) -> list[Any]:
        """Mentions that overlap [a, b) (they are at most a few hundred characters long)."""
        return [x for x in self._span(name, max(0, a - 300), b + 300) if x.start < b and a < x.end]

    def _in(self, group: str, a: int, b: int) -> list[Term]:
        return self._span(group, a, b)

    def _has(self, group: str, a: int, b: int) -> bool:
        starts, ends, _items = self._index.get(group) or self._group_index(group)
        i = bisect_left(starts, a)
        j = bisect_left(starts, b, i)
        for k in range(i, j):
            if ends[k] <= b:
                return True
        return False

    def _planned_only(self, s: Sentence) -> bool:
        """Every attack the sentence tells is planned, warned of or feared ("preparing to use
        chemicals", "حذّر من أن ... تخطط لاستخدام"): it tells no attack that happened."""
        attacks = self._attack_positions(s)
        return bool(attacks) and self._sent_has("hypothetical", s) and all(
            self._has("hypothetical", self.lay.tokens_before(a, 8, s.start), a) for a in attacks
        )

    def _sent_has(self, group: str, s: Sentence) -> bool:
        """:meth:`_has` over a whole sentence, computed once per document."""
        key = (group, s.index)
        got = self._sent_has_cache.get(key)
        if got is None:
            got = self._sent_has_cache[key] = self._has(group, s.start, s.end)
        return got

    def _chemical(self, a: int, b: int) -> bool:
        if self._has("agents", a, b) and self._affirmed("agents", a, b):
            return True
        if self.terms.get("riot") and self._in("riot", max(0, a - 200), b + 200):
            # "Police fired tear gas at demonstrators, dozens suffocated": riot-control gas and its
            # effects are no chemical weapon; only a named agent counts beside it
            return False
        return self._has("chemical", a, b) and self._affirmed("chemical", a, b)

    def _affirmed(self, group: str, a: int, b: int) -> bool:
        """Some hit of ``group`` in [a, b) is not disproved right before it ("found no evidence
        that chemicals were used", "لا دليل على استخدام غاز سام")."""
        if not self.terms.get("disproof"):
            return True
        for t in self._in(group, a, b):
            s = self.lay.sentence_at(t.start)
            if not self.v.has("disproof", self.f[self.lay.tokens_before(t.start, 6, s.start) : t.start]):
                return True
        return False

    def _attack_positions(self, s: Sentence) -> list[int]:
        """Offsets of attack cues in a sentence ("used" only with a chemical word after it)."""
        if s.index in self._attack_cache:
            return self._attack_cache[s.index]
        pos = [t.start for t in self._in("attack", s.start, s.end)]
        for t in self._in("use", s.start, s.end):
            if _MANDATE.search(self.f, self.lay.tokens_before(t.start, 5, s.start), t.start):
                continue  # "الفريق المكلف بالتحقيق في استخدام الأسلحة الكيميائية": a mandate, no attack
            after = self.lay.tokens_after(t.end, 5, s.end)
            before = self.lay.tokens_before(t.start, 5, s.start)
            if (self._chemical(t.end, after) and not self._has("event", t.end, after)) or self._chemical(before, t.start):
                pos.append(t.start)  # not "تستخدم الفيتو ضد مشروع قرار بشأن الكيماوي"
        pos += [c.start for c in self._span("casualties", s.start, s.end)]  # "قُتلوا في سرمين"
        self._attack_cache[s.index] = sorted(pos)
        return self._attack_cache[s.index]

    def _generic_code(self, t: Term) -> str | None:
        """The inquiry a generic word names: "the Commission" is the Commission of Inquiry when
        the text names it (or names no inquiry), else the text's principal body."""
        key = (t.start, t.end)
        if key in self._generic_cache:
            return self._generic_cache[key]
        got = self._generic_cache[key] = self._generic_code_uncached(t)
        return got

    def _generic_code_uncached(self, t: Term) -> str | None:
        named = {x.code for x in self.terms.get("bodies", [])}
        for g in self.v.groups:
            if g.startswith(("default_", "named_")) and any(x.start <= t.start < x.end or t.start <= x.start < t.end
                                                          for x in self._touching(g, t.start, t.end)):
                code = g.split("_", 1)[1]
                # "named_": only beside the body's own name ("الفريق" after "فريق التحقيق وتحديد الهوية")
                if code in named or (g.startswith("default_") and not (named & set(self.v.investigative))):
                    return code
        return self.principal_body

    def _principal_body(self) -> str | None:
        """The most specific investigative body the text names ("the report" refers to it)."""
        def called_on(t: Term) -> bool:  # the inquiry a text calls on to investigate ("يطالب المركز ... البعثة بالتحقيق")
            return _DEMAND.search(self.f, self.lay.tokens_before(t.start, 12), t.start) is not None

        named = {t.code for t in self.terms.get("bodies", []) if t.code in self.v.investigative and not called_on(t)}
        ranked = [c for c in _BODY_PRIORITY if c in named]
        if ranked:
            return ranked[0]
        # none named: "The Commission has reasonable grounds to believe" means the Commission of Inquiry
        first = min(
            ((t.start, g[len("default_"):]) for g in self.v.groups if g.startswith("default_")
             for t in self.terms[g] if not called_on(t)),
            default=None,
        )
        return first[1] if first is not None and first[1] in self.v.investigative else None

    # ------------------------------------------------------------ places
    def _place(self, pm: Any) -> Any:
        return pm.candidates[0]

    def _capital_speaks(self, pm: Any, s: Sentence) -> bool:
        """"ونفت القاهرة", "اتهمت دمشق": a city right after a speech, denial or accusation verb, with
        no preposition, is the state speaking, not a place."""
        if self._place(pm).kind != "city" or pm.prefix.lstrip("وف") not in ("", "ال", "ل"):
            return False
        b1 = self.lay.tokens_before(pm.start - len(pm.prefix), 1, s.start)
        if _CONSENT_OF.search(self.f, b1, pm.start - len(pm.prefix)):
            return True  # "موافقة دمشق على دخوله", "أي مسؤولية لدمشق عن الهجوم": the state as a party
        if pm.prefix.lstrip("وف") == "ل":
            return False
        if self.f[b1 : pm.start - len(pm.prefix)].strip() in ("علي", "وعلي") and _OWES.match(self.f, pm.end):
            return True  # "وعلى موسكو تقديم إجابات": what the state owes
        return any(self._has(g, b1, pm.start - len(pm.prefix)) for g in ("speech", "denial", "accuse"))

    def _is_locative(self, pm: Any, s: Sentence, prev: Any | None, prev_loc: bool, located_to: int = -1) -> bool:
        prefix = pm.prefix.lstrip("وف")
        if _POSSESSIVE.match(self.f, pm.end) and any(
                t.start <= pm.start and pm.end <= t.end for t in self._touching("bodies", pm.start, pm.end)):
            return False  # "as Damascus's main military backer": a capital's state, a party
        if prefix == "ل" and self._capital_speaks(pm, s):
            return False  # "أي مسؤولية لدمشق عن الهجوم": the state as a party
        if prefix.startswith(("ب", "ل")) and prefix not in ("ال",):
            return True
        b1 = self.lay.tokens_before(pm.start, 1, s.start)
        if re.fullmatch(r"\s*(?:by|قبل)\s*", self.f[b1 : pm.start]):
            return False  # "use of toxic gas by Damascus", "من قبل دمشق": the actor
        if self._capital_speaks(pm, s):
            return False  # "ونفت القاهرة", "اتهمت دمشق": a capital that speaks for its state
        if re.match(r"(?:مدينه|بلده|قريه|مخيم|حي) ", self.f[pm.start : pm.end]):
            return True  # "لتقصف بالطريقة نفسها مدينة اللطامنة": the place word is part of the name
        a = self.lay.tokens_before(pm.start, 3 if not pm.surface.isascii() else 4, s.start)
        window = self.f[a : pm.start]
        if self.v.has("locative", window):
            return True
        if prev is not None and prev_loc:
            # "at Zamalka ... and Jobar in the eastern Ghouta, as well as Moadamiya": counted from
            # the place that locates the one before, when there is one
            ref = max(prev.end, located_to)
            if self.lay.tokens_between(ref, pm.start) <= 5:
                gap = self.f[ref : pm.start]
                if pm.prefix.startswith("و") or _COORD.search(gap) or _LIST_JOIN.search(gap):
                    return True
        return False

    def _is_locator(self, pm: Any, prev: Any) -> bool:
        """``pm`` only locates ``prev`` ("خان العسل بالقرب من حلب", "Douma in Eastern Ghouta",
        "حي الشيخ مقصود ذا الغالبية الكردية في مدينة حلب")."""
        gap = self.f[prev.end : max(prev.end, pm.start - len(pm.prefix))]  # not the name's own clitics
        n = self.lay.tokens_between(prev.end, pm.start)
        far = _DISTANCE.search(gap)  # "الواقعة على بعد 20 كيلومتراً جنوب مدينة كركوك"
        if far:
            gap = gap[: far.start()] + " " + gap[far.end() :]
            n -= len(far.group().split())
        if n > 8:
            return False
        a, b = self._place(prev), self._place(pm)
        ra, rb = KIND_RANK.get(a.kind, 3), KIND_RANK.get(b.kind, 3)
        near = re.fullmatch(r"\s*(?:(?:region|area|suburbs)\s+)?(?:near|outside|of|قرب|بالقرب من)\s*|\s*(?:area|region|suburbs)\s+of\s*", gap) is not None
        if (rb < ra or (rb == ra and b.population <= a.population)) and not (near and a.kind == "region" and b.kind == "city"):
            return False
        if near and a.kind == "region" and b.kind == "city":
            return True  # "the Ghouta region near Damascus": a city locates the region around it
        if _APPOSITION_IN.fullmatch(gap) and rb > ra:
            return True  # "في مدينة دوما، آخر معاقل المعارضة في الغوطة الشرقية", "Douma, the last rebel enclave in"
        if _contains(b, a) and not pm.prefix.startswith("و"):
            return True  # "أحياء الخالدية وشارع النيل والزهراء في مدينة حلب"
        if self._hosts.get(a.id) == b.id and (
                _HOST_GAP.fullmatch(gap) or (pm.prefix.startswith("ب") and _HOST_GAP_B.fullmatch(gap))):
            return True  # "حي الوعر المحاصر في مدينة حمص": the place that located an unlisted one
        if pm.prefix.startswith("و") or re.search(r"(?<!\w)(?:و\w*|and)(?!\w)", gap):
            return False
        if n > 6:
            return False  # "Kafr Zeita in the central province of Hama": locator words only, checked below
        rest = gap
        words = self.v.find("locator", gap)
        for t in words:
            rest = rest.replace(gap[t.start : t.end], " ")
        rest = re.sub(r"[\s,،()\-–]+", "", rest)
        if rb == ra and not words and not pm.prefix.lstrip("وف").startswith("ب"):
            return False  # "Ein Tarma, Moadamiyah and Zamalka": a list, not a locator
        return not rest

    def _place_roles(self, s: Sentence) -> list[tuple[Any, bool, bool]]:
        """(place, locative, locator) for each place mention of a sentence."""
        if s.index in self._roles_cache:
            return self._roles_cache[s.index]
        out: list[tuple[Any, bool, bool]] = []
        prev = None
        prev_loc = False
        last_locator = None
        for pm in self._span("places", s.start, s.end):
            after_locator = last_locator is not None and prev is not None and last_locator.start > prev.start
            loc = self._is_locative(pm, s, prev, prev_loc, last_locator.end if after_locator and last_locator is not None else -1)
            locator = prev is not None and self._is_locator(pm, prev)
            if not locator and after_locator:
                # "Zamalka in the Ghouta area of Damascus": Damascus locates the locator
                locator = self._is_locator(pm, last_locator)
            if locator:
                last_locator = pm
            if locator and prev is not None:
                self.locates.setdefault(prev.start, pm)  # the nearest container ("حي X في مدينة Y بريف Z": Y)
            if locator and prev is not None and self._place(prev).kind in ("neighbourhood", "district"):
                self.parent.setdefault(self._place(prev).id, self._place(pm))  # "حي التليل في سراقب"
            out.append((pm, loc, locator))
            if not locator:
                prev, prev_loc = pm, loc
        self._roles_cache[s.index] = out
        return out

    def _antecedent(self, s: Sentence) -> list[Any]:
        """"ألقت مروحية برميلاً على الحي الجنوبي من البلدة", "on the town": a sentence about an
        attack that names no place but "the town" means the town named just before."""
        found = [m.group() for m in _ANAPHOR.finditer(self.f, s.start, s.end)]
        if not found:
            return self._scene(s)
        # "الحي", "the district" stand for a district named before; "البلدة", "the town" (also in
        # "الحي الجنوبي من البلدة") for a town
        district = all(re.search(r"حي|district|neighbou?rhood", g) for g in found)
        kinds = ("neighbourhood", "district") if district else ("city", "town", "village")
        for j in (s.index - 1, s.index - 2):
            if j < 0:
                break
            prev = self.lay.sentences[j]
            towns = self._towns(prev, kinds)
            # not a town named as a yardstick ("قبل مجزرة خان شيخون", "before the Khan Shaykhun attack",
            # "قبل أن تطغى عليها مجزرة خان شيخون"): then the sentence before that names the town
            kept = [pm for pm in towns if not (self._named_reference(pm, prev) and (_YARDSTICK_BEFORE.search(
                self.f, self.lay.tokens_before(pm.start, 3, prev.start), pm.start) or _YARDSTICK_FAR.search(
                self.f, self.lay.tokens_before(pm.start, 7, prev.start), pm.start)))]
            if towns and not kept and j == s.index - 1:
                continue
            towns = kept or towns
            if towns:
                # the town of the chemical attack told, not one shelled in another clause
                chem_towns = [pm for pm in towns if self._chemical(*self._clause_of(pm.start, prev))]
                return [(chem_towns or towns)[-1]]
        return []

    def _towns(self, s: Sentence, kinds: tuple[str, ...]) -> list[Any]:
        """The places of these kinds a sentence puts something in (no locators, no offices)."""
        return [pm for pm, _loc, locator in self._place_roles(s)
                if not locator and self._place(pm).kind in kinds and not self._office(pm, s)]

    def _inquiry_finding(self, s: Sentence) -> bool:
        """"These found that the Syrian Arab Air Force was responsible for the attacks on Ltamenah in
        March 2017, on Saraqib ...", after "three earlier IIT reports": a chemical-weapons inquiry's
        finding of responsibility is about chemical attacks, though the sentence names no chemical."""
        if not (self._sent_has("finding", s) and _RESPONSIBLE.search(self.f, s.start, s.end)):
            return False
        prev = self.lay.sentences[s.index - 1] if s.index > 0 else s
        return any(t.code.startswith("opcw") for t in self._in("bodies", prev.start, s.end))

    def _in_navigation(self, s: Sentence) -> bool:
        """Is the sentence a listed line under a "انظر أيضاً", "المراجع", "See also", "References"
        heading ("* الهجوم الكيميائي على الغوطة", "1. «سوريا: أدلة قوية ...» – هيومن رايتس ووتش،
        13 أيار 2014")? The list runs from the heading over list items and blank lines."""
        if self._nav is None:
            self._nav = []
            f = self.f
            for m in _NAV_HEADING.finditer(f):  # one scan of the text; headings are rare
                end = m.end()
                for n in _LINE.finditer(f, m.end() + 1):
                    item = n.group()
                    if item.strip() and not _NAV_ITEM.match(item):
                        break
                    end = n.end()
                self._nav.append((m.end(), end))
        return any(a <= s.start < b or a < s.end <= b for a, b in self._nav)

    def _scene_date(self, s: Sentence) -> Any | None:
        """"فجر الأربعاء 21 آب 2013، استيقظ أهالي الغوطة الشرقية على الموت. صواريخ محمّلة بغاز
        السارين ... على زملكا وعين ترما": an attack sentence without any date takes the one day of
        the sentence just before it when that sentence sets the scene (it tells no attack and no
        meeting, vote or report of its own)."""
        if s.index == 0 or any(self._usable_date(d) for d in self._span("dates", s.start, s.end)):
            return None
        prev = self.lay.sentences[s.index - 1]
        if prev.index in self._sentence_anchors or self._attack_positions(prev) or self._sent_has("event", prev):
            return None
        dates = [d for d in self._span("dates", prev.start, prev.end) if self._usable_date(d)]
        if len(dates) != 1 or dates[0].precision != "day":
            return None
        return dates[0]

    def _scene(self, s: Sentence) -> list[Any]:
        """"On the morning of 16 March 1988, the town of Halabja woke to the sound of Iraqi jets. ...
        For about five hours the aircraft dropped bombs filled with mustard gas": an attack told
        without place or date by "the aircraft", after a sentence that sets a dated scene in one
        town and tells no attack of its own."""
        if not _THE_AIRCRAFT.search(self.f, s.start, s.end) or any(
                self._usable_date(d) for d in self._span("dates", s.start, s.end)):
            return []
        for j in (s.index - 1, s.index - 2):
            if j < 0:
                return []
            prev = self.lay.sentences[j]
            if j in self._sentence_anchors or self._attack_positions(prev):
                return []
            towns = self._towns(prev, ("city", "town", "village"))
            dates = [d for d in self._span("dates", prev.start, prev.end) if self._usable_date(d)]
            if len({self._place(pm).id for pm in towns}) == 1 and len(dates) == 1:
                self._scene_of[s.index] = dates[0]
                return towns[:1]
            if towns or self._span("places", prev.start, prev.end):
                return []
        return []

    def _lone_place(self, s: Sentence, roles: list[tuple[Any, bool, bool]]) -> list[Any]:
        """"Incident 2014-04-29, Al-Tamanah (Idlib governorate): ... chlorine had been used":
        a sentence about a chemical attack that names one place, without a preposition."""
        places = [
            pm
            for pm, _loc, locator in roles
            if not locator
            and self._place(pm).kind not in ("country", "governorate")
            and not any(self._touching(g, pm.start, pm.end) for g in ("bodies", "actors"))
            and not self._speaker_location(pm, s)
            and not self._weak_place(pm, s)
            and not self._capital_speaks(pm, s)
            # "prepare for the battle to retake Mosul", "معركة تحرير الموصل": a war aim, no attacked place
            and not _BATTLE_FOR.search(self.f, self.lay.tokens_before(pm.start, 3, s.start), pm.start - len(pm.prefix))
        ]
        if len(places) != 1:
            return []
        pm = places[0]
        head = self.f[s.start : pm.start].strip(" \n-—(")
        # a record's label: "كفرزيتا (ريف حماة الشمالي): ألقت ...", and further down a list "كفرزيتا: ..."
        label = _PLACE_LABEL.match(self.f, pm.end)
        if label and (label.group(1) or s.start > 0):
            return [pm]
        if not head or re.match(r"[\s,]*(?:\w+\s*)?[(—-]", self.f[pm.end : pm.end + 20]):
            return []  # a dateline: "THE HAGUE, Netherlands (AP) —"
        if not self._attack_role_ok(s, pm.start, pm.end, self._attack_positions(s)):
            return []
        return places

    def _clause_of(self, pos: int, s: Sentence) -> tuple[int, int]:
        """The clause around ``pos``: between ';' breaks and "while / بينما / في حين"."""
        brk = _CLAUSE_BREAK
        c0 = s.start
        for m in brk.finditer(self.f, s.start, pos):
            c0 = m.end()
        m2 = brk.search(self.f, pos, s.end)
        return c0, (m2.start() if m2 else s.end)

    def _clause_end(self, pos: int, s: Sentence) -> int:
        """The end of the clause running at ``pos``: the next ';' or the sentence end."""
        m = re.compile(r"[;؛]").search(self.f, pos, s.end)
        return m.start() if m else s.end

    def _office(self, pm: Any, s: Sentence) -> bool:
        """"مصدر في قيادة شرطة حلب", "Idlib's health directorate": an office named after the place."""
        head = pm.start - len(pm.prefix)
        if _PRESENT_IN.search(self.f, self.lay.tokens_before(head, 3, s.start), head) and _SINCE_AFTER.match(self.f, pm.end):
            return True  # "بعثة الأمم المتحدة، الموجودة في دمشق منذ 18 آب": where a mission stays, since when
        return _INSTITUTION_OF.search(self.f, self.lay.tokens_before(head, 3, s.start), head) is not None

    def _origin(self, pm: Any, s: Sentence) -> bool:
        """"بصواريخ أُطلقت من مواقعها في محيط إدارة المركبات بحرستا", "rockets fired from their
        positions in Harasta": where the attack came from, not where it struck."""
        b0 = self.lay.tokens_before(pm.start, 8, s.start)
        last = None
        for m in _ORIGIN.finditer(self.f, b0, pm.start):
            last = m
        if last is not None and not _NEW_TARGET.search(self.f, last.end(), pm.start - len(pm.prefix)):
            return True
        # "من منطقة كفرداعل باتجاه بلدة خان العسل", "from X towards Y": X is where it came from
        head = pm.start - len(pm.prefix)
        if _FROM_BEFORE.search(self.f, self.lay.tokens_before(head, 2, s.start), head) and _TOWARDS_AFTER.match(self.f, pm.end):
            return True
        # "طائرة كانت تقله من مدينة تومسك في سيبيريا إلى موسكو", "a flight from Tomsk to Moscow": where
        # the journey was going
        if re.search(r"(?<!\w)(?:الي|to)\s*$", self.f[self.lay.tokens_before(head, 1, s.start) : head]):
            b0 = self.lay.tokens_before(head, 8, s.start)
            return any(b0 <= p.start < head and _FROM_BEFORE.search(self.f, self.lay.tokens_before(
                p.start - len(p.prefix), 2, s.start), p.start - len(p.prefix)) for p in self._span("places", b0, head))
        return False

    def _outskirts(self, pm: Any, s: Sentence) -> bool:
        """"suburbs of Damascus", "ضواحي دمشق": around the city, not in it."""
        b0 = self.lay.tokens_before(pm.start, 3, s.start)
        return bool(re.search(r"(?:suburbs?|outskirts|environs)\s+of(?:\s+the)?\s*$|(?:ضواحي|اطراف|محيط)\s*$", self.f[b0 : pm.start]))

    def _care_place(self, pm: Any, s: Sentence) -> bool:
        """"Three hospitals in the Damascus governorate received 3,600 patients", "نُقلوا إلى
        مشافٍ في إدلب": where the victims were treated, not where the attack was (unless the
        hospital itself was attacked: "a strike on a hospital in X")."""
        b0 = self.lay.tokens_before(pm.start - len(pm.prefix), 4, s.start)
        m = _CARE.search(self.f, b0, pm.start - len(pm.prefix))
        if m is None:
            return False
        h0 = self.lay.tokens_before(m.start(), 2, s.start)
        return not self._has("attack", h0, m.start()) and not re.search(r"(?<![a-z])(?:on|at)\s+(?:an?\s+|the\s+)?$|(?:علي|استهدف\w*)\s*$", self.f[h0 : m.start()])

    def _weak_place(self, pm: Any, s: Sentence) -> bool:
        """A small GeoNames village whose name is also a word ("القبو", the cellar) is taken for
        a place only after a place word ("قرية القبو") or when a known place locates it."""
        p = self._place(pm)
        if not p.id.startswith("gn:") or p.kind not in ("village", "town") or p.population >= 5000:
            return False
        if p.geonames_id in _curated_geonames_ids():
            return False  # a place we know matters (Al-Tamanah), named in the curated supplement
        b0 = self.lay.tokens_before(pm.start, 2, s.start)
        # (before the name's own article: "قرية العريمة")
        if re.search(r"(?:مدينه|بلده|قريه|حي|منطقه|بلدتي|قريتي|مدينتي|ناحيه|village|town|city|district)\s*$",
                     self.f[b0 : pm.start - len(pm.prefix)]):
            return False
        if pm.prefix.startswith("و") and self._span("places", self.lay.tokens_before(pm.start, 3, s.start), pm.start):
            return False  # "بلدتي قميناس وسرمين"
        return pm.start not in self.locates

    def _named_reference(self, pm: Any, s: Sentence) -> bool:
        key = (pm.start, pm.end, s.index)
        got = self._ref_cache.get(key)
        if got is None:
            got = self._ref_cache[key] = self._named_reference_uncached(pm, s)
        return got

    def _named_reference_uncached(self, pm: Any, s: Sentence) -> bool:
        b0 = self.lay.tokens_before(pm.start, 1, s.start)
        a1 = self.lay.tokens_after(pm.end, 2, s.end)
        r0 = self.lay.tokens_before(pm.start, 8, s.start)
        return bool(
            re.search(r"(?<!\w)[وبل]*(?:ال)?(?:هجوم|مجزره|مجزرتي|كارثه|فاجعه|حادثه|واقعه)\s*$", self.f[b0 : pm.start])
            or re.match(r"\s+(?:chemical\s+|gas\s+|sarin\s+|chlorine\s+)?(?:attack|massacre|incident)\b", self.f[pm.end : a1 + 1])
            or _SITE_OF.match(self.f, pm.end)
            # "Western states launched missile strikes ... after a suspected gas attack in Douma": the
            # sentence tells another event and refers to the attack
            or _IN_RESPONSE.search(self.f[r0 : pm.start]) is not None
        )

    def _named_attack(self, pm: Any, s: Sentence) -> bool:
        """"هجوم خان شيخون", "مجزرة الغوطة", "the Khan Sheikhoun attack", "the Douma chemical attack"."""
        if self._named_reference(pm, s):
            return True  # also "the Douma incident", "حادثة خان شيخون"
        b0 = self.lay.tokens_before(pm.start, 1, s.start)
        if self._has("attack", b0, pm.start) and not self.f[b0 : pm.start].strip().endswith(("في", "على")):
            return any(t.end <= pm.start for t in self._in("attack", b0, pm.start))
        if _SITE_OF.match(self.f, pm.end):
            return True
        a1 = self.lay.tokens_after(pm.end, 2, s.end)
        return any(t.start >= pm.end for t in self._in("attack", pm.end, a1)) and bool(
            re.match(r"\s+(?:chemical\s+|gas\s+|sarin\s+|chlorine\s+)?(?:attacks?|massacre|strike)\b", self.f[pm.end : a1 + 1])
        )

    def _speaker_location(self, pm: Any, s: Sentence) -> bool:
        key = (pm.start, s.index)
        hit = self._where_cache.get(key)
        if hit is None:
            hit = self._where_cache[key] = self._speaker_location_uncached(pm, s)
        return hit

    def _speaker_location_uncached(self, pm: Any, s: Sentence) -> bool:
        """"أفاد أطباء في ريف حماة", "activists in Douma said": where the speaker is."""
        if _SPEAKING_IN.search(self.f, self.lay.tokens_before(pm.start, 6, s.start), pm.start - len(pm.prefix)):
            return True  # "Tillerson, speaking in Paris, said", "في مؤتمر صحفي في موسكو": where it was said
        # "وقال مدير الصحة في إدلب إن ...", "a doctor in Douma said that ...": between a speech
        # verb and what was said
        v0 = self.lay.tokens_before(pm.start, 5, s.start)
        after = self.f[pm.end : self.lay.tokens_after(pm.end, 2, s.end)]
        if self._in("speech", v0, pm.start) and re.match(r"\s*[,،]?\s*(?:ان|بان|انه|that|said|says|told)(?!\w)", after):
            return True
        w0 = self.lay.tokens_before(pm.start, 3, s.start)
        inf = self._in("informant", w0, pm.start)
        if pm.prefix.startswith("و") or re.search(r"(?<![a-z])and\s+$", self.f[max(s.start, pm.start - 6) : pm.start]):
            prev = [p for p in self._span("places", self.lay.tokens_before(pm.start, 3, s.start), pm.start) if p.end <= pm.start - len(pm.prefix)]
            if prev and prev[-1].start != pm.start and self._speaker_location(prev[-1], s):
                return True  # "وثّق ناشطون في ريفي حماة وإدلب"
        told = re.match(r"\s*[,،]?\s*(?:said|say|says|told|قالوا|افادوا)(?!\w)", self.f[pm.end : pm.end + 20])
        if inf and (told or self._in("speech", self.lay.tokens_before(inf[-1].start, 3, s.start), inf[-1].start)):
            gap = self.f[inf[-1].end : pm.start]
            if re.fullmatch(r"\s*(?:في|من|in|from|at)?\s*(?:ريفي|ريف|مدينه|محافظتي|محافظه)?\s*", gap):
                return True  # "أفاد أطباء في ريف حماة", "said doctors in Douma"
        bodies = self._in("bodies", w0, pm.start)
        if not bodies or not self._is_speaking(bodies[-1], s):
            return False
        gap = self.f[bodies[-1].end : pm.start]
        return bool(re.fullmatch(r"\s*(?:(?:في|من|ب|in|from|at)\s*)?(?:ريفي|ريف|مدينه|محافظتي|محافظه)?\s*", gap)) or (
            pm.prefix.lstrip("وف").startswith("ب") and not gap.strip()
        )

    def _attack_role_ok(self, s: Sentence, pos: int, end: int, attacks: list[int]) -> bool:
        """Is a mention at [pos, end) tied to an attack rather than a meeting, vote, report…?

        The nearest cue before it decides; an attack cue right after it ("the Douma
        attack") wins over an earlier meeting or report."""
        if self._said_on(s, pos):
            return False
        # "In April 2020 it attributed three attacks ...", "In 2017 the JIM concluded": when it was said
        if any(d.start == pos for d in self._span("dates", pos, end)):  # a date
            if _SINCE_DATE.search(self.f, self.lay.tokens_before(pos, 3, s.start), pos):
                return False  # "التي يسيطرون عليها منذ عام 2014", "since 2014": the start of a state, not an attack
            if _ISSUED_ON.search(self.f, self.lay.tokens_before(pos, 3, s.start), pos):
                return False  # "في تقريرها الصادر في 16 أيلول 2013 استخدام ...": when the report came out
            w1 = self.lay.tokens_after(end, 4, s.end)
            # fronted, with a comma: "في نيسان 2020، خلص فريق التحقيق"
            fronted = _FRONT.fullmatch(self.f, s.start, pos) is not None
            for c in (c for g in ("speech", "finding") for c in self._in(g, end, w1)):
                # "In April 2020 it attributed", "في نيسان 2020 خلص الفريق إلى أن" (the verb right after it)
                if _SAYER_AFTER_DATE.fullmatch(self.f, end, c.start) or not self.f[end : c.start].strip() or (
                        fronted and not self.f[end : c.start].strip(" ,،")
                        and not _BY_WORD.fullmatch(self.f, c.start, c.end)) or any(
                        x.end <= c.start and self.f[end : x.start].strip(" ,") in ("", "the") and not self.f[x.end : c.start].strip()
                        for b in ("bodies", "generic_body") for x in self._in(b, end, c.start)):
                    return False
        window_end = self.lay.tokens_after(end, 3, s.end)
        # "the 4 April attack", not "a session on 12 April to discuss the attack"
        # (not "قرار مجلس الأمن في 6 آذار 2015 الذي يدين استخدام الكلور": the resolution's clause)
        after_attack = any(end <= a <= window_end and not self._has("event", end, a)
                           and not _WHICH.search(self.f, end, a) for a in attacks)
        before = [a for a in attacks if a < pos]
        events_told = [t for t in self._in("event", s.start, pos) if not self._frame(t, s)]
        if events_told:
            # (not the "landed" of "the shell landed", an attack's own word)
            told = self._in("attack", s.start, s.end)
            events_told = [t for t in events_told if not any(a.start <= t.start and t.end <= a.end for a in told)]
        events = [t.start for t in events_told]
        if events and (not before or events[-1] > before[-1]):
            return after_attack
        if before:
            # "warned that militants were preparing to stage the use of chemicals in X"
            h0 = self.lay.tokens_before(before[-1], 8, s.start)
            return not self._has("hypothetical", h0, before[-1])
        # nothing before it: the first cue after it decides ("in London to remember the victims")
        later = sorted([(a, "attack") for a in attacks if a >= end]
                       + [(t.start, "event") for t in self._in("event", end, s.end) if not self._frame(t, s)])
        return bool(later) and later[0][1] == "attack"

    def _told_after(self, s: Sentence) -> Anchor | None:
        """The anchor of the sentence before ``s`` when that sentence tells an attack on one town
        with no chemical word, no meeting or report, and ``s`` (chemical, placeless) goes on."""
        prev = self.lay.sentences[s.index - 1]
        attacks = self._attack_positions(prev)
        if not attacks or self._chemical(prev.start, prev.end) or self._sent_has("event", prev) \
                or _SEPARATE.match(self.f, s.start):
            return None
        towns = [pm for pm, loc, locator in self._place_roles(prev)
                 if loc and not locator and self._place(pm).kind in ("city", "town", "village", "neighbourhood")
                 and not self._speaker_location(pm, prev) and not self._care_place(pm, prev) and not self._origin(pm, prev)]
        if len(towns) != 1 or not self._attack_role_ok(prev, towns[0].start, towns[0].end, attacks):
            return None
        a = Anchor(prev, towns[0], (prev.start, prev.end), -1)
        a.date = self._region_date(a)
        return a

    def _said_on(self, s: Sentence, pos: int) -> bool:
        """"An OPCW investigation concluded in 2017 that ...", "said on Thursday": a mention at
        ``pos`` right after a verb of saying, finding or denying tells when it was said."""
        p0 = self.lay.tokens_before(pos, 5, s.start)
        d_at = next((d for d in self._span("dates", pos, s.end) if d.start == pos), None)
        if d_at is not None and _THAT_AFTER_DATE.match(self.f, d_at.end) and any(
                self._in(g, self.lay.tokens_before(pos, 14, s.start), pos) for g in ("finding", "speech")):
            return True  # "وخلصت الآلية ...، في تشرين الأول من العام نفسه، إلى أن": when it concluded
        of_that: bool | None = None  # the date at pos followed by "of" / "that", tested on first need
        for g in ("speech", "finding", "denial"):
            for c in self._in(g, p0, pos):
                if re.fullmatch(r"\s*(?:in|on)?\s*", self.f[c.end : pos]):
                    return True
                # "accused government forces on Wednesday of dropping chlorine", "told Reuters on
                # Friday that": the one it is said to, then the day, then what was said
                if _SAID_TO_ON.fullmatch(self.f, c.end, pos):
                    if of_that is None:
                        of_that = d_at is not None and _OF_THAT.match(self.f, d_at.end) is not None
                    if of_that:
                        return True
        return False

    def _frame(self, e: Term, s: Sentence) -> bool:
        """An event word that only carries what is said: "said in a statement that", "قالت ... في
        بيان مشترك إن", "in its report on the incident": the words inside tell the attack."""
        w0 = self.lay.tokens_before(e.start, 4, s.start)
        w1 = self.lay.tokens_after(e.end, 5, s.end)  # "في بيان صدر اليوم السبت إن"
        said = any(self._in(g, s.start, e.start) for g in ("speech", "allegation", "finding"))
        return bool(said and _THAT.search(self.f, e.end, w1)) or bool(_ITS_REPORT_ON.search(self.f, w0, min(s.end, e.end + 12)))

    # ------------------------------------------------------------ anchors
    def _anchors(self) -> list[Anchor]:
        anchors: list[Anchor] = []
        for s in self.lay.sentences:
            if _RELATED_LINE.match(self.f, s.start) or self._in_navigation(s):
                continue  # "اقرأ أيضاً: ...", "Read more: ...", "انظر أيضاً" / "المراجع" lists: other pages
            attacks = self._attack_positions(s)
            if attacks and self._planned_only(s):
                continue  # "معلومات عن محاولات التنظيم استخدام الكلور في مناطق أخرى": no attack that happened
            # a table row: "21 April 2014 | Talmenes | chlorine | helicopter"
            # or a list entry: "2- الخميس 30 آذار 2017: اللطامنة – ريف حماة الشمالي – غاز السارين – إصابة 70 شخصاً"
            bars, dashes = self._row_kinds(s)
            table = (bars or (dashes and bool(self._agents(s.start, s.end)))) and bool(self._span("dates", s.start, s.end))
            if not attacks and not table and not any(
                self._named_reference(pm, s) for pm in self._span("places", s.start, s.end)
            ):
                continue  # no attack told, and no known attack named ("the Douma incident")
            if self._sent_has("accident", s) and not re.search(
                r"(?<![a-z])attack|(?<!\w)(?:[وبل]*(?:ال)?)(?:هجوم|قصف|هجمات|استهداف)", self.f[s.start : s.end]
            ):
                continue  # "a chlorine leak at a water treatment plant killed 13"
            chem = self._chemical(s.start, s.end) or (bool(attacks) and self._inquiry_finding(s))
            if chem and _RADIOLOGICAL.search(self.f, s.start, s.end) and not self._agents(s.start, s.end):
                chem = False  # "who was poisoned with polonium-210 in London in 2006": no chemical weapon
            if not chem and attacks and self.chem_count >= 2 and _POISON_WORD.search(self.f, s.start, s.end) \
                    and not _RADIOLOGICAL.search(self.f, s.start, s.end):
                chem = True  # "سُمّم بكوب من الشاي في مقهى مطار تومسك" in a story of novichok told elsewhere
            if not chem and attacks and _SERIES_ITEM.search(self.f, s.start, s.end) and self._series_lead(s) is not None:
                chem = True  # "ووقع الانفجار الأول في مدينة هيت" after "ثلاث شاحنات محملة بغاز الكلور انفجرت"
            # "مصدر في قيادة شرطة حلب", "Idlib's health directorate": whose office, not where anything happened
            roles = [r for r in self._place_roles(s) if not self._office(r[0], s)]
            if not chem and s.index > 0 and attacks and not (anchors and anchors[-1].sentence.index == s.index - 1):
                # "A suspected chlorine gas attack on a rebel-held village injured 11 people. ... said
                # government helicopters dropped barrel bombs on the village of Kafr Zita": the attack
                # told with its agent but no place goes on here
                prev = self.lay.sentences[s.index - 1]
                chem = (
                    self._chemical(prev.start, prev.end) and bool(self._attack_positions(prev))
                    and not any(loc and not locator and self._place(pm).kind != "country"
                                for pm, loc, locator in self._place_roles(prev))
                    and bool(_UNNAMED_PLACE.search(self.f, prev.start, prev.end))
                )
                if chem:
                    self._told_before[s.index] = prev
            # "وعادت المروحيات لقصف كفرزيتا...": a list of attacks goes on in the next sentence
            # (not "كما رصد المرصد استمرار القصف على ...": ongoing shelling, no attack of the list)
            listing = bool(anchors) and anchors[-1].sentence.index == s.index - 1 \
                and not _SEPARATE.match(self.f, s.start) and not (not chem and self._sent_has("repeated", s)) and (
                _CONTINUES.search(self.f, s.start, s.end) is not None
                or _CONTINUES_OPEN.search(self.f, s.start, self.lay.tokens_after(s.start, 5, s.end)) is not None)
            # "الانفجار الأول ... وبعد نحو ساعة انفجرت شاحنة ثانية ... أما الشاحنة الثالثة": the items of a
            # series told in the lead go on
            listing = listing or (bool(anchors) and anchors[-1].sentence.index >= s.index - 2
                                  and _SERIES_ITEM.search(self.f, s.start, s.end) is not None)
            cands: list[Any] = []
            # the attack word of a named reference ("the Khan Sheikhoun attack") names that
            # attack only: it does not make the other places of the sentence attacked
            own = {
                a
                for pm in (r[0] for r in roles)
                if self._named_reference(pm, s)
                for a in attacks
                if self.lay.tokens_before(pm.start, 1, s.start) <= a <= self.lay.tokens_after(pm.end, 3, s.end)
            }
            tally = _TALLY.search(self.f, s.start, s.end) is not None
            # "The first report concerns an incident in the town of Suran ... on 30 September 2016.":
            # an inquiry's report on one dated incident, its chemical told in the next sentences
            reported = self.chem_count >= 2 and self._sent_has("report_incident", s) and any(
                d.precision == "day" and self._usable_date(d) for d in self._span("dates", s.start, s.end))
            for pm, loc, locator in roles:
                place = self._place(pm)
                named = self._named_attack(pm, s)
                if locator or not (loc or named) or place.kind == "country" or self._speaker_location(pm, s):
                    continue
                head = pm.start - len(pm.prefix)
                since = _SINCE_BEFORE.search(self.f, self.lay.tokens_before(head, 3, s.start), head)
                if since and (since.group("ar") or self._named_reference(pm, s)):
                    continue  # "أعنف هجوم منذ مجزرة الغوطة", "the deadliest since the Ghouta attack": a yardstick
                if tally and (place.kind == "governorate" or _GOVERNORATES_BEFORE.search(
                        self.f, self.lay.tokens_before(pm.start, 4, s.start), pm.start)):
                    continue  # "3 هجمات ... في محافظتي دمشق وحماة": where a tally's attacks were, none of them
                if place.kind == "governorate" and (self._sent_has("repeated", s) or self._sent_has("background", s)):
                    continue  # "استمرار قوات النظام في استخدام الغازات السامة في محافظة إدلب": a pattern, no one attack
                if place.kind not in ("neighbourhood", "district") and _SEVERAL_AREAS.search(
                        self.f, self.lay.tokens_before(pm.start, 7, s.start), pm.start):
                    continue  # "تعرّضت عدة بلدات في محافظات حماة وإدلب وحلب لسلسلة من الهجمات": a series' area
                if self._weak_place(pm, s) or self._outskirts(pm, s) or self._care_place(pm, s) or self._origin(pm, s):
                    continue
                if place.kind in ("city", "governorate") and any(
                    self._is_speaking(t, s) for t in self._touching("bodies", pm.start, pm.end)
                    if t.start <= pm.start and pm.end <= t.end
                ):
                    continue  # "في حين نفت دمشق وموسكو ذلك": capitals that speak are parties
                reference = self._named_reference(pm, s)
                if not (chem or ((named or listing or reported) and self.chem_count >= 2) or (reference and self.chem_count >= 1)):
                    continue
                others = [a for a in attacks if a not in own] if not self._named_reference(pm, s) else attacks
                if not self._named_reference(pm, s) and not self._attack_role_ok(s, pm.start, pm.end, others):
                    # "... في خان العسل ... وفي سراقب ...": a place joined to an anchor by "and"
                    w0 = self.lay.tokens_before(pm.start, 2, s.start)
                    joined = pm.prefix.startswith("و") or bool(_CONJ.search(self.f[w0 : pm.start]))
                    if not (cands and joined):
                        continue
                cands.append(pm)
            dropped = False
            if len(cands) > 1 and chem:
                # "فيما استهدفت قوات النظام بلدة اللطامنة المجاورة بقذائف مدفعية": in a sentence about a
                # chemical attack, a place in a clause of its own with no chemical word was shelled otherwise
                clauses = {id(pm): self._clause_of(pm.start, s) for pm in cands}
                chem_in = {k for k, (c0, c1) in clauses.items() if self._chemical(c0, c1)}
                if chem_in and len(set(clauses.values())) > 1:
                    chem_clauses = {clauses[k] for k in chem_in}
                    # a place already attacked in a chemical clause keeps its later mentions
                    # ("... قتلوا في سرمين، فيما أصيب العشرات في قميناس" after both were named)
                    chem_places = {self._place(pm).id for pm in cands if clauses[id(pm)] in chem_clauses}
                    kept = [pm for pm in cands
                            if clauses[id(pm)] in chem_clauses or self._place(pm).id in chem_places]
                    dropped = len(kept) < len(cands)
                    cands = kept
            if cands and tally and chem:
                # "وثقت فرقنا ٤ هجمات بالغازات السامة في محافظتي إدلب وحماة، في حين قتل ٣ مدنيين في غارات
                # على مدينة كفرنبل": the tally's clause told the chemicals, the other one another raid
                tm = _TALLY.search(self.f, s.start, s.end)
                tc = self._clause_of(tm.start(), s) if tm else None
                kept = [pm for pm in cands
                        if self._clause_of(pm.start, s) == tc or self._chemical(*self._clause_of(pm.start, s))]
                dropped = dropped or len(kept) < len(cands)
                cands = kept
            if not cands and tally:
                continue  # a count of attacks names no one place by default
            if not cands and chem and table:
                cands = [pm for pm, _loc, locator in roles if not locator and self._place(pm).kind != "country"][:1]
            if not cands and chem:
                cands = self._lone_place(s, roles)
                # "عن طبيب في مشفى عفرين" after the attack was told, or beside "في البلدة" (a town told
                # before): where the victims were treated
                if anchors or _ANAPHOR.search(self.f, s.start, s.end):
                    cands = [pm for pm in cands if not self._care_place(pm, s)]
            if not cands and (chem or (attacks and self.chem_count >= 2 and _SIMILAR.search(self.f, s.start, s.end))) \
                    and not [r for r in roles if not self._origin(r[0], s) and not self._care_place(r[0], s)]:
                cands = self._antecedent(s)  # also "استهدف صاروخ مماثل محيط السوق وسط المدينة"
            if not cands and chem and attacks:
                # "Doctors in Kafr Zita said chlorine dropped by helicopters hurt 100 people": the
                # speaker's town is the only place told; with no other, the attack was there
                where = [
                    pm for pm, _loc, locator in roles
                    if not locator and self._place(pm).kind in ("city", "town", "village", "neighbourhood")
                    and self._speaker_location(pm, s)
                ]
                if len(where) == 1:
                    cands = where
            if not cands and chem and not roles and s.index > 0 and not (anchors and anchors[-1].sentence.index == s.index - 1):
                # "a helicopter dropped a barrel bomb on Taftanaz. Residents said the barrel released a
                # yellowish cloud with a strong smell of chlorine": the attack told just before, with
                # its one town, was the chemical one told now
                told = self._told_after(s)
                if told is not None:
                    anchors.append(told)
                    continue
            govs = {self._place(pm).name for pm in cands if self._place(pm).kind == "governorate"}
            if self._sent_has("aggregate", s) or len(govs) >= 2:
                cands = [pm for pm in cands if self._place(pm).kind != "governorate"]
            if cands:
                for a in self._regions(s, cands):
                    if dropped and a.place is not None:
                        c0, c1 = self._clause_of(a.place.start, s)  # not the other clause's shelling
                        a.region = (max(a.region[0], c0), min(a.region[1], c1))
                    if a.place is not None and s.start <= a.place.start < s.end and self._named_reference(a.place, s):
                        # a reference carries only its own words: not the dates, means and
                        # figures of the other events in its sentence ("ضربات ... ردًا على مجزرة دوما")
                        a.named = True
                        site = _SITE_OF.match(self.f, a.place.end)
                        rel = _RELATIVE.match(self.f, self.lay.tokens_after(a.place.end, 2, s.end))
                        rel = rel or _RELATIVE.match(self.f, a.place.end)
                        if rel is None:  # "هجوم دوما في 7 نيسان 2018، والذي أودى بحياة 43 شخصاً"
                            d_after = [d for d in self._span("dates", a.place.end, s.end)
                                       if self.lay.tokens_between(a.place.end, d.start) <= 2]  # "Douma attack on 7 April"
                            if d_after:
                                rel = _RELATIVE.match(self.f, d_after[0].end)
                        if site:  # "Douma, the site of a suspected chlorine attack on April 7 that killed dozens"
                            a.region = (a.place.start, self._clause_end(site.end(), s))
                        elif rel:  # "مجزرة خان شيخون التي راح ضحيتها أكثر من 80 شخصاً"
                            end = _CLAUSE_STOP.search(self.f, rel.end(), s.end)
                            if end is not None and _TOLL_TAIL.match(self.f, end.end()):
                                end = _CLAUSE_STOP.search(self.f, end.end(), s.end)  # ", killing 43 people"
                            a.region = (a.place.start, end.start() if end else s.end)
                        else:
                            r0 = self.lay.tokens_before(a.place.start, 2, s.start)
                            w0 = self.lay.tokens_before(a.place.start, 9, s.start)
                            blame = _BLAME.search(self.f, w0, r0 + 1)
                            if blame is not None:  # "تحميل الآلية الحكومة السورية مسؤولية هجوم خان شيخون"
                                r0 = blame.start()
                            a.region = (r0, self.lay.tokens_after(a.place.end, 3, s.end))
                    a.date = self._region_date(a)
                    if a.date is None and s.index in self._scene_of:
                        a.date = self._scene_of[s.index]  # "On the morning of 16 March 1988, the town of ..."
                    if a.date is None:
                        a.date = self._scene_date(s)
                    if a.date is None and table:
                        a.date = next((d for d in self._span("dates", s.start, s.end) if self._usable_date(d)), None)
                    anchors.append(a)
                    anchors.extend(self._repeats(a))
                continue
            if not chem and attacks and not roles and anchors and anchors[-1].sentence.index == s.index - 1:
                # "... after an attack in eastern Mosul, the WHO said. The patients were hurt on Wednesday
                # when mortar rounds landed in ...": the attack told just before goes on, with its day
                days = [d for d in self._span("dates", s.start, s.end)
                        if self._usable_date(d) and d.precision == "day" and self._attack_role_ok(s, d.start, d.end, attacks)]
                undated = [a for a in anchors if a.sentence.index == s.index - 1 and a.date is None and a.place is not None]
                prev = self.lay.sentences[s.index - 1]
                if len(days) == 1 and undated and self._chemical(prev.start, prev.end) and len(undated) == len(
                        [a for a in anchors if a.sentence.index == s.index - 1]):
                    for a in undated:
                        a.date = days[0]
                continue
            if not chem:
                continue
            offset = self._offset_date(s, anchors)
            if offset is not None:
                anchors.append(Anchor(s, None, (s.start, s.end), -1, offset))
                continue
            if self._sent_has("background", s) or self._sent_has("repeated", s):
                continue  # "استخدم الأسلحة الكيميائية مراراً منذ عام 2013"
            if _TALLY.search(self.f, s.start, s.end):
                continue  # "وثقنا منذ ... 2012 وحتى ... 2021 ما لا يقل عن 222 هجوماً": a period and a count
            for d in self._span("dates", s.start, s.end):
                if not self._usable_date(d) or d.precision == "year":
                    continue
                before = [a for a in attacks if a < d.start and self.lay.tokens_between(a, d.start) <= 12]
                events = [t.start for t in self._in("event", s.start, d.start)]
                # "وفي 22 أيار ألقت مروحية ...": the date opens the sentence, the attack follows
                opens = d.start - s.start < 12 and any(
                    d.end <= a <= self.lay.tokens_after(d.end, 3, s.end) for a in attacks
                )
                if (before and (not events or before[-1] > events[-1])) or (opens and not events):
                    p0 = self.lay.tokens_before(d.start, 2, s.start)
                    if re.search(r"(?<!\w)(?:منذ|since)(?!\w)", self.f[p0 : d.start]):
                        continue  # "in three other attacks since December 2016": a period, not an attack date
                    if d.precision != "day" and re.search(r"(?<!\w)(?:خلال|طوال|during|throughout)(?:\s+(?:شهر|month of))?\s*$",
                                                          self.f[self.lay.tokens_before(d.start, 2, s.start) : d.start]):
                        continue  # "استخدام غاز الكلور ... خلال شهر نيسان 2014": a month's series, no one attack
                    if before and any(t.start == before[-1] for t in self._in("plural_attacks", before[-1], d.start)):
                        continue  # "هجمات أخرى في ..." : several attacks, none identified
                    anchors.append(Anchor(s, None, (s.start, s.end), -1, d))
                    break
        # the lead of a series whose items name their places is no placeless attack of its own
        leads = set()
        for a in anchors:
            if a.place is not None and _SERIES_ITEM.search(self.f, a.sentence.start, a.sentence.end):
                lead = self._series_lead(a.sentence)
                if lead is not None:
                    leads.add(lead.index)
        return [a for a in anchors if not (a.place is None and a.sentence.index in leads)]

    def _repeats(self, a: Anchor) -> list[Anchor]:
        """"... on Ltamenah on 24 March 2017, affecting 16, and again on 30 March": the same
        place attacked again on a later date in the same region is another incident."""
        if a.date is None or a.place is None or a.named:
            return []
        r0, r1 = a.region
        later = [
            d
            for d in self._span("dates", a.date.end, r1)
            if a.date.end <= d.start
            and d.end <= r1
            and self._usable_date(d)
            and not _overlap(d, a.date)
            and self._attack_role_ok(a.sentence, d.start, d.end, self._attack_positions(a.sentence))
            and _REPEAT.search(self.f[self.lay.tokens_before(d.start, 4, r0) : d.start])
        ]
        out: list[Anchor] = []
        for d in later:
            prev_end = (out[-1].date.end if out and out[-1].date is not None else a.date.end)
            if _DAY_LIST.fullmatch(self.f, prev_end, d.start):
                # "في 24 و30 آذار", "on March 16 and 31": one telling of two attacks; all its
                # words are both's, a figure is neither's alone
                a.shared = True
                out.append(Anchor(a.sentence, a.place, a.region, a.group, d, True, base=a))
                continue
            cut = self.lay.tokens_before(d.start, 3, r0)
            commas = [m.end() for m in re.finditer(r"[,،;؛]", self.f[prev_end : d.start])]
            if commas:
                cut = prev_end + commas[-1]  # "..., وأن طائرة عادت وألقت قنبلة سارين على البلدة في 30 آذار"
            prev = out[-1] if out else a
            prev.region = (prev.region[0], cut)
            out.append(Anchor(a.sentence, a.place, (cut, r1), a.group, d, a.shared, base=a))
        return out

    def _offset_date(self, s: Sentence, anchors: list[Anchor]) -> Any | None:
        """A date given as an offset from the previous incident's date, at that unit's precision."""
        import dataclasses

        from bayyina.extract.numbers import find_quantities

        prior = [a.date for a in anchors if a.date is not None]
        if not prior:
            return None
        m = _OFFSET.search(self.f, s.start, s.end)
        if m is None:
            return None
        if self._has("event", m.end(), self.lay.tokens_after(m.end(), 4, s.end)):
            return None  # "ويأتي الهجوم بعد عشرة أيام من تبنّي مجلس الأمن القرار 2209": counted from an event
        unit_word = m.group("u1") or m.group("u2")
        unit, n = _UNIT.get(unit_word, (unit_word.rstrip("s"), 0))
        if n == 0:
            qs = [q for q in find_quantities(self.f[m.start() : m.end()])]
            n = qs[0].low if qs else 0
        if n <= 0 or n > 120:
            return None
        ref = prior[-1]
        first = ref.first
        if unit in ("month", "year"):
            months = n if unit == "month" else 12 * n
            y, mo = divmod(first.month - 1 + months, 12)
            try:
                first = first.replace(year=first.year + y, month=mo + 1, day=1)
            except ValueError:
                return None
            if unit == "year":
                first = first.replace(month=1)
                last = first.replace(month=12, day=31)
                precision = "year"
            else:
                nxt = first.replace(year=first.year + (first.month // 12), month=first.month % 12 + 1)
                last = nxt - dt.timedelta(days=1)
                precision = "month"
        else:
            days = n if unit == "day" else 7 * n
            if ref.precision != "day":
                return None
            first = last = first + dt.timedelta(days=days)
            precision = "day"
        return dataclasses.replace(
            ref, start=m.start(), end=m.end(), first=first, last=last, precision=precision,
            has_year=False, kind="relative", year_source="context",
        )

    def _joined(self, gap: str) -> bool:
        """Does "and" join two places here ("جوبر وأشرفية", "Zamalka and the town of Ein Tarma"),
        rather than two clauses ("arrived in Damascus and would travel to Douma")?"""
        conj = list(_CONJ.finditer(gap))
        if not conj:
            return False
        tail = gap[conj[-1].start() :]
        tail = re.sub(r"^(?:and|as well as|و)", "", tail.strip())
        for t in self.v.find("locative", tail) + self.v.find("locator", tail):
            tail = tail.replace(tail[t.start : t.end], " ")
        return len(re.sub(r"(?<![a-z])(?:the|of|al|ال)(?![a-z])", " ", tail).split()) == 0

    def _date_goes_back(self, prev: Any, d: Any, nxt: Any) -> bool:
        """Does a date between two places belong to the first? A comma or "and" after it closes
        the first place's part ("Kafr Zeita on April 11, Al-Tamanah on April 18"); otherwise
        the nearer place takes it ("...، وفي 21 نيسان استهدفت تلمنس")."""
        after = self.f[d.end : nxt.start - len(nxt.prefix)]
        before = self.f[prev.end : d.start]
        joins_after = re.search(r"[,،;؛]|(?<![a-z])and(?![a-z])|(?<!\w)و", after)
        if joins_after and not re.search(r"[,،;؛]", before):
            return True
        if not joins_after and re.search(r"[,،;؛]", before):
            return False  # "...على قميناس، وفي 31 آذار أصيب 40 شخصاً في بنش": the date opens the next clause
        return self.lay.tokens_between(prev.end, d.start) <= self.lay.tokens_between(d.end, nxt.start)

    def _regions(self, s: Sentence, cands: list[Any]) -> list[Anchor]:
        """Split a sentence among its anchor places; coordinated places share a group.

        A region runs from just after the previous place (or the date that
        follows it) to the next one; "Jobar and Ashrafiya" are one group that
        shares its span, and figures in a shared span are not given to either.
        """
        bounds = [s.start]
        groups = [0]
        for prev, pm in itertools.pairwise(cands):
            between = self._span("dates", prev.end, pm.start)
            gap = self.f[prev.end : pm.start]
            coordinated = (
                not between
                and self.lay.tokens_between(prev.end, pm.start) <= 6
                and (pm.prefix.startswith("و") or self._joined(gap) or gap.strip() == ",")
            )
            # a date between two places goes with the nearer one ("في دوما في 7 نيسان، و... في
            # سراقب"; "...، وفي 21 نيسان استهدفت تلمنس")
            mine = [d for d in between if self._date_goes_back(prev, d, pm)]
            theirs = [d for d in between if d not in mine]
            brk = _CLAUSE_BREAK.search(self.f, prev.end, pm.start - len(pm.prefix)) if not between else None
            if brk is not None:
                # "... على بلدة كفرزيتا، ما أدى لإصابة 4 مدنيين، فيما استهدفت ... بلدة اللطامنة": what
                # follows a place up to "while / فيما / بينما" is still its own
                bounds.append(brk.start())
            elif theirs:
                bounds.append(theirs[0].start)
            elif mine:
                # "fell ill in Amesbury on June 30, 2018, after handling a perfume bottle that
                # contained Novichok, the same agent used ... in nearby Salisbury": the clauses after
                # the first place's date are still its own, up to the last break before the next
                end = mine[-1].end
                breaks = [m.end() for m in re.finditer(r"[,،;؛]", self.f[end : pm.start - len(pm.prefix)])]
                bounds.append(end + breaks[-1] if breaks else end)
            else:
                bounds.append(prev.end)
            groups.append(groups[-1] if coordinated else groups[-1] + 1)
        bounds.append(s.end)
        out = [Anchor(s, pm, (bounds[i], bounds[i + 1]), groups[i]) for i, pm in enumerate(cands)]
        for g in set(groups):
            members = [a for a in out if a.group == g]
            if len(members) > 1:
                span = (members[0].region[0], members[-1].region[1])
                last = members[-1].place
                area = self.locates.get(last.start) if last is not None else None
                if area is not None and (
                    self._place(area).kind == "region"
                    or all(self._place(a.place).kind in ("neighbourhood", "district") for a in members if a.place)
                ):
                    # "Ein Tarma, Moadamiyah and Zamalka areas of the Ghouta": one attack on the area
                    out = [a for a in out if a.group != g] + [Anchor(s, area, span, g)]
                    continue
                for a in members:
                    a.region = span
                    a.shared = True
        out.sort(key=lambda a: a.region[0])
        return out

    # ------------------------------------------------------------ facts in a region
    def _region_date(self, a: Anchor) -> Any | None:
        if a.date is not None:
            return a.date
        r0, r1 = a.region
        s = a.sentence
        attacks = self._attack_positions(s)
        cands = [d for d in self._span("dates", r0, r1) if self._usable_date(d)]
        if a.place is not None:
            pool = self.dates if a.named else cands
            after = [
                d
                for d in pool
                if d.start >= a.place.end
                and d.end <= s.end
                and self._usable_date(d)
                and self.lay.tokens_between(a.place.end, d.start) <= 6
                # "اعتبر قصف حلبجة جريمة إبادة، بعد أن حكمت عام 2007": the date of another event
                and not self._in("event", a.place.end, d.start)
                # "an attack in eastern Mosul, the World Health Organization said on Saturday"
                and not self._said_on(s, d.start)
            ]
            if after:
                return after[0]
            if a.named:
                # "مجزرة خان شيخون، التي قتل فيها أكثر من 90 شخصاً ... في 4 نيسان الماضي": a date in the
                # reference's own relative clause
                own = [d for d in cands if d.start >= a.place.end and self._attack_role_ok(s, d.start, d.end, attacks)]
                return own[0] if own and a.region[1] > self.lay.tokens_after(a.place.end, 3, s.end) else None
        good = [d for d in cands if self._attack_role_ok(s, d.start, d.end, attacks)]
        pm0 = a.place
        named_here = pm0 is not None and (a.named or _ATTACK_NOUN_BEFORE.search(
            self.f, self.lay.tokens_before(pm0.start, 2, s.start), pm0.start - len(pm0.prefix)) is not None)

        def foreign(d: Any) -> bool:
            # "بهجوم الغوطة وبالهجوم بغاز السارين على خان شيخون في 4 نيسان 2017": a named attack does
            # not take the date of another place's attack told after it
            if not named_here or pm0 is None:
                return False
            mine = self._family(pm0)
            return any(not (self._family(pm) & mine) for pm in self._span("places", pm0.end, d.start))

        good = [d for d in good if not foreign(d)]
        if good:
            ref = a.place.start if a.place is not None else r0
            return min(good, key=lambda d: abs(d.start - ref))
        # a date elsewhere in the sentence, not across a new clause ("... في أم حوش في أيلول 2016،
        # وأن النظام السوري مسؤول عن هجوم السارين على خان شيخون": that date is Um Housh's)
        rest = [
            d
            for d in self._span("dates", s.start, s.end)
            if self._usable_date(d) and self._attack_role_ok(s, d.start, d.end, attacks) and not foreign(d)
            and not (a.place is not None and _NEW_CLAUSE.search(
                self.f, min(d.end, a.place.start), max(d.end, a.place.start)) and d.end <= a.place.start)
        ]
        if rest:
            return rest[0]
        return self._heading_date(a)

    def _heading_date(self, a: Anchor) -> Any | None:
        """"Incident 1 - 24 March 2017, Ltamenah. At 06:00 an aircraft dropped...": the date of
        the sentence just before, when that sentence names the same place and no attack."""
        i = a.sentence.index - 1
        if a.place is None or i < 0:
            return None
        prev = self.lay.sentences[i]
        if self._attack_positions(prev) or prev.end - prev.start > 200:
            return None
        fam = self._family(a.place)
        if not any(self._family(pm) & fam for pm in self._span("places", prev.start, prev.end)):
            return None
        dates = [d for d in self._span("dates", prev.start, prev.end) if self._usable_date(d)]
        if len(dates) != 1 or self._in("event", prev.start, dates[0].start):
            return None
        return dates[0]

    def _usable_date(self, d: Any) -> bool:
        """A date with a known year that is not the text's own dateline."""
        if d.year_source is None:
            return False
        if self.dateline is not None and d.first == d.last == self.dateline:
            if (d.start < 120 or (d.start == self._dateline_at and not self._attack_line(d.start))) and d.kind != "relative":
                return False  # the dateline itself ("صباح اليوم" right under it is no dateline)
            if d.kind == "relative":
                # "still pulling bodies on Wednesday" (the day of writing) is when it was reported,
                # "a rocket attack on the village on Tuesday morning" is when it happened
                # ("استجابت فرقنا فجر اليوم لهجوم بالكلور": the attack told right after it)
                s = self.lay.sentence_at(d.start)
                w0 = self.lay.tokens_before(d.start, 25, s.start)
                w1 = self.lay.tokens_after(d.end, 3, s.end)
                return any(w0 <= a < d.start or d.end <= a < w1 for a in self._attack_positions(s))
        return True

    def _attack_line(self, pos: int) -> bool:
        """Does the line holding ``pos`` tell an attack ("- هجوم بالكلور ... على سراقب في الرابع من
        شباط 2018.": a list entry, not a page line)?"""
        a = self.f.rfind("\n", 0, pos) + 1
        b = self.f.find("\n", pos)
        return self._has("attack", a, b if b >= 0 else len(self.f))

    def _agents(self, a: int, b: int) -> list[Term]:
        out = []
        for t in self._in("agents", a, b):
            s = self.lay.sentence_at(t.start)
            w0 = self.lay.tokens_before(t.start, 3, s.start)
            w1 = self.lay.tokens_after(t.end, 2, s.end)
            if self.v.has("smell", self.f[w0 : t.start]) or self.v.has("smell", self.f[t.end : w1]):
                continue
            n0 = self.lay.tokens_before(t.start, 4, s.start)
            if self.v.has("negation", self.f[n0 : t.start]):
                continue
            out.append(t)
        return out

    def _sent_speakers(self, s: Sentence) -> tuple[list[Term], list[Term]]:
        """(bodies that speak, find or deny in the sentence; those of them that speak), once per
        document: every incident's attributions look at the same sentences. Not to be changed."""
        got = self._speakers_cache.get(s.index)
        if got is None:
            bodies = self._speaker_bodies(s.start, s.end)
            got = self._speakers_cache[s.index] = (bodies, [t for t in bodies if self._is_speaking(t, s)])
        return got

    def _pronoun_speakers(self, s: Sentence) -> list[Term]:
        """The speaking bodies of the sentence before, when this one speaks through a pronoun
        ('"...," he said', "he added that") or a verb with no subject ("وأضاف أن", "وتابع قائلاً")
        and names no speaker of its own."""
        if s.index == 0 or self._sent_speakers(s)[1]:
            return []
        if not (_PRONOUN_SAID.search(self.f, s.start, s.end) or _SUBJECTLESS_SAID.match(self.f, self._first_token(s))):
            return []
        for j in (s.index - 1, s.index - 2):
            if j < 0:
                break
            prev = self.lay.sentences[j]
            got = [t for t in self._sent_speakers(prev)[1] if t.group == "bodies"]
            if got:
                return got[-1:]  # the last one named speaks on
        return []

    def _accusable(self, s: Sentence) -> list[Term]:
        """The actors of a sentence that do not deny (who may be accused), once per document."""
        got = self._accusable_cache.get(s.index)
        if got is None:
            got = self._accusable_cache[s.index] = [t for t in self._in("actors", s.start, s.end) if not self._denier(t, s)]
        return got

    def _actor_voice(self, t: Term, s: Sentence) -> bool:
        """"a rebel official said", "an official with the Fastaqim rebel group", "قيادي في المعارضة":
        an actor named as a speaker's side, in a sentence that reports speech."""
        if not self._sent_has("speech", s):
            return False
        b0 = self.lay.tokens_before(t.start, 6, s.start)
        return bool(_VOICE_BEFORE.search(self.f, b0, t.start) or _VOICE_AFTER.match(self.f, t.end))

    def _dateline_city(self, t: Term) -> bool:
        """"باريس – فرانس 24", "MOSCOW (Reuters) -": a body that is the city of a dateline."""
        return bool(_DATELINE_CITY.match(self.f, t.end)) and not self.f[self.f.rfind("\n", 0, t.start) + 1 : t.start].strip() \
            and (bool(_CAPITAL.fullmatch(self.f, t.start, t.end)) or bool(self._touching("places", t.start, t.end)))

    def _speaker_bodies(self, a: int, b: int) -> list[Term]:
        """Bodies that speak, find or deny in [a, b) (not mere recipients)."""
        out = []
        for t in self._in("bodies", a, b):
            s = self.lay.sentence_at(t.start)
            w0 = self.lay.tokens_before(t.start, 3, s.start)
            pre = self.f[w0 : t.start]
            if re.search(r"(?<!\w)(?:الي|لدي|امام|to|before|told)(?:\s+the)?\s*$", pre) and not re.search(
                r"(?:according|attributed)\s+to(?:\s+the)?\s*$", pre
            ):
                continue  # who is spoken to: "told the Security Council", "سلمت تقريرها إلى مجلس الأمن"
            if any(x.start < t.start and t.end <= x.end for x in self._touching("actors", t.start, t.end)):
                continue  # "3 هجمات نفذتها قوات النظام السوري": part of the forces that attacked, no speaker
            if any(x.start < t.start and t.end <= x.end for x in self._touching("places", t.start, t.end)):
                continue  # "بريف دمشق", "صحة ريف دمشق": the capital inside a longer place's name is no state
            if re.search(r"(?<![a-z])in(?:\s+the)?\s*$|(?<!\w)[وف]?في\s*$", pre) and self._touching("places", t.start, t.end):
                continue  # "the use of chemical weapons in the Syrian Arab Republic", "في دمشق": where, not who
            if self._dateline_city(t):
                continue  # "باريس – فرانس 24", "MOSCOW (Reuters) -": a dateline's city
            out.append(t)
        return out

    # ------------------------------------------------------------ assembly
    def run(self) -> list[dict[str, Any]]:
        anchors = self._anchors()
        for a in anchors:
            self._sentence_anchors.setdefault(a.sentence.index, []).append(a)
        incidents = self._denials_over_areas(self._merge_known(self._overviews(self._merge(anchors))))
        self._link(incidents)
        out = []
        for inc in incidents:
            rendered = self._render(inc)
            out.append(rendered)
            self._prev_agents = [a for a in rendered["agents"] if a != "unspecified"]
        return out

    def _placed_only_in(self, inc: Incident, kinds: tuple[str, ...]) -> bool:
        """Does every anchor of the incident name a place, each of one of ``kinds``?"""
        return bool(inc.anchors) and all(a.place is not None and self._place(a.place).kind in kinds for a in inc.anchors)

    def _overviews(self, incidents: list[Incident]) -> list[Incident]:
        """"حول استخدام المجموعات الإرهابية مواد كيميائية ضد عناصر الجيش في ريف دمشق خلال الأيام
        الماضية" above the attacks of 22, 24 and 25 August in Rif Dimashq: an undated incident placed
        only in a governorate or region that holds two or more dated incidents of the text is
        their overview, no attack of its own."""
        out = []
        for inc in incidents:
            if (
                inc.date is None and self._placed_only_in(inc, ("governorate", "region"))
                and not any(a.named for a in inc.anchors)
                and sum(1 for o in incidents if o is not inc and o.date is not None
                        and any(b.place is not None for b in o.anchors)
                        and all(self._encloses(a.place, o) for a in inc.anchors)) >= 2
            ):
                continue
            out.append(inc)
        return out

    def _denials_over_areas(self, incidents: list[Incident]) -> list[Incident]:
        """"A military official denied that the army had used chemical weapons in Idlib", after
        attacks on Sarmin and Qmenas in Idlib province: a denial over the province (or region)
        that holds the text's other incidents is no incident of its own; its sentence then
        speaks for each of them (``_link``)."""
        out = []
        for inc in incidents:
            if (
                len(incidents) > 1
                and self._placed_only_in(inc, ("governorate", "region", "city"))
                and all(self._sent_has("denial", a.sentence) for a in inc.anchors)
                and any(
                    o is not inc and any(self._province_of(a.place, o) for a in inc.anchors)
                    and (o.date is None or inc.date is None or _overlap(o.date, inc.date))
                    for o in incidents
                )
            ):
                continue
            out.append(inc)
        return out

    def _family(self, pm: Any) -> set[str]:
        key = (pm.start, pm.candidates[0].id)
        if key not in self._fam_cache:
            self._fam_cache[key] = self._family_uncached(pm)
        return self._fam_cache[key]

    def _family_uncached(self, pm: Any) -> set[str]:
        """Keys under which mentions count as the same place: id, name (city = governorate),
        and for a neighbourhood the town the text locates it in."""
        keys: set[str] = set()
        p = self._place(pm)
        while p is not None and len(keys) < 8:
            keys |= {p.id, "name:" + _DIRECTIONS.sub("", p.name.lower().replace(" governorate", "")).strip()}
            p = self.parent.get(p.id)
        return keys

    def _merge(self, anchors: list[Anchor]) -> list[Incident]:
        incidents: list[Incident] = []
        placed = [a for a in anchors if a.place is not None]
        loose = [a for a in anchors if a.place is None]
        families: list[set[str]] = []  # each incident's place keys, kept as anchors join
        for a in placed:
            fam = self._family(a.place)
            home = None
            for inc, ifam in zip(incidents, families):
                if not fam & ifam and not self._same_spot(a, inc):
                    continue
                if a.date is not None and inc.date is not None and not _overlap(a.date, inc.date):
                    continue
                home = inc
                break
            if home is None:
                home = Incident([a])
                incidents.append(home)
                families.append(set(fam))
            else:
                home.anchors.append(a)
                families[incidents.index(home)] |= fam
            if a.date is not None and (
                home.date is None or (home.date.precision != "day" and a.date.precision == "day")
            ):
                home.date = a.date
        for a in loose:
            target = None
            dated = [i for i in incidents if i.date is not None and a.date is not None and _overlap(i.date, a.date)]
            # "A suspected chlorine gas attack on a town ... late Monday. ... dropped a barrel bomb containing
            # chlorine on the town of Sarmin": the lede's "a town" is named in the next sentence
            named_next = [i for i in incidents if any(b.sentence.index == a.sentence.index + 1 for b in i.anchors)
                          and (i.date is None or a.date is None or _overlap(i.date, a.date))]
            if len(named_next) == 1 and _UNNAMED_PLACE.search(self.f, a.sentence.start, a.sentence.end):
                dated = named_next
            if len(dated) == 1:
                target = dated[0]
            elif not dated:
                undated_placed = [i for i in incidents if i.date is None and i.anchors[0].place is not None]
                if len(undated_placed) == 1 and not any(i.date is not None for i in incidents if i.anchors[0].place is not None):
                    target = undated_placed[0]
                # "... the novichok attack on Sergei and Yulia Skripal in Salisbury ... Prosecutors said
                # ... over the poisoning on 4 March": the undated attack of the sentence before has its day here
                before = [i for i in undated_placed if any(b.sentence.index == a.sentence.index - 1 for b in i.anchors)]
                if target is None and len(before) == 1:
                    target = before[0]
                same = [i for i in incidents if i.anchors[0].place is None and i.date is not None and a.date is not None and _overlap(i.date, a.date)]
                if same:
                    target = same[0]
            if target is None:
                incidents.append(Incident([a], date=a.date))
            else:
                target.anchors.append(a)
                if target.date is None or (
                        a.date is not None and target.date.precision in ("year", "month") and a.date.precision == "day"
                        and target.date.first <= a.date.first and a.date.last <= target.date.last
                        and any(b.sentence.index == a.sentence.index - 1 for b in target.anchors)):
                    target.date = a.date  # "on Douma in 2018 ... on the evening of April 7, 2018": the day
        incidents = self._fold_areas(incidents)
        incidents.sort(key=lambda i: min(x.region[0] for x in i.anchors))
        return incidents

    def _merge_known(self, incidents: list[Incident]) -> list[Incident]:
        """Two or more places of one known attack on its day ("بلدات الغوطة الشرقية ومعضمية الشام
        فجر 21 آب") are that one attack (data: ``known_attacks.toml``); its figures told after
        the list of its places are its own."""
        for day, place_id, members in _known_attacks(self.ex.gaz):
            group = [
                inc for inc in incidents
                if inc.date is not None and inc.date.first <= day <= inc.date.last
                and any(a.place is not None and self._place(a.place).id in members for a in inc.anchors)
            ]
            if group:
                # "استخدام صواريخ محمّلة بغاز السارين في عين ترما وزملكا ومعضمية الشام" told without
                # its day in a text that tells the attack on its day: its places, the same attack
                group += [inc for inc in incidents if inc.date is None and inc.anchors and all(
                    a.place is not None and self._place(a.place).id in members for a in inc.anchors)]
            if len(group) < 2:
                continue
            head = group[0]
            for inc in group[1:]:
                head.anchors += inc.anchors
                incidents.remove(inc)
            head.known = place_id
            for a in head.anchors:
                a.shared = False
        return incidents

    def _same_spot(self, a: Anchor, inc: Incident) -> bool:
        """"in Saraqib on 4 February ... in the Al Talil neighbourhood": a neighbourhood and the
        town it lies in (within 3 km), told in different sentences, are one attack."""
        if a.place is None:
            return False
        p = self._place(a.place)
        others = [self._place(b.place) for b in inc.anchors if b.place is not None]
        if not others or p.lat is None:
            return False
        small = {"neighbourhood", "district"}
        towns = {"city", "town", "village"}
        for o in others:
            if o.lat is None or {p.kind, o.kind} & small == set() or not ({p.kind, o.kind} & towns):
                continue
            near = 12.0 if "city" in (p.kind, o.kind) else 3.0  # a district of a big city ("Kasumigaseki", Tokyo)
            if _km(p, o) <= near and (a.date is None or inc.date is None or _overlap(a.date, inc.date)):
                return True
        return False

    def _fold_areas(self, incidents: list[Incident]) -> list[Incident]:
        """"an attack in the Damascus suburbs on 21 August ... fired into the eastern Ghouta": an
        incident placed only in a governorate or region joins the one incident placed inside it."""
        out = list(incidents)
        for inc in incidents:
            mentions = [a.place for a in inc.anchors if a.place is not None]
            places = [self._place(pm) for pm in mentions]
            # "Chlorine attack reported in northern Hama", "في ريف حماة": a city's countryside is its province
            rural = [p for p, pm in zip(places, mentions) if p.kind == "city" and p.admin1 and self._rural(pm)]
            if not places or any(p.kind not in ("governorate", "region") and p not in rural for p in places):
                continue
            inside = [
                o
                for o in out
                if o is not inc
                and any(a.place is not None for a in o.anchors)
                and all(
                    any(_contains(big, self._place(a.place)) for big in places)
                    or any(self._place(a.place).admin1 == big.admin1 and self._place(a.place).id != big.id for big in rural)
                    for a in o.anchors
                    if a.place is not None
                )
                and (o.date is None or inc.date is None or _overlap(o.date, inc.date))
                # places listed side by side in one sentence are separate attacks ("in Latakia
                # province on May 19, in the Kabani area" is one: nothing joins the two)
                and (
                    not {a.sentence.index for a in o.anchors} & {a.sentence.index for a in inc.anchors}
                    or self._narrowed(inc, o)
                )
            ]
            if len(inside) == 1:
                target = inside[0]
                target.anchors.extend(inc.anchors)
                if target.date is None:
                    target.date = inc.date
                out.remove(inc)
        for inc in list(out):
            # "Reports of 'chemical attack' in Idlib are staged provocation" over the attack on Jisr
            # al-Shughur: an undated incident at a governorate's seat, told nowhere as the city
            # itself, is its province when one incident of the text lies there
            if inc.date is not None or any(a.place is None or a.named for a in inc.anchors):
                continue
            inside = [o for o in out if o is not inc and o.date is not None
                      and any(a.place is not None for a in o.anchors)
                      and all(self._province_of(a.place, o) for a in inc.anchors if a.place is not None)]
            if len(inside) == 1 and all(self._place(a.place).kind == "city" and not self._named_reference(a.place, a.sentence)
                                        for a in inc.anchors if a.place is not None):
                inside[0].anchors.extend(inc.anchors)
                out.remove(inc)
        return out

    def _row_kinds(self, s: Sentence) -> tuple[bool, bool]:
        """Is the sentence a table row ("X | Y | Z"), a one-line list entry ("X – Y – Z")?"""
        bars = self._bars and self.f.count("|", s.start, s.end) + self.f.count("\t", s.start, s.end) >= 2
        f = self.f
        if f.find("-", s.start, s.end) < 0 and f.find("–", s.start, s.end) < 0 and f.find("—", s.start, s.end) < 0:
            return bars, False  # no dash: no "X – Y – Z" entry (and no scan of the sentence)
        return bars, len(_FIELD_SEP.findall(f, s.start, s.end)) >= 2

    def _row(self, s: Sentence) -> bool:
        return any(self._row_kinds(s))

    def _inside_body(self, t: Term) -> bool:
        """Is an actor word part of a longer body's name ("Russian" in "Russian Foreign Ministry")?"""
        return any(b.start <= t.start and t.end <= b.end and b.end - b.start > t.end - t.start
                   for b in self._touching("bodies", t.start, t.end))

    def _accused(self, s: Sentence, r0: int, r1: int) -> set[str]:
        """Parties told right after an accusation in [r0, r1) ("حمّلت النظام السوري مسؤولية
        الهجوم", "blamed government forces", "accused Russia of")."""
        out: set[str] = set()
        for c in self._in("accuse", r0, r1):
            w1 = self.lay.tokens_after(c.end, 6, s.end)
            # "اتهمت المعارضة السورية قوات النظام": the accuser may stand between verb and accused
            out |= {t.code for t in self._in("actors", c.end, w1) if not self._is_speaking(t, s)}
        return out

    def _rural(self, pm: Any) -> bool:
        """Is this city mention its countryside ("northern Hama", "rural Idlib", "ريف حماة", "شمال حلب")?"""
        w0 = self.lay.tokens_before(pm.start, 2, 0)
        before = self.f[w0 : pm.start - len(pm.prefix)]
        after = self.f[pm.end : pm.end + 24]
        return bool(
            re.search(r"(?<![a-z])(?:northern|southern|eastern|western|north|south|east|west|rural|countryside of|outskirts of)\s*$", before)
            or re.search(r"(?<!\w)(?:ب|و|في\s+)?(?:ريف|شمال|جنوب|شرق|غرب|ارياف)\s*$", before)
            or re.match(r"\s*(?:countryside|province|governorate)(?![a-z])", after)
        )

    def _narrowed(self, area: Incident, inc: Incident) -> bool:
        """Does ``inc``'s one place narrow down ``area``'s one mention later in the same sentence,
        with no "and" and no other place between them ("in Latakia province on May 19, 2019,
        in the Kabani area")?"""
        if len(area.anchors) != 1 or len(inc.anchors) != 1:
            return False
        a, b = area.anchors[0], inc.anchors[0]
        if a.place is None or b.place is None or a.sentence.index != b.sentence.index or b.place.start <= a.place.end:
            return False
        g0, g1 = a.place.end, b.place.start
        return not _LIST_JOIN.search(self.f, g0, g1) and not self._span("places", g0, g1)

    def _link(self, incidents: list[Incident]) -> None:
        """Sentences that mention an incident's place, or follow its anchor, add to it;
        in a text that reports one incident, so do its other sentences about chemicals."""
        fams = [set().union(*(self._family(x.place) for x in inc.anchors if x.place is not None)) for inc in incidents]
        anchor_sents = {a.sentence.index for inc in incidents for a in inc.anchors}
        for inc, fam in zip(incidents, fams):
            seen = {(a.sentence.index, a.region) for a in inc.anchors}
            for pm in self.places:
                if fam and self._family(pm) & fam:
                    s = self.lay.sentence_at(pm.start)
                    if s.index in anchor_sents:
                        continue
                    if self._origin(pm, s):
                        continue  # "قذائف أطلقها مسلحون منتشرون في دوما على باب توما": fired from there
                    key = (s.index, (s.start, s.end))
                    if key not in seen:
                        seen.add(key)
                        inc.linked.append((s, (s.start, s.end), "place"))
            # continuation: the sentences right after an anchor sentence
            for a in inc.anchors:
                for k in (1, 2, 3, 4):
                    j = a.sentence.index + k
                    if j >= len(self.lay.sentences) or j in anchor_sents:
                        break
                    s = self.lay.sentences[j]
                    if k > 2 and "\n" in self.f[a.sentence.end : s.start]:
                        break  # past the next two sentences, only the anchor's own paragraph goes on
                    if _SEPARATE.match(self.f, s.start) or _RELATED_LINE.match(self.f, s.start):
                        break  # "وفي سياق منفصل", "In a separate development": another story
                    others = [pm for pm in self._other_places(s) if not (fam and self._family(pm) & fam)
                              and not self._encloses(pm, inc)]
                    others += [  # a sentence that names another incident's place is about that one
                        pm
                        for pm in self._span("places", s.start, s.end)
                        if not (fam and self._family(pm) & fam)
                        and any(self._family(pm) & g for g in fams if g is not fam)
                    ]
                    # "The town, sometimes called Suran Azaz ..., lies some ten kilometres north of
                    # Marea": a sentence that opens on "the town" describes the incident's own place;
                    # the others it names are landmarks
                    if others and not (_ANAPHOR.match(self.f, self._first_token(s)) and not self._attack_positions(s)):
                        break
                    key = (s.index, (s.start, s.end))
                    if key not in seen:
                        seen.add(key)
                        # after a sentence listing several attacks, its figures are for all of them
                        listed = any(o is not inc and any(b.sentence.index == a.sentence.index for b in o.anchors) for o in incidents)
                        inc.linked.append((s, (s.start, s.end), "next-shared" if listed else "next"))
        # sentences that name no other place but speak of chemicals, an attack or a denial:
        # in a one-incident text they are about it; otherwise they only add attributions
        # against an incident's perpetrators ("Russia denied the British accusations")
        all_fam: set[str] = set().union(*fams) if fams else set()
        own = [{x.index for x, _, _ in inc.linked} for inc in incidents]
        for s in self.lay.sentences:
            if len(incidents) > 1 and self._sent_has("denial", s) and _ALL_ATTACKS.search(self.f, s.start, s.end):
                # "ونفت الحكومة السورية مسؤوليتها عن الهجمات الثلاث", "Syria has denied all the findings":
                # a denial of every attack the text tells speaks for each
                for inc, mine in zip(incidents, own):
                    if s.index not in mine and not any(a.sentence.index == s.index for a in inc.anchors):
                        inc.linked.append((s, (s.start, s.end), "doc-attr"))
                continue
            if s.index in anchor_sents:
                continue
            if not (
                self._chemical(s.start, s.end)
                or self._attack_positions(s)
                or self._sent_has("denial", s)
                or self._sent_has("mutual", s)
            ):
                continue
            denial = self._sent_has("denial", s)
            if any(not (self._family(pm) & all_fam) and not any(
                    self._encloses(pm, inc) or (denial and self._province_of(pm, inc)) for inc in incidents)
                   for pm in self._other_places(s)):
                continue
            for inc, mine in zip(incidents, own):
                if s.index not in mine:
                    inc.linked.append((s, (s.start, s.end), "doc" if len(incidents) == 1 else "doc-attr"))

    def _encloses(self, pm: Any, inc: Incident) -> bool:
        """Is the mention a region or governorate holding the incident's place ("... تقدم الجيش في
        الغوطة الشرقية" after an attack on Douma)? Then it names no other place."""
        big = self._place(pm)
        if big.kind not in ("region", "governorate"):
            return False
        places = [self._place(a.place) for a in inc.anchors if a.place is not None]
        return bool(places) and all(
            _contains(big, p) or (big.kind == "region" and _km(big, p) <= 20) for p in places)

    def _province_of(self, pm: Any, inc: Incident) -> bool:
        """:meth:`_encloses`, or a governorate's seat named for its province ("denied using
        chemical weapons in Idlib" after attacks on Sarmin and Qmenas, Idlib province)."""
        if self._encloses(pm, inc):
            return True
        big = self._place(pm)
        if big.kind != "city" or not big.admin1 or not big.admin1.lower().startswith(big.name.lower()):
            return False  # only the seat ("Idlib" of "Idlib Governorate") names its province
        places = [self._place(a.place) for a in inc.anchors if a.place is not None]
        return bool(places) and all(
            p.id != big.id and p.admin1 == big.admin1 and p.country == big.country for p in places)

    def _other_places(self, s: Sentence) -> list[Any]:
        """Places a sentence puts something in (locative, not countries): a sentence naming one
        is about that place ("Moscow denied" names no place in this sense)."""
        attacks = self._attack_positions(s)
        return [
            pm
            for pm, loc, locator in self._place_roles(s)
            if loc
            and not locator
            and self._place(pm).kind != "country"
            and not self._speaker_location(pm, s)
            # "في المقابل، نفت موسكو": a capital that speaks is a party, not a place
            and not any(self._is_speaking(t, s) for t in self._touching("bodies", pm.start, pm.end))
            # "ذريعة لشن هجوم على إدلب", "arrived in Damascus": not where anything happened
            and (not attacks or self._attack_role_ok(s, pm.start, pm.end, attacks))
            # "three hospitals in Damascus received 3,600 patients": where the victims went
            and not self._care_place(pm, s) and not self._origin(pm, s)
        ]

    # ------------------------------------------------------------ output
    def _spans(self, inc: Incident) -> list[tuple[Sentence, tuple[int, int], str]]:
        """Where an incident's facts come from: its anchors, the sentences linked to it, the
        part of the sentence it repeats ("and again on 30 March" takes the agent of the first
        attack), and a series heading just above it ("سلسلة هجمات بغاز الكلور نفّذتها
        مروحيات النظام:")."""
        out = [(a.sentence, a.region, "anchor") for a in inc.anchors]
        for i in sorted({a.sentence.index for a in inc.anchors if a.sentence.index in self._told_before}):
            prev = self._told_before[i]
            out.append((prev, (prev.start, prev.end), "place"))  # its agent, toll and date
        out += [(a.base.sentence, a.base.region, "base") for a in inc.anchors if a.base is not None]
        # "attacks with chlorine on three towns: X on 11 April, Y on 18 April": the lead of a
        # sentence that lists several places speaks for each of them
        for a in inc.anchors:
            if a.place is not None and a.region[0] > a.sentence.start:
                lead_end = min(
                    (b.place.start - len(b.place.prefix) for b in self._sentence_anchors.get(a.sentence.index, []) if b.place),
                    default=a.region[0],
                )
                # "...إن لديها أدلة على أن النظام السوري استخدم الكلور في هجوم دوما": a named
                # reference's region starts just before it; the lead before that still speaks for it
                lead_end = min(lead_end, a.region[0])
                if lead_end > a.sentence.start:
                    # a named reference takes only who is accused from it, not the means or dates of
                    # the other events of its sentence ("ضربات صاروخية ... ردّاً على مجزرة دوما")
                    out.append((a.sentence, (a.sentence.start, lead_end), "named-lead" if a.named else "base"))
        # "استهدفت زملكا وعين ترما وجوبر في الغوطة الشرقية، إضافة إلى معضمية الشام، بصواريخ محملة
        # بغاز السارين": the part after a list's last place speaks for every place of the list
        for a in inc.anchors:
            for members, tail in self._lists(a.sentence.index):
                if a in members:
                    out.append((a.sentence, tail, "base"))
                    head = members[0]
                    if a is not head and head.place is not None and head.region[0] < head.place.start:
                        out.append((a.sentence, (head.region[0], head.place.start), "base"))
        out += inc.linked
        first = min(a.sentence.index for a in inc.anchors)
        lead = self._regional_lead(inc, first)
        if lead is not None and all(x.index != lead.index for x, _, _ in out):
            out.append((lead, (lead.start, lead.end), "base"))
        for j in (first - 1, first - 2):
            if j < 0:
                break
            h = self.lay.sentences[j]
            text = self.f[h.start : h.end].rstrip()
            if self._sent_has("plural_attacks", h) and (text.endswith(":") or self._sent_has("series", h)):
                out.append((h, (h.start, h.end), "heading"))
                break
        else:
            # "ثلاث شاحنات مفخخة محمّلة بغاز الكلور انفجرت أمس ... الانفجار الأول وقع عند ...": an item of
            # a series takes the lead that told the series (its agent, means and day)
            if any(_SERIES_ITEM.search(self.f, a.sentence.start, a.sentence.end) for a in inc.anchors):
                series_lead = self._series_lead(self.lay.sentences[first])
                if series_lead is not None:
                    out.append((series_lead, (series_lead.start, series_lead.end), "series"))
        return out

    def _other_strike_means(self, t: Term) -> bool:
        """"موضحاً أن المدينة تعرضت أيضاً لغارات بالصواريخ الفراغية", "the town was also hit by
        air strikes": a means in a stretch (between commas) that tells other strikes "also", with
        no chemical word in it."""
        if _PRETEXT_BEFORE.search(self.f, max(0, t.start - 40), t.start):
            return True  # "a pretext for the missile strikes carried out by the United States"
        a = max(self.f.rfind(c, 0, t.start) for c in ",،;؛.\n") + 1
        ends = [k for k in (self.f.find(c, t.end) for c in ",،;؛.\n") if k >= 0]
        b = min(ends) if ends else len(self.f)
        return _ALSO.search(self.f, a, b) is not None and not self._chemical(a, b)

    def _series_lead(self, s: Sentence) -> Sentence | None:
        """The lead that told the series an item ("الانفجار الأول", "the second truck") belongs to:
        the nearest chemical attack sentence of the five before that is no item itself."""
        for j in range(s.index - 1, max(-1, s.index - 6), -1):
            h = self.lay.sentences[j]
            if self._chemical(h.start, h.end) and self._attack_positions(h) and not _SERIES_ITEM.search(
                    self.f, h.start, h.end):
                return h
        return None

    def _regional_lead(self, inc: Incident, first: int) -> Sentence | None:
        """"In eastern Ghouta, the Commission documented that Government forces used weaponized
        chlorine on several occasions. On 13 January 2018, a rocket filled with chlorine struck
        Douma ...": a sentence shortly before that tells of repeated use in a region holding the
        incident's place speaks for it (who used what, who says so)."""
        places = [self._place(a.place) for a in inc.anchors if a.place is not None]
        if not places:
            return None
        for j in range(first - 1, max(-1, first - 7), -1):
            h = self.lay.sentences[j]
            if any(b.place is None or self._place(b.place).kind not in ("region", "governorate")
                   for b in self._sentence_anchors.get(j, [])):
                continue  # a sentence of its own attack (one told of a whole region may lead others)
            if not (self._sent_has("repeated", h) or self._sent_has("background", h)):
                continue
            if not (self._chemical(h.start, h.end) and self._attack_positions(h) and self._in("actors", h.start, h.end)):
                continue
            regions = [self._place(pm) for pm in self._span("places", h.start, h.end)]
            if any(r.kind in ("region", "governorate", "city")
                   and all(_contains(r, p) or (r.kind == "region" and _km(r, p) <= 20) for p in places) for r in regions):
                return h
        return None

    def _fired_by_aircraft(self, spans: list[tuple[Sentence, tuple[int, int], str]]) -> bool:
        """Is every rocket of the incident's own spans told within a few words after an aircraft?"""
        rockets = 0
        for s, (r0, r1), how in spans:
            if how not in ("anchor", "place", "base"):
                continue
            for t in self._in("means", r0, r1):
                if t.code != "rocket":
                    continue
                rockets += 1
                w0 = self.lay.tokens_before(t.start, 10, s.start)
                if not any(x.code in ("aircraft", "helicopter") for x in self._in("means", w0, t.start)):
                    return False
        return rockets > 0

    def _lists(self, si: int) -> list[tuple[list[Anchor], tuple[int, int]]]:
        """Lists of places told as one in sentence ``si`` (joined by "and", "as well as",
        "إضافة إلى", with no attack, date or figure between them), each with the part of the
        sentence after its last place (its tail); cached per sentence."""
        got = self._list_cache.get(si)
        if got is not None:
            return got
        placed: list[tuple[Any, Anchor]] = [(b.place, b) for b in self._sentence_anchors.get(si, []) if b.place is not None]
        placed.sort(key=lambda x: x[0].start)
        out: list[tuple[list[Anchor], tuple[int, int]]] = []
        chain: list[Anchor] = []
        ends: list[int] = []  # end of each chain member's place
        for pm, b in placed:
            if chain:
                prev = chain[-1]
                g0, g1 = ends[-1], pm.start  # the prefix too ("وبمعضمية", "as well as")
                if b.group == prev.group or not (
                    self.lay.tokens_between(g0, g1) > 8
                    or not _LIST_JOIN.search(self.f, g0, max(g0, g1))
                    or self._span("dates", g0, g1) or self._span("casualties", g0, g1)
                    or self._has("attack", g0, g1) or self._has("use", g0, g1)
                ):
                    chain.append(b)
                    ends.append(pm.end)
                    continue
                self._close_list(chain, out)
            chain, ends = [b], [pm.end]
        self._close_list(chain, out)
        self._list_cache[si] = out
        return out

    def _close_list(self, chain: list[Anchor], out: list[tuple[list[Anchor], tuple[int, int]]]) -> None:
        groups = {b.group for b in chain}
        last = chain[-1] if chain else None
        if len(groups) > 1 and last is not None and last.place is not None and last.place.end < last.region[1]:
            tail = (last.place.end, last.region[1])
            out.append((list(chain), tail))
            self._shared_tails.add(tail)

    def _render(self, inc: Incident) -> dict[str, Any]:
        spans = self._spans(inc)
        shared = {(a.sentence.index, a.region) for a in inc.anchors if a.shared}
        # agents
        agents: set[str] = set()
        means: set[str] = set()
        perps: set[str] = set()
        killed: Any = None
        injured: Any = None
        date = self._known_year(inc, inc.date)
        mutual = False
        next_agents: set[str] = set()
        weak_means: set[str] = set()  # means told right after the attack, without a chemical word
        anchor_means: set[str] = set()  # the anchor's means, in a sentence without a chemical word
        # "The OPCW said samples from Navalny showed a Novichok agent" (before the anchor); not a
        # sentence about another party's use ("استخدام النظام غاز الكلور" in a report on ISIS)
        doc_agents: list[tuple[set[str], set[str], bool]] = []
        inherited: dict[str, set[str]] = {"agents": set(), "means": set(), "perps": set()}
        for s, (r0, r1), how in spans:
            if how == "doc-attr":
                continue
            speakers = {(t.start, t.end) for t in self._sent_speakers(s)[1]}
            if how in ("base", "heading", "named-lead", "series"):
                if how != "named-lead":
                    inherited["agents"] |= {t.code for t in self._agents(r0, r1)}
                    inherited["means"] |= {t.code for t in self._in("means", r0, r1)}
                if how == "series" and date is None:
                    # the lead told the series' day ("انفجرت أمس الجمعة"), not a meeting's
                    date = next((d for d in self._span("dates", r0, r1) if self._usable_date(d)
                                 and not self._said_on(s, d.start)), None)
                inherited["perps"] |= {
                    t.code for t in self._in("actors", r0, r1)
                    if not self._denier(t, s) and not any(t.start < e and b < t.end for b, e in speakers)
                    and not self._holder(t) and not self._inside_body(t)
                }
                continue
            if how in ("next", "next-shared", "doc") and _TALLY.search(self.f, s.start, s.end):
                continue  # "وثقنا ... 222 هجوماً كيميائياً، نفذ النظام 217 منها": a tally tells no one attack
            if how in ("next", "next-shared", "doc") and self._planned_only(s):
                continue  # "أكدت الخارجية أن الإرهابيين يحضّرون لاستخدام مواد كيميائية ... لاتهام الجيش": a plan, not this attack
            if how in ("next", "next-shared") and inc.date is not None and any(
                self._usable_date(d) and d.precision == "day" and not _overlap(d, inc.date)
                for d in self._span("dates", s.start, s.end)
            ):
                continue  # "وكانت البلدة تعرضت لهجوم مماثل في 22 آب أصيب فيه 9": another day, another attack
            is_anchor = how == "anchor"
            chem = self._chemical(s.start, s.end) or s.index in self._told_before

            # "repeatedly", "مراراً": a sentence about past use; but the anchor's own region, when it
            # holds no such word, still tells this attack ("في نيسان 2014 ألقت مروحيات النظام براميل
            # الكلور على كفرزيتا مراراً" names its agent)
            background = self._sent_has("background", s) or (not is_anchor and self._sent_has("repeated", s))
            # ("has previously blamed the Syrian military for three attacks using sarin and chlorine in
            # the town of Ltamenah in March 2017": an anchor dated in its own region tells its own agents)
            if how in ("anchor", "place") and (not background or (is_anchor and any(
                    a.date is not None and a.region == (r0, r1) and r0 <= a.date.start < r1
                    for a in inc.anchors if a.sentence.index == s.index))):
                agents |= {t.code for t in self._agents(r0, r1)}
            elif how in ("next", "next-shared") and not background and not self._other_attacks(s):
                next_agents |= {t.code for t in self._agents(r0, r1)}
            elif how == "doc" and not background and not self._other_attacks(s):
                lead = not self._attack_positions(s)  # tells no attack of its own
                doc_agents.append(({t.code for t in self._agents(r0, r1)}, {t.code for t in self._in("actors", s.start, s.end)}, lead))
            if chem and not background:
                means |= {t.code for t in self._in("means", r0, r1) if not self._other_strike_means(t)}
            elif is_anchor and not background:
                # "another such rocket struck Douma": the anchor's own means, when its agent is told elsewhere
                anchor_means |= {t.code for t in self._in("means", r0, r1)}
            elif how == "next" and not background and self._attack_positions(s) and not self._other_attacks(s):
                # "واتهم الائتلاف قوات النظام بتنفيذ الهجوم عبر مروحيات ألقت براميل متفجرة"
                weak_means |= {t.code for t in self._in("means", r0, r1)}
            elif how == "place" and not background and any(a.sentence.index == s.index + 1 for a in inc.anchors) \
                    and self._attack_positions(s) and not self._other_attacks(s):
                # "ألقت طائرة حربية قنابل على بلدة خان شيخون ... وخلصت الآلية إلى أن الحكومة مسؤولة عن
                # إطلاق غاز السارين على البلدة": the attack on the place, told just before its chemical
                weak_means |= {t.code for t in self._in("means", r0, r1)}
            if self._sent_has("mutual", s):
                mutual = True
            # a following sentence that only speaks of chemical weapons ("روسيا تقوض جهود محاسبة
            # المسؤولين عن استخدام الأسلحة الكيميائية") names no perpetrator of this attack
            talks_only = how in ("next", "doc", "place") and not self._attack_positions(s) and not self._sent_has("accuse", s) \
                and not self._agents(s.start, s.end)
            # a sentence that names the place about a strike of its own, with no chemical word ("وتعرضت
            # سراقب لقصف جوي مكثف تزامن مع تقدم القوات الحكومية"), tells who else fought there, not who did this
            other_strike = how == "place" and not chem and not self._sent_has("finding", s) \
                and not _RESPONSIBLE.search(self.f, s.start, s.end)
            if (chem and not talks_only) or is_anchor or (self._attack_positions(s) and not other_strike) \
                    or self._sent_has("accuse", s):
                # "استخدمت روسيا الفيتو ضد ... الآلية التي حمّلت النظام السوري مسؤولية الهجوم على خان
                # شيخون": when the anchor's sentence says whom it holds responsible, only they are
                accused = self._accused(s, r0, r1) if is_anchor else set()
                for t in self._in("actors", r0, r1):
                    if accused and t.code not in accused:
                        continue
                    if any(t.start < e and b < t.end for b, e in speakers) or self._holder(t):
                        continue
                    if self._actor_voice(t, s):
                        continue  # "..., a rebel official said": who tells it, not who did it
                    if self._denier(t, s):
                        continue
                    if not is_anchor:
                        # "نفت روسيا أن تكون طائراتها...": not in a denial's clause ("...blamed the
                        # Russian state; Russia denied it" keeps the accused of the first clause)
                        c0, c1 = self._clause_of(t.start, s)
                        if self._has("denial", c0, c1):
                            continue
                        if not any(c0 <= a < c1 for a in self._attack_positions(s)) and not self._has("accuse", c0, c1) \
                                and not self._chemical(c0, c1):
                            continue  # "...؛ ففي كل مرة كانت موسكو تعطّل مجلس الأمن بالفيتو": a clause of no attack
                    elif self._told_by_denier(t, s):
                        continue  # "Russia claimed the deaths were caused by a strike on a rebel depot": its version
                    perps.add(t.code)
            # a one-incident text's toll update further on ("ارتفاع حصيلة القتلى إلى 72", "the death toll rose")
            update = how == "doc" and _TOLL_UPDATE.search(self.f, r0, r1) is not None
            if (s.index, (r0, r1)) not in shared and (how not in ("doc", "next-shared") or update):
                for c in self._span("casualties", r0, r1):
                    if not inc.known and any(t0 <= c.start < t1 for t0, t1 in self._shared_tails):
                        continue  # a figure after a list of places is not this place's alone
                    if c.kind == "killed" and (killed is None or c.low > killed.low):
                        killed = c
                    elif c.kind == "injured" and (injured is None or c.low > injured.low):
                        injured = c
            if date is None and not is_anchor and how != "doc-attr" and (chem or self._attack_positions(s)):
                attacks = self._attack_positions(s)
                for d in self._span("dates", r0, r1):
                    if self._usable_date(d) and self._attack_role_ok(s, d.start, d.end, attacks):
                        date = d
                        break
        if not perps:
            perps = inherited["perps"] or self._doc_perpetrators(spans)
        if not agents:
            agents = next_agents or inherited["agents"]  # the next sentence, the first attack, the heading
        if not agents:
            agents = self._same_agent(inc)
        if not agents:
            # "نتائج تشريح جثث ضحايا هجوم خان شيخون ... أظهرت أن الضحايا تعرضوا لغاز السارين": a named
            # attack alone in its sentence takes the agent the sentence names
            for na in inc.anchors:
                if not na.named or na.place is None:
                    continue
                mine = self._family(na.place)
                peers = self._sentence_anchors.get(na.sentence.index, [])
                if all(b.place is None or self._family(b.place) & mine for b in peers):
                    agents |= {t.code for t in self._agents(na.sentence.start, na.sentence.end)}
        if not agents:
            agents = {c for codes, actors, lead in doc_agents if not actors or lead for c in codes}  # the text
        if not agents and self._prev_agents and any(
                _SIMILAR.search(self.f, a.sentence.start, a.sentence.end) for a in inc.anchors):
            agents = set(self._prev_agents)  # "استهدف صاروخ مماثل دوما", "another such rocket": the attack before's agent
        if not agents:
            # "تعرّضت ستورجس ... للمادة ذاتها": the one agent the text names; also, in a story of a
            # targeted poisoning (an agent used only so: Novichok, VX), for each of its scenes
            named = {t.code for t in self._agents(0, len(self.f))}
            if len(named) == 1 and (
                    any(_SAME_SUBSTANCE.search(self.f, a.sentence.start, a.sentence.end) for a in inc.anchors)
                    or self.v.default_means.get(next(iter(named))) == "poisoning"):
                agents = named
        if not means:
            means = inherited["means"] or weak_means or (anchor_means if agents else set())
        if not means:
            means = {m for a in agents if (m := self.v.default_means.get(a))}  # Novichok: a poisoning
        if "helicopter" in means:
            means.discard("aircraft")
        if {"aircraft", "rocket"} <= means and self._fired_by_aircraft(spans):
            means.discard("rocket")  # "طائرات ثابتة الجناح ... بصواريخ", "warplanes fired missiles": an air strike
        if mutual:
            perps = set()
        place = self._best_place(inc)
        abroad = place is not None and place["country"] not in ("SY", None)
        if abroad:
            perps.difference_update(_SYRIAN_PARTIES)
        attributions = self._attributions(inc, spans, perps, mutual, abroad)
        # one piece of evidence per stretch of text: regions that overlap or touch (two places of
        # one sentence) are told once, where the first of them stands
        kept: list[list[int]] = []  # [start, end, sentence]
        for s, (r0, r1), _ in spans:
            a, b = self.ft.src_span(r0, r1)
            for k in kept:
                if (a < k[1] and k[0] < b) or (k[2] == s.index and a <= k[1] and k[0] <= b):
                    k[0], k[1] = min(k[0], a), max(k[1], b)
                    break
            else:
                kept.append([a, b, s.index])
        evidence = [{"start": a, "end": b, "text": self.norm[a:b]} for a, b, _ in kept]
        return {
            "place": place,
            "date": self._date_json(date),
            "agents": sorted(agents) or ["unspecified"],
            "means": sorted(means) or ["unspecified"],
            "killed": self._num_json(killed),
            "injured": self._num_json(injured),
            "perpetrators": sorted(perps),
            "attributions": attributions,
            "evidence": evidence,
        }

    def _same_agent(self, inc: Incident) -> set[str]:
        """"..., the same nerve agent used against Skripal in nearby Salisbury", "بالمادة نفسها":
        the agents of the attack told just before in the sentence."""
        out: set[str] = set()
        for a in inc.anchors:
            if not _SAME_AGENT.search(self.f, a.region[0], a.region[1]):
                continue
            before = [b for b in self._sentence_anchors.get(a.sentence.index, []) if b.region[1] <= a.region[0]]
            if not before:  # "Ten days later the group used the same agent against Marea": the attack before
                earlier = [i for i in self._sentence_anchors if i < a.sentence.index]
                before = self._sentence_anchors[max(earlier)] if earlier else []
            if before:
                r0, r1 = before[-1].region
                out |= {t.code for t in self._agents(r0, r1)}
        return out

    def _other_attacks(self, s: Sentence) -> bool:
        """"three other attacks", "هجمات أخرى": attacks besides this one; "The attacks used
        rockets" after a text's one attack on two suburbs means that attack."""
        for t in self._in("plural_attacks", s.start, s.end):
            pre = self.f[max(s.start, t.start - 8) : t.start]
            if not (re.search(r"(?<![a-z])(?:the|these|both)\s+$", pre) and t.end - t.start <= 8):
                return True
        return False

    def _holder(self, t: Term) -> bool:
        """"the rebel-held town", "الخاضعة لسيطرة المعارضة": who holds the place, not who attacked
        it; "إصابة 7 من مقاتلي فصائل المعارضة", "killing 5 rebel fighters": who was hit."""
        after = self.f[t.end : t.end + 14]
        before = self.f[max(0, t.start - 24) : t.start]
        if re.match(r"\s*-?\s*(?:held|controlled)(?![a-z])", after) or re.search(
            r"(?:held|controlled) by\s*(?:the\s+)?$|(?:خاضع\w*|تحت)\s+(?:ل)?سيطره\s*$|تسيطر عليها\s*$|خاضع\w*\s+$", before
        ):
            return True
        if _CALLER_BEFORE.search(self.f, max(0, t.start - 12), t.start) or _CALLER_AFTER.match(self.f, t.end):
            return True  # "فيما دعت روسيا إلى عدم استباق النتائج", "Russia called for": who asks, not who attacked
        c0 = self.lay.tokens_before(t.start, 4)
        return any(_VICTIMS_OF.fullmatch(self.f, c.end, t.start) for c in self._span("casualties", c0, t.start))

    def _doc_perpetrators(self, spans: list[tuple[Sentence, tuple[int, int], str]]) -> set[str]:
        """"سلسلة هجمات بغاز الكلور نفّذتها مروحيات النظام": who the text says carried out its
        attacks, for an incident whose own sentences name nobody."""
        out: set[str] = set()
        for s, _r, how in spans:
            if how not in ("doc", "doc-attr") or not self._attack_positions(s):
                continue
            if self._sent_has("mutual", s) or self._sent_has("denial", s):
                continue
            speakers = self._sent_speakers(s)[1]
            if any(b.code in _DENIERS for b in speakers):
                continue  # "اتهم التلفزيون الرسمي السوري جبهة النصرة بتنفيذ الهجوم": a party's own version
            for t in self._in("actors", s.start, s.end):
                if not any(t.start < b.end and b.start < t.end for b in speakers):
                    out.add(t.code)
        return out

    def _is_speaking(self, t: Term, s: Sentence) -> bool:
        key = (t.start, t.end, s.index)
        if key not in self._speaking_cache:
            self._speaking_cache[key] = self._is_speaking_uncached(t, s)
        return self._speaking_cache[key]

    def _is_speaking_uncached(self, t: Term, s: Sentence) -> bool:
        """A body that says, finds, accuses or denies: the first party after such a verb
        ("وقال مسؤول ... في مكتب توثيق", "حمّلت الآلية الحكومة": the mechanism, not the
        government) or the party right before it ("HRW said")."""
        if re.search(r"(?<![a-z])by(?:\s+the)?\s*$|من قبل\s*$", self.f[max(s.start, t.start - 12) : t.start]):
            return False  # "staged by the White Helmets": the agent of the verb, not its speaker
        if self._colon_speaker(t, s):
            return True
        verbs = ("speech", "allegation", "denial", "finding", "mutual")
        w0 = self.lay.tokens_before(t.start, 6, s.start)
        # English is subject-verb: in "Rebels said a Syrian government helicopter dropped ..." the
        # party after "said" is talked about; only an inverted "..., said the ministry" (nothing but
        # a comma or a quote before the verb) or "according to" puts the speaker after it
        cues = [c for g in verbs for c in self._in(g, w0, t.start)]
        if cues and _WHICH_SAID.match(self.f, t.end):
            return True  # "rejected the account of state media, which claimed that ...": its own clause
        if any(_EN_VERB.fullmatch(self.f, c.start, c.end) and (
                _SUBJECT_END.search(self.f, max(s.start, c.start - 3), c.start) or _THAT_OR_QUOTE.match(self.f, c.end, t.start))
               for c in cues):
            return False  # also "said that \"whoever conducted the attacks, Russia bears responsibility\""
        w1 = self.lay.tokens_after(t.end, 3, s.end)
        if _TITLE.match(self.f, t.end):
            w1 = self.lay.tokens_after(t.end, 6, s.end)  # "Russia's Foreign Ministry spokeswoman Maria Zakharova said"
        seat = self._seat(t)
        if seat:
            w1 = self.lay.tokens_after(seat[0].end, 3, s.end)
        after = [c for g in verbs for c in self._in(g, t.end, w1)]
        app = _APPOSITIVE.match(self.f, t.end, s.end)
        if app and not after:  # "The White Helmets, the rescue service that operates in rebel-held areas, said"
            after = [c for g in verbs for c in self._in(g, app.end(), self.lay.tokens_after(app.end(), 2, s.end))]
        chain = self._listed_after(t, s)  # "The United States, Britain and France said"
        if chain and not [c for c in after if c.start < chain[-1].start]:
            after = [c for g in verbs for c in self._in(g, chain[-1].end, self.lay.tokens_after(chain[-1].end, 3, s.end))]
        p0 = self.lay.tokens_before(t.start, 1, s.start)
        if re.fullmatch(r"\s*the\s*", self.f[p0 : t.start]):
            p0 = self.lay.tokens_before(t.start, 2, s.start)  # "concluded that the Syrian government used"
        after = [c for c in after if not re.search(r"respons|مسوول", self.f[c.start : c.end])]
        if self.v.has("complementizer", self.f[p0 : t.start]) and not after:
            return False  # "said that Russia was responsible", "يثبت أن النظام السوري مسؤول عن": talked about
        if cues:
            last = max(cues, key=lambda c: c.end)
            # "تحميل الآلية الحكومةَ المسؤولية": "the mechanism" (a generic body) speaks, not the government
            between = [x for g in ("bodies", "actors", "generic_body", "informant") for x in self._in(g, last.end, t.start)]
            if not between and last.start > s.start:
                # "Human Rights Watch said Syrian government helicopters dropped ...": the party
                # right before the verb is the speaker; the one after it is talked about
                v0 = self.lay.tokens_before(last.start, 3, s.start)
                for g in ("bodies", "actors"):
                    for x in self._touching(g, v0, last.start):
                        gap = self.f[x.end : last.start]
                        if v0 <= x.end <= last.start and not re.search(r"[,،;:\"]|(?<!\w)(?:و|فيما|بينما|and|while)(?!\w)", gap):
                            return False
            if between and all(x.group == "bodies" for x in between):
                # "قالت منظمتا هيومن رايتس ووتش والعفو الدولية": speakers joined by "and"
                rest = self.f[max(x.end for x in between) : t.start]
                if re.fullmatch(r"[\s,]*(?:and(?:\s+the)?|و)[\s,]*", rest) or (self.f[t.start] == "و" and not rest.strip(" ,")):
                    between = []
            if not between and self.f.startswith("ال", last.start) and not self.f[last.end : t.start].strip() \
                    and any(g.start == last.start for g in self._touching("generic_body", last.start, last.end)):
                return False  # "وطالب التقرير مجلسَ الأمن": the report asks the Council (a "تقرير لجنة" would be its author's)
            if not between:
                if self._has("accuse", last.start, last.end):
                    # "حمّلت الآلية الحكومة المسؤولية": a party just before the verb accuses
                    v0 = self.lay.tokens_before(last.start, 4, s.start)
                    if any(v0 < x.end <= last.start for g in ("bodies", "actors") for x in self._touching(g, v0, last.start)):
                        return False
                return True
        head = self._head(s, t.start)  # the sentence before the party, past a wire's dateline
        if not after and re.match(r"\s+and\s", self.f[t.end : t.end + 6]) and _SUBJECT_HEAD.fullmatch(head):
            # "Rebels and rescue workers said ...": a sentence's subject joined to an uncoded one
            w2 = self.lay.tokens_after(t.end, 6, s.end)
            later = [c for g in verbs for c in self._in(g, t.end, w2)]
            if later and not [x for g in ("bodies", "actors") for x in self._in(g, t.end, min(c.start for c in later))]:
                return True
        if not after:
            # "The Syrian American Medical Society and the White Helmets said"
            w2 = self.lay.tokens_after(t.end, 8, s.end)
            m = re.match(r"\s*(?:and(?:\s+the)?|و)\s*", self.f[t.end : w2])
            nxt = [x for x in self._in("bodies", t.end, w2)]
            if m and nxt and nxt[0].start <= t.end + m.end() + 1:
                return self._is_speaking(nxt[0], s)
        if after:
            first = min(c.start for c in after)
            between = [x for g in ("bodies", "actors") for x in self._in(g, t.end, first) if x not in seat and x not in chain]
            return not between
        if self.f[t.start].isascii() and (_SUBJECT_HEAD.fullmatch(head) or _JOINED_SUBJECT.fullmatch(head)):
            # "U.S. Secretary of State Rex Tillerson, speaking in Paris, said that ...": the subject
            # that opens an English sentence speaks through the first verb of saying, when no
            # other party stands between them
            w2 = self.lay.tokens_after(t.end, 14, s.end)
            later = [c for g in verbs for c in self._in(g, t.end, w2) if _EN_VERB.fullmatch(self.f, c.start, c.end)]
            if later and not _EN_CLAUSE_WORD.search(self.f, t.end, min(c.start for c in later)):
                first = min(c.start for c in later)
                # (a place it speaks in is no party: "speaking in Paris")
                return not [x for g in ("bodies", "actors", "generic_body", "informant") for x in self._in(g, t.end, first)
                            if not _EN_WHERE_BEFORE.search(self.f, max(t.end, x.start - 8), x.start)]
        return False

    def _listed_after(self, t: Term, s: Sentence) -> list[Term]:
        """Bodies listed right after ``t`` ("The United States, Britain and France", "الولايات المتحدة
        وبريطانيا وفرنسا"): they speak with it through the verb after the last."""
        out: list[Term] = []
        last = t
        for x in self._in("bodies", t.end, self.lay.tokens_after(t.end, 12, s.end)):
            if x.start < last.end:
                continue
            if not (_LIST_SEP.fullmatch(self.f, last.end, x.start) or (self.f[x.start] == "و" and not self.f[last.end : x.start].strip())):
                break
            out.append(x)
            last = x
        return out

    def _first_token(self, s: Sentence) -> int:
        """Where the sentence's first word starts (past its leading spaces and line breaks)."""
        return self.lay.tokens_before(self.lay.tokens_after(s.start, 1, s.end), 1, s.start)

    def _head(self, s: Sentence, pos: int) -> str:
        """The sentence up to ``pos``, without a wire's dateline ("BEIRUT (Reuters) - ")."""
        m = _WIRE_PREFIX.match(self.f, s.start, pos)
        return self.f[m.end() if m else s.start : pos]

    def _colon_speaker(self, t: Term, s: Sentence) -> bool:
        """"الدفاع المدني السوري: طائرات النظام قصفت ...", "عاجل | وزارة الدفاع الروسية: ...",
        "Syrian Civil Defence: regime helicopters dropped ...": a party that opens its line, a colon
        after it, speaks what follows (a ticker, a headline, a quote)."""
        head = self.f[max(s.start, self.f.rfind("\n", 0, t.start) + 1) : t.start]
        if not _COLON_HEAD.fullmatch(head):
            return False
        return _COLON_TAIL.match(self.f, t.end, min(s.end, t.end + 40)) is not None

    def _told_by_denier(self, t: Term, s: Sentence) -> bool:
        """Is the actor part of a denier's own version ("Russia has claimed that ... a Syrian air
        strike hit a rebel chemical weapons depot")? A denier that speaks before it, denying."""
        if not self._sent_has("denial", s):
            return False
        return any(
            b.end <= t.start and b.code in _DENIERS and b.code != t.code and self._clause_denial(b, s)
            for b in self._sent_speakers(s)[1]
        )

    def _reported(self, t: Term, x: Term, s: Sentence) -> bool:
        """Is party ``x`` inside what ``t`` says ("Russia said that rebels were preparing a
        provocation") and not a speaker itself?"""
        that = _THAT.search(self.f, t.end, x.start)
        return that is not None and not self._is_speaking(x, s)

    def _seat(self, t: Term) -> list[Term]:
        """"Russia's permanent representative to the OPCW": the body an envoy is posted to, part
        of the speaker's title (the verb comes after it); [] when none."""
        post = _POSTED_TO.match(self.f, t.end)
        if post is None:
            return []
        return [x for x in self._touching("bodies", post.end(), post.end() + 1) if x.start == post.end()]

    def _clause_denial(self, t: Term, s: Sentence) -> bool:
        """Is a denial word in this speaker's own clause ("ووصفت دمشق الاتهام بأنه «مسرحية»"),
        not in another party's ("..., في حين نفت الفصائل ...")?"""
        brk = re.compile(r"(?<!\w)(?:في حين|بينما|فيما|while|whereas|but)(?!\w)|[;؛]")
        for c in self._in("denial", s.start, s.end):
            if c.start >= t.end:
                gap = self.f[t.end : c.start]
                seat = self._seat(t)
                if self.lay.tokens_between(t.end, c.start) <= 24 and not brk.search(gap) \
                        and not [x for x in self._in("bodies", t.end, c.start)
                                 if x not in seat and x.code != t.code and not self._reported(t, x, s)]:
                    return True
            elif (
                self.lay.tokens_between(c.end, t.start) <= 3
                and not brk.search(self.f[c.end : t.start])
                and not re.search(r"(?<![a-z])by(?![a-z])|من قبل", self.f[c.end : t.start])
                # "ويرفض الائتلاف رواية وسائل إعلام النظام": the party between the verb and this
                # one denies; this one's account is what is rejected
                and not any(x.code != t.code for x in self._in("bodies", c.end, t.start))
                # "rejected the account of state media": whose account is rejected
                and not _ACCOUNT_OF.search(self.f, c.end, t.start)
            ):
                return True
        return False

    def _denier(self, t: Term, s: Sentence, depth: int = 0) -> bool:
        w0 = self.lay.tokens_before(t.start, 2, s.start)
        w1 = self.lay.tokens_after(t.end, 2, s.end)
        pre = self.f[w0 : t.start]
        by = re.search(r"(?<![a-z])by(?:\s+the)?\s*$|(?:من قبل)\s*$", pre)
        if by:
            # "allegations denied by the Syrian government": the denier; "staged by the White
            # Helmets": the accused of the denial
            v0 = self.lay.tokens_before(w0 + by.start(), 1, s.start)
            return self.v.has("denial", self.f[v0 : w0 + by.start()])
        if self.v.has("denial", pre) or self.v.has("denial", self.f[t.end : w1]):
            return True
        # "... denied by the Syrian government and its ally Russia": joined to a denier
        j0 = self.lay.tokens_before(t.start, 4, s.start)
        joined = re.search(r"(?<![a-z])and(?:\s+(?:its|their)\s+(?:ally|allies|backer))?(?:\s+the)?\s*$|(?<!\w)و\s*$", self.f[j0 : t.start])
        if joined is None or depth > 2:
            return False
        cut = j0 + joined.start()
        prev = [x for g in ("actors", "bodies") for x in self._in(g, max(s.start, cut - 40), cut) if x.end <= cut]
        if not prev:
            return False
        p = max(prev, key=lambda x: x.end)
        return not self.f[p.end : cut].strip(" ,") and self._denier(p, s, depth + 1)

    def _attributions(
        self, inc: Incident, spans: list[tuple[Sentence, tuple[int, int], str]], perps: set[str], mutual: bool,
        abroad: bool = False,
    ) -> list[dict[str, str]]:
        """Who attributes the incident to whom. ``abroad``: the place is outside Syria, so "the
        government forces" of the text are not the Syrian government ("Sudanese government forces")."""
        out: dict[tuple[str, str], dict[str, str]] = {}
        default_against = min(perps) if perps else "unknown"

        restrict = False

        def add(by: str, against: str, stance: str) -> None:
            # a denier speaks for its side: Russia denies for the Syrian government it backs (data: bodies' ``backs``)
            # and an accusation of the backer is one of its ally's deed ("Russia ultimately bears
            # responsibility" for the Syrian government's attack)
            if restrict and against not in perps and not (stance == "denial" and perps & self.v.backs.get(by, frozenset({by}))) \
                    and not (stance == "allegation" and perps & self.v.backs.get(against, frozenset())):
                return
            out.setdefault((by, stance), {"by": by, "against": against, "stance": stance})

        own_voice_perp: str | None = None
        seen_sentences: set[int] = set()
        for s, (r0, r1), how in spans:
            if s.index in seen_sentences:
                continue
            seen_sentences.add(s.index)
            restrict = how == "doc-attr"
            sent_actors = self._accusable(s)
            if abroad:
                sent_actors = [t for t in sent_actors if t.code not in _SYRIAN_PARTIES]
            bodies = self._sent_speakers(s)[0]
            finding_cue = self._sent_has("finding", s)
            denial_cue = self._sent_has("denial", s)
            if mutual and self._sent_has("mutual", s):
                parties = []
                for t in sorted(bodies + self._in("actors", s.start, s.end), key=lambda x: x.start):
                    if t.code in ("syrian-government", "syrian-opposition", "russia", "isis") and t.code not in parties:
                        parties.append(t.code)
                if len(parties) >= 2:
                    add(parties[0], parties[1], "allegation")
                    add(parties[1], parties[0], "allegation")
                    # "أفاد المرصد ... فيما تبادل النظام والمعارضة الاتهامات": the reporter still speaks
                    for t in bodies:
                        if t.code not in parties and t.code not in self.v.investigative and self._is_speaking(t, s):
                            add(t.code, "unknown", "allegation")
                continue
            for t in bodies:
                code = t.code
                if code in self.v.investigative:
                    if denial_cue and self._denier(t, s):
                        continue
                    before = self.f[max(s.start, t.start - 12) : t.start]
                    if _RECIPIENT.search(before) or (_RECIPIENT_AR.match(self.f, t.start) and not _PART_OF.search(before)):
                        # "new funding for the OPCW", "ستقدم ... لمنظمة حظر": given to, not speaking (but
                        # "بعثة تقصي الحقائق التابعة لمنظمة حظر": the mission's parent speaks through it)
                        continue
                    # the accused told after the body, preferring one of this incident's perpetrators
                    # ("خلصت الآلية إلى أن داعش استخدم ... في أم حوش، وأن النظام مسؤول عن هجوم خان شيخون")
                    told = [x.code for x in sent_actors if x.start > t.end]
                    against = next((c for c in told if c in perps), None) or (told[0] if told else default_against)
                    if finding_cue and (code not in _POLITICAL or any(
                        not _WEAK_FINDING.match(self.f, c.start) for c in self._in("finding", s.start, s.end)
                    )):
                        add(code, against, "finding")
                    elif self._is_speaking(t, s):
                        # an inquiry that speaks without concluding ("Guterres said he was deeply
                        # disturbed by reports of the use of chemical weapons in Douma"): no finding
                        add(code, against, "allegation" if code in _POLITICAL else "finding")
                    continue
                denies = self._denier(t, s)
                if not denies and not self._is_speaking(t, s):  # "denied by the Syrian government" speaks
                    continue
                if denies or (denial_cue and self._clause_denial(t, s)):
                    if code not in _DENIERS:
                        continue  # "«الخوذ البيضاء» أعدّت مسرحية": rescuers, NGOs, states that accuse do not deny
                    add(code, code, "denial")
                else:
                    against = next((x.code for x in sent_actors if x.code != code), None) or default_against
                    add(code, against, "allegation")
            for t in self._in("actors", s.start, s.end):
                if t.code in self.v.body_codes and self._actor_voice(t, s):
                    # "an official with the Fastaqim rebel group said", "قيادي في المعارضة": the side speaks
                    against = next((x.code for x in sent_actors if x.code != t.code), None) or default_against
                    if against != t.code:
                        add(t.code, against, "allegation")
            for t in self._pronoun_speakers(s):
                # '"..., and eight people were treated," he said': the speaker of the sentence before
                against = next((x.code for x in sent_actors if x.code != t.code), None) or default_against
                if t.code in self.v.investigative:
                    add(t.code, against, "finding" if finding_cue else "allegation" if t.code in _POLITICAL else "finding")
                elif denial_cue and t.code in _DENIERS and not (against in perps and against not in self.v.backs.get(t.code, frozenset({t.code}))):
                    add(t.code, t.code, "denial")
                elif against != t.code:
                    # (also "وأضاف المصدر أن سورية لم تستخدم ...، مذكّراً بأن المجموعات الإرهابية هي من
                    # استخدمت الأسلحة الكيميائية في خان العسل": it denies its own and accuses another's)
                    add(t.code, against, "allegation")
            allies = self._in("allies", s.start, s.end)
            if allies and s.index > 0 and self._in("speech", allies[0].start - 30, allies[0].end + 30):
                # "وقالت الدول الثلاث إن قوات النظام استخدمت الكلور", "the three allies said": the
                # states named in the sentence before
                prev = self.lay.sentences[s.index - 1]
                for t in self._in("bodies", prev.start, prev.end):
                    if t.code in ("usa", "uk", "france"):
                        add(t.code, default_against, "allegation")
            for t in self._in("generic_body", s.start, s.end):
                # "the Commission documented that ...": the inquiry the text is about speaks
                said = _SAID_AFTER.match(self.f, t.end) is not None
                inquiry = self._generic_code(t)
                if inquiry and (finding_cue or said):
                    add(inquiry, default_against, "finding")
                    break
            # the outlet's own voice: nobody says it ("الدفاع المدني السوري: ..." does)
            if not restrict and not self._sent_has("speech", s) and not any(self._colon_speaker(t, s) for t in bodies):
                for t in sent_actors:
                    if t.code in perps:
                        own_voice_perp = own_voice_perp or t.code
        restrict = False
        lead = self._lead_speakers(inc)
        for t in lead:
            if t.code in self.v.investigative:
                add(t.code, default_against, "finding")
            elif t.code in _DENIERS and self._denier(t, self.lay.sentence_at(t.start)):
                add(t.code, t.code, "denial")
            else:
                add(t.code, default_against, "allegation")
        # (a party that owns up to its own deed, "اعترف جيش الإسلام بأن أحد قادته استخدم", accuses no one else)
        if own_voice_perp is None and perps and not any(x["stance"] != "denial" and x["by"] != x["against"] for x in out.values()):
            # "Islamic State militants fired rockets at Taza, Iraqi officials said": nobody the
            # contract codes accuses; the outlet reports the accusation itself
            own_voice_perp = min(perps)
        if own_voice_perp is not None:
            add("media", own_voice_perp, "allegation")
        return list(out.values())

    def _lead_speakers(self, inc: Incident) -> list[Term]:
        """Who speaks for a list of attacks: a byline ("المرصد السوري لحقوق الإنسان – 3 أيار
        2014") or the lead sentence just before the anchors ("قالت الشبكة السورية ... إنها وثقت
        217 هجوماً ... ومن أبرزها: ..."), when the incident's own sentences name no speaker."""
        first = min(a.sentence.index for a in inc.anchors)
        out: list[Term] = []
        line_end = self.f.find("\n", 0, 200)
        if 0 < line_end <= 100:
            head = [t for t in self._in("bodies", 0, line_end) if not self._has("attack", 0, line_end)
                    and not self._dateline_city(t)]
            own = self.lay.sentences[first]
            if head and head[0].code in _DENIERS and self.terms.get("denial"):
                head = []  # "دمشق-سانا" over a denial: the denial is its stance
            if head and not self._sent_speakers(own)[1]:
                out += head[:1]
        if first >= 1:
            own = self.lay.sentences[first]
            j = first - 1
            if self._row(own):
                # the third entry of a list: its lead is above the entries before it
                while j > 0 and j in self._sentence_anchors and self._row(self.lay.sentences[j]):
                    j -= 1
            prev = self.lay.sentences[j]
            p0 = min((a.place.start for a in inc.anchors if a.place is not None and a.sentence.index == first), default=own.start)
            listing = (
                self._has("plural_attacks", prev.start, prev.end)
                or self.f[prev.start : prev.end].rstrip().endswith(":")
                or self._has("plural_attacks", own.start, p0)
            )
            own_speakers = self._sent_speakers(own)[1]
            if prev.index not in self._sentence_anchors and listing and not own_speakers:
                out += self._sent_speakers(prev)[1][:1]
        return out

    def _known_year(self, inc: Incident, d: Any) -> Any:
        """"ثم جاء الرابع من نيسان في خان شيخون" in a piece of 2020: a day and month told without a
        year, at the place of an attack known by that day (``known_attacks.toml``), is that attack's
        day, not the year of the report around it."""
        import dataclasses

        if d is None or d.precision != "day" or d.first != d.last or d.year_source in (None, "mention"):
            return d
        ids = {self._place(a.place).id for a in inc.anchors if a.place is not None}
        for day, pid, members in _known_attacks(self.ex.gaz):
            if (day.month, day.day) == (d.first.month, d.first.day) and day.year != d.first.year and ids & (members | {pid}):
                return dataclasses.replace(d, first=day, last=day, year_source="known")
        return d

    def _best_place(self, inc: Incident) -> dict[str, Any] | None:
        pms = [a.place for a in inc.anchors if a.place is not None]
        if not pms:
            return None
        counts: dict[str, int] = {}
        first: dict[str, Any] = {}
        for pm in pms:
            p = self._place(pm)
            counts[p.id] = counts.get(p.id, 0) + 1
            first.setdefault(p.id, p)
            town = self.parent.get(p.id)  # "حي المشهد في مدينة اللطامنة": the town it lies in
            if town is not None:
                counts.setdefault(town.id, 0)
                first.setdefault(town.id, town)

        def score(pid: str) -> tuple[int, int, int]:
            # the town or city the attack hit, as investigators name incidents ("Saraqib", not its
            # district al-Talil, not Idlib governorate); then the most named; then the most specific
            p = first[pid]
            level = 2 if p.kind in ("city", "town", "village") else 1 if p.kind in ("neighbourhood", "district") else 0
            return (level, counts[pid], -KIND_RANK.get(p.kind, 3))

        best = first[max(first, key=score)]
        if inc.known:
            # one attack on several places: the place it is known by, when the text names it
            best = first.get(inc.known) or next(
                (self._place(pm) for pm in self.places if self._place(pm).id == inc.known), best)  # told elsewhere
        return {
            "name": best.name,
            "name_ar": best.name_ar,
            "country": best.country,
            "lat": best.lat,
            "lon": best.lon,
            "geonames_id": best.geonames_id,
        }

    @staticmethod
    def _date_json(d: Any) -> dict[str, str] | None:
        if d is None:
            return None
        return {"start": d.first.isoformat(), "end": d.last.isoformat(), "precision": d.precision}

    @staticmethod
    def _num_json(c: Any) -> dict[str, int | None] | None:
        if c is None:
            return None
        return {"low": c.low, "high": c.high}
