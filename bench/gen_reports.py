"""Synthetic Arabic and English incident reports for the extraction benchmark.

The templates are written for this benchmark (no corpus text is copied). Each
document is about ``--size`` bytes of UTF-8: a dateline, two to four incident
paragraphs (place, date, agent, means, casualties, perpetrator, who says so,
denials) and context sentences (meetings, votes, reports, background,
humanitarian news) that the extractor must not take for attacks. Places come
from the package's own gazetteer data (GeoNames extract and supplement: facts
only); dates use every form the extractor reads (Gregorian, Levantine and
Maghrebi month names, numeric forms, Eastern Arabic digits, ordinals, ranges,
relative dates); numbers come as digits, number words and vague words.

The output is deterministic for a given seed. As a module, ``generate(n)``
returns ``[(language, text), ...]``; as a script it writes ``NNNN_lang.txt``
files into a folder (``iter_generate`` / ``write_corpus`` stream, for the
100,000-document scale benchmark: ``--per-dir`` spreads them over sub-folders,
``--html-share`` writes some as small HTML news pages):

    .venv/bin/python bench/gen_reports.py OUT_DIR [--docs 1000] [--size 5000] [--seed 1]
                                          [--per-dir 1000] [--html-share 0.1]
"""

from __future__ import annotations

import argparse
import csv
import html
import random
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

# ------------------------------------------------------------------ vocabulary of the templates
AR_MONTHS_GREG = ["يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر"]
AR_MONTHS_LEV = ["كانون الثاني", "شباط", "آذار", "نيسان", "أيار", "حزيران", "تموز", "آب", "أيلول", "تشرين الأول", "تشرين الثاني", "كانون الأول"]
AR_MONTHS_MAG = ["جانفي", "فيفري", "مارس", "أفريل", "ماي", "جوان", "جويلية", "أوت", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر"]
EN_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
AR_ORDINALS = ["الأول", "الثاني", "الثالث", "الرابع", "الخامس", "السادس", "السابع", "الثامن", "التاسع", "العاشر", "الحادي عشر", "الثاني عشر", "الثالث عشر", "الرابع عشر", "الخامس عشر", "السادس عشر", "السابع عشر", "الثامن عشر", "التاسع عشر", "العشرين"]
AR_WEEKDAYS = ["الأحد", "الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت"]
EN_WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
AR_NUMBER_WORDS = {3: "ثلاثة", 4: "أربعة", 5: "خمسة", 6: "ستة", 7: "سبعة", 8: "ثمانية", 9: "تسعة", 10: "عشرة", 11: "أحد عشر", 12: "اثني عشر", 15: "خمسة عشر", 20: "عشرين", 30: "ثلاثين", 40: "أربعين"}
EN_NUMBER_WORDS = {3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight", 9: "nine", 10: "ten", 12: "twelve", 15: "fifteen", 20: "twenty", 30: "thirty"}
EASTERN = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")

AGENTS = [("غاز السارين", "sarin"), ("غاز الكلور", "chlorine gas"), ("غاز الخردل", "mustard gas"), ("غازات سامة", "toxic gas"), ("مواد كيميائية سامة", "a chemical agent"), ("الكلور", "chlorine")]
MEANS = [
    ("مروحيات النظام", "براميل متفجرة", "government helicopters", "barrel bombs"),
    ("طائرات حربية", "صواريخ", "warplanes", "bombs"),
    ("راجمات الصواريخ", "صواريخ أرض أرض", "rocket launchers", "surface-to-surface rockets"),
    ("المدفعية", "قذائف مدفعية", "artillery", "artillery shells"),
    ("الطيران المروحي", "برميلين", "a helicopter", "two barrels"),
]
ACTORS = [("قوات النظام السوري", "Syrian government forces"), ("قوات الأسد", "the Assad regime"), ("تنظيم الدولة الإسلامية", "Islamic State fighters"), ("فصائل المعارضة المسلحة", "armed opposition groups"), ("الجيش السوري", "the Syrian army")]
BODIES = [
    ("الشبكة السورية لحقوق الإنسان", "the Syrian Network for Human Rights"),
    ("منظمة هيومن رايتس ووتش", "Human Rights Watch"),
    ("الدفاع المدني السوري", "the Syrian Civil Defence"),
    ("المرصد السوري لحقوق الإنسان", "the Syrian Observatory for Human Rights"),
    ("ناشطون محليون", "local activists"),
    ("الجمعية الطبية السورية الأمريكية", "the Syrian American Medical Society"),
    ("منظمة العفو الدولية", "Amnesty International"),
]
INVESTIGATORS = [
    ("منظمة حظر الأسلحة الكيميائية", "the Organisation for the Prohibition of Chemical Weapons"),
    ("آلية التحقيق المشتركة", "the Joint Investigative Mechanism"),
    ("فريق التحقيق وتحديد الهوية", "the Investigation and Identification Team"),
    ("بعثة تقصي الحقائق", "the OPCW Fact-Finding Mission"),
    ("لجنة التحقيق الدولية المستقلة", "the Commission of Inquiry"),
]
DENIERS = [("دمشق", "Damascus"), ("موسكو", "Moscow"), ("وزارة الخارجية السورية", "the Syrian foreign ministry"), ("الخارجية الروسية", "the Russian foreign ministry")]
OUTLETS_AR = ["دمشق", "بيروت", "إسطنبول", "عمان", "غازي عنتاب", "جنيف", "لاهاي"]
OUTLETS_EN = ["BEIRUT", "ISTANBUL", "AMMAN", "GAZIANTEP", "GENEVA", "THE HAGUE", "NEW YORK"]


@dataclass(frozen=True)
class Place:
    en: str
    ar: str
    gov_en: str
    gov_ar: str


def _load_places() -> list[Place]:
    """Syrian and Iraqi towns with Arabic names, from the package's gazetteer data."""
    data = resources.files("bayyina.extract").joinpath("data")
    places: list[Place] = []
    govs: dict[str, tuple[str, str]] = {}
    with data.joinpath("places_supplement.tsv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader((ln for ln in fh if not ln.startswith("#")), delimiter="\t"))
    for r in rows:
        if r["kind"] == "governorate":
            govs[r["admin1"]] = (r["name"].replace(" Governorate", ""), r["name_ar"].replace("محافظة ", ""))
    for r in rows:
        if r["kind"] in ("town", "village", "city", "neighbourhood") and r["name_ar"]:
            g = govs.get(r["admin1"], ("Idlib", "إدلب"))
            places.append(Place(r["name"], r["name_ar"], g[0], g[1]))
    with data.joinpath("geonames.tsv").open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh, delimiter="\t"):
            if r["country"] in ("SY", "IQ") and r["kind"] in ("town", "city") and len(r["name_ar"]) > 2:
                g = govs.get(r["admin1"], ("Hama", "حماة")) if r["country"] == "SY" else ("Nineveh", "نينوى")
                places.append(Place(r["name"], r["name_ar"], g[0], g[1]))
    return places


class _Gen:
    def __init__(self, seed: int) -> None:
        self.r = random.Random(seed)
        self.places = _load_places()

    # ---------------------------------------------------------- pieces
    def pick(self, xs: list) -> object:  # type: ignore[type-arg]
        return xs[self.r.randrange(len(xs))]

    def ymd(self) -> tuple[int, int, int]:
        return self.r.randint(2012, 2019), self.r.randint(1, 12), self.r.randint(1, 28)

    def ar_date(self, y: int, m: int, d: int) -> str:
        form = self.r.randrange(9)
        if form == 0:
            return f"{d} {AR_MONTHS_GREG[m - 1]} {y}"
        if form == 1:
            return f"{d} {AR_MONTHS_LEV[m - 1]} {y}"
        if form == 2:
            return f"{d} {AR_MONTHS_MAG[m - 1]} {y}"
        if form == 3:
            return f"{d}/{m}/{y}"
        if form == 4:
            return f"{d:02d}.{m:02d}.{y}"
        if form == 5:
            return f"{d} {AR_MONTHS_LEV[m - 1]} {y}".translate(EASTERN)
        if form == 6 and d <= 20:
            return f"{AR_ORDINALS[d - 1]} من {AR_MONTHS_LEV[m - 1]} {y}"
        if form == 7:
            return f"{AR_MONTHS_LEV[m - 1]} ({AR_MONTHS_GREG[m - 1]}) {y}"
        return f"{d} {AR_MONTHS_LEV[m - 1]}/{AR_MONTHS_GREG[m - 1]} {y}"

    def en_date(self, y: int, m: int, d: int) -> str:
        form = self.r.randrange(7)
        if form == 0:
            return f"{d} {EN_MONTHS[m - 1]} {y}"
        if form == 1:
            return f"{EN_MONTHS[m - 1]} {d}, {y}"
        if form == 2:
            return f"{d}/{m}/{y}"
        if form == 3:
            return f"{y}-{m:02d}-{d:02d}"
        if form == 4:
            suffix = "th" if 4 <= d <= 20 or 24 <= d <= 30 else ["st", "nd", "rd"][d % 10 - 1]
            return f"the {d}{suffix} of {EN_MONTHS[m - 1]} {y}"
        if form == 5:
            return f"{EN_MONTHS[m - 1]} {y}"
        return f"{EN_MONTHS[m - 1][:3]}. {d}, {y}"

    def ar_num(self, lo: int, hi: int) -> str:
        n = self.r.randint(lo, hi)
        form = self.r.randrange(6)
        if form == 0 and n in AR_NUMBER_WORDS:
            return AR_NUMBER_WORDS[n]
        if form == 1:
            return str(n).translate(EASTERN)
        if form == 2:
            return f"{n} على الأقل"
        if form == 3:
            return f"نحو {n}"
        if form == 4:
            return self.pick(["عشرات", "مئات"])  # type: ignore[return-value]
        return str(n)

    def en_num(self, lo: int, hi: int) -> str:
        n = self.r.randint(lo, hi)
        form = self.r.randrange(5)
        if form == 0 and n in EN_NUMBER_WORDS:
            return EN_NUMBER_WORDS[n]
        if form == 1:
            return f"at least {n}"
        if form == 2:
            return f"about {n}"
        if form == 3:
            return self.pick(["dozens of", "hundreds of"])  # type: ignore[return-value]
        return f"{n:,}"

    # ---------------------------------------------------------- Arabic
    @staticmethod
    def rural_ar(p: Place) -> str:
        return p.gov_ar if p.gov_ar.startswith("ريف") else f"ريف {p.gov_ar}"

    def ar_incident(self, y: int) -> str:
        p: Place = self.pick(self.places)  # type: ignore[assignment]
        _, m, d = self.ymd()
        date = self.ar_date(y, m, d)
        agent = self.pick(AGENTS)[0]  # type: ignore[index]
        carrier, payload, _, _ = self.pick(MEANS)  # type: ignore[misc]
        actor = self.pick(ACTORS)[0]  # type: ignore[index]
        body = self.pick(BODIES)[0]  # type: ignore[index]
        inv = self.pick(INVESTIGATORS)[0]  # type: ignore[index]
        den = self.pick(DENIERS)[0]  # type: ignore[index]
        k, w = self.ar_num(3, 40), self.ar_num(5, 120)
        forms = [
            f"قصفت {actor} بـ{payload} محملة بـ{agent} بلدة {p.ar} في {self.rural_ar(p)} يوم {date}، ما أدى إلى مقتل {k} مدنيين وإصابة {w} آخرين بحالات اختناق.",
            f"أفاد {body} بأن {carrier} ألقت {payload} تحتوي على {agent} على مدينة {p.ar} فجر {date}، وقال إن {k} أشخاص قضوا بينهم أطفال ونساء.",
            f"وثّق {body} مقتل {k} شخصاً وإصابة {w} بأعراض تسمم جراء هجوم بـ{agent} استهدف {p.ar} بتاريخ {date}.",
            f"خلص تقرير {inv} إلى أن {actor} مسؤولة عن استخدام {agent} في الهجوم على {p.ar} في {date}، حين ألقت {carrier} {payload} على حي سكني.",
            f"وفي {date} تعرضت بلدة {p.ar} الواقعة في {self.rural_ar(p)} لقصف بـ{payload} تحمل {agent}، وأكد مصدر طبي إسعاف {w} مصاباً ظهرت عليهم أعراض ضيق التنفس.",
            f"واتهم {body} {actor} بشن هجوم بـ{agent} على {p.ar} مطلع {AR_MONTHS_LEV[m - 1]} {y}، فيما نفت {den} ذلك ووصفت الاتهامات بأنها مفبركة ومسرحية.",
        ]
        para = str(self.pick(forms))
        extra = [
            f" ونفت {den} أي استخدام للأسلحة الكيميائية، معتبرة أن ما جرى تمثيلية.",
            f" وقال أطباء في المستشفى الميداني إن المصابين عانوا من ضيق التنفس وتشنجات، وإن حصيلة القتلى ارتفعت إلى {k}.",
            f" وطالبت {inv} بالسماح لمفتشيها بدخول {p.ar} لجمع العينات.",
            "",
        ]
        return para + str(self.pick(extra))

    def ar_context(self, y: int) -> str:
        p: Place = self.pick(self.places)  # type: ignore[assignment]
        _, m, d = self.ymd()
        date = self.ar_date(y, m, d)
        inv = self.pick(INVESTIGATORS)[0]  # type: ignore[index]
        forms = [
            f"وعقد مجلس الأمن الدولي جلسة طارئة في {date} لمناقشة تقرير {inv}، دون أن يتمكن من التصويت على مشروع القرار.",
            f"وكانت {p.ar} قد شهدت في السابق هجمات عدة، بحسب سكان محليين تحدثوا عن نزوح مئات العائلات نحو الحدود.",
            f"وتحيي عائلات الضحايا في {date} الذكرى السنوية للمجزرة بوقفات في المدن والبلدات.",
            "وتعاني المنطقة من نقص حاد في الأدوية والوقود، فيما ارتفعت أسعار الخبز بنسبة كبيرة خلال الأسابيع الماضية.",
            f"وأعلنت {inv} في بيان صدر يوم {AR_WEEKDAYS[d % 7]} أنها ستنشر نتائج تحقيقها خلال الأشهر المقبلة.",
            "وتتواصل المفاوضات في جنيف بين وفدي الحكومة والمعارضة من دون تحقيق تقدم يذكر في ملف المعتقلين.",
            f"وحذّرت منظمات إنسانية من كارثة في {self.rural_ar(p)} مع اقتراب فصل الشتاء وتزايد أعداد النازحين في المخيمات.",
            "وقال دبلوماسيون إن الدول الغربية تدرس فرض عقوبات جديدة على مسؤولين في برنامج الأسلحة الكيميائية.",
        ]
        return str(self.pick(forms))

    def ar_doc(self, size: int) -> str:
        y = self.r.randint(2013, 2019)
        _, m, d = self.ymd()
        head = f"{self.pick(OUTLETS_AR)} - {d} {self.pick([AR_MONTHS_GREG, AR_MONTHS_LEV])[m - 1]} {y}"  # type: ignore[index]
        return self._assemble(head, size, lambda: self.ar_incident(y), lambda: self.ar_context(y))

    # ---------------------------------------------------------- English
    def en_incident(self, y: int) -> str:
        p: Place = self.pick(self.places)  # type: ignore[assignment]
        _, m, d = self.ymd()
        date = self.en_date(y, m, d)
        agent = self.pick(AGENTS)[1]  # type: ignore[index]
        _, _, carrier, payload = self.pick(MEANS)  # type: ignore[misc]
        actor = self.pick(ACTORS)[1]  # type: ignore[index]
        body = self.pick(BODIES)[1]  # type: ignore[index]
        inv = self.pick(INVESTIGATORS)[1]  # type: ignore[index]
        den = self.pick(DENIERS)[1]  # type: ignore[index]
        k, w = self.en_num(3, 40), self.en_num(5, 120)
        forms = [
            f"{actor.capitalize()} dropped {payload} filled with {agent} on the town of {p.en} in rural {p.gov_en} on {date}, killing {k} civilians and injuring {w} others, {body} said.",
            f"{body[0].upper() + body[1:]} reported that {carrier} struck {p.en} with {payload} carrying {agent} on {date}; {k} people died of suffocation.",
            f"{inv[0].upper() + inv[1:]} concluded that {actor} used {agent} in the attack on {p.en} on {date}, when {carrier} dropped {payload} on a residential area.",
            f"On {date}, residents of {p.en}, near {p.gov_en}, were exposed to {agent} after {payload} hit the town; medics treated {w} people with breathing difficulties.",
            f"{body[0].upper() + body[1:]} accused {actor} of a {agent} attack on {p.en} in {EN_MONTHS[m - 1]} {y}, killing {k}. {den[0].upper() + den[1:]} denied the claims as fabricated.",
        ]
        para = str(self.pick(forms))
        extra = [
            f" {den[0].upper() + den[1:]} called the reports a staged provocation.",
            f" Doctors at a field hospital said the death toll had risen to {k}, among them children.",
            f" {inv[0].upper() + inv[1:]} asked for access to {p.en} to collect samples.",
            "",
        ]
        return para + str(self.pick(extra))

    def en_context(self, y: int) -> str:
        p: Place = self.pick(self.places)  # type: ignore[assignment]
        _, m, d = self.ymd()
        date = self.en_date(y, m, d)
        inv = self.pick(INVESTIGATORS)[1]  # type: ignore[index]
        forms = [
            f"The UN Security Council met in an emergency session on {date} to discuss the report by {inv}, but no resolution was put to a vote.",
            f"{p.en} had previously been hit several times, residents said, and hundreds of families have fled towards the border.",
            f"Families of the victims will mark the anniversary on {date} with vigils in several towns.",
            "The area suffers from severe shortages of medicine and fuel, and the price of bread has risen sharply in recent weeks.",
            f"{inv[0].upper() + inv[1:]} said in a statement on {EN_WEEKDAYS[d % 7]} that it would publish its findings in the coming months.",
            "Talks in Geneva between the government and opposition delegations continued without progress on the question of detainees.",
            f"Aid groups warned of a disaster in rural {p.gov_en} as winter approaches and the number of displaced people in the camps grows.",
            "Diplomats said Western governments were considering new sanctions on officials involved in the chemical weapons programme.",
        ]
        return str(self.pick(forms))

    def en_doc(self, size: int) -> str:
        y = self.r.randint(2013, 2019)
        _, m, d = self.ymd()
        head = f"{self.pick(OUTLETS_EN)}, {EN_MONTHS[m - 1]} {d}, {y} —"
        return self._assemble(head, size, lambda: self.en_incident(y), lambda: self.en_context(y))

    # ---------------------------------------------------------- assembly
    def _assemble(self, head: str, size: int, incident, context) -> str:  # type: ignore[no-untyped-def]
        paras = [incident() for _ in range(self.r.randint(2, 4))]
        body: list[str] = []
        n = len(head.encode()) + 1
        i = 0
        while n < size:
            # incidents early, context between and after them
            if i < len(paras) and (i == 0 or self.r.random() < 0.5):
                s = paras[i]
                i += 1
            else:
                s = context()
            body.append(s)
            n += len(s.encode()) + 1
        return head + "\n" + "\n".join(body) + "\n"


def generate(n: int = 1000, *, size: int = 5000, seed: int = 1, arabic_share: float = 0.5) -> list[tuple[str, str]]:
    """``n`` documents ``(language, text)`` of about ``size`` UTF-8 bytes each."""
    return list(iter_generate(n, size=size, seed=seed, arabic_share=arabic_share))


def iter_generate(n: int, *, size: int = 5000, seed: int = 1, arabic_share: float = 0.5) -> Iterator[tuple[str, str]]:
    """:func:`generate` one document at a time (same documents), for corpora too big to hold."""
    g = _Gen(seed)
    for _ in range(n):
        if g.r.random() < arabic_share:
            yield ("ar", g.ar_doc(size))
        else:
            yield ("en", g.en_doc(size))


def html_page(lang: str, text: str, i: int) -> str:
    """A report as a small news web page (the HTML reader's input)."""
    head, *paras = text.strip().split("\n")
    direction = "rtl" if lang == "ar" else "ltr"
    body = "\n".join(f"<p>{html.escape(p)}</p>" for p in paras)
    return (f'<!DOCTYPE html>\n<html lang="{lang}" dir="{direction}"><head><meta charset="utf-8">'
            f"<title>{html.escape(head)}</title></head><body><nav><a href=\"/\">home</a> | report {i}</nav>"
            f"<article><h1>{html.escape(head)}</h1>\n{body}</article><footer>synthetic report {i}</footer>"
            "</body></html>\n")


def write_corpus(out: Path, n: int, *, size: int = 5000, seed: int = 1, per_dir: int = 0,
                 html_share: float = 0.0) -> int:
    """Write ``n`` reports under ``out`` (``per_dir`` > 0: that many per sub-folder); returns the bytes written.

    Streams: one document in memory at a time. A share ``html_share`` of the
    reports is written as ``.html`` pages, the rest as ``.txt``.
    """
    total = 0
    pick = random.Random(seed + 7)
    width = max(4, len(str(n - 1)))
    for i, (lang, text) in enumerate(iter_generate(n, size=size, seed=seed)):
        folder = out / f"{i // per_dir:04d}" if per_dir else out
        if per_dir and i % per_dir == 0 or i == 0:
            folder.mkdir(parents=True, exist_ok=True)
        if html_share and pick.random() < html_share:
            path, body = folder / f"{i:0{width}d}_{lang}.html", html_page(lang, text, i)
        else:
            path, body = folder / f"{i:0{width}d}_{lang}.txt", text
        data = body.encode("utf-8")
        path.write_bytes(data)
        total += len(data)
    return total


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--docs", type=int, default=1000)
    ap.add_argument("--size", type=int, default=5000, help="bytes of UTF-8 per document (about)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--per-dir", type=int, default=0, help="documents per sub-folder (0: all in OUT_DIR)")
    ap.add_argument("--html-share", type=float, default=0.0, help="share written as .html pages (0..1)")
    a = ap.parse_args()
    a.out.mkdir(parents=True, exist_ok=True)
    n = write_corpus(a.out, a.docs, size=a.size, seed=a.seed, per_dir=a.per_dir, html_share=a.html_share)
    print(f"wrote {a.docs} documents ({n / 1e6:.1f} MB) to {a.out}")


if __name__ == "__main__":
    main()
