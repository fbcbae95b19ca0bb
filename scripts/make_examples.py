#!/usr/bin/env python3
"""Generate the derived example reports in ``examples/`` deterministically.

The plain UTF-8 ``.txt`` reports in ``examples/`` are written by hand. This
script writes the ones that need a generator, from texts kept below:

- ``ar-cp1256-sarmin-2015.txt``    Arabic text encoded as Windows-1256
- ``en-news-ghouta-un-mission-2013.html``  English news page with site chrome
- ``ar-news-halabja-1988.html``    Arabic news page, ``dir="rtl"``
- ``en-iit-ltamenah-2017.pdf``     English PDF with a text layer (fpdf2)
- ``ar-jim-findings-2016.pdf``     Arabic PDF, shaped with HarfBuzz (fpdf2 + uharfbuzz)
- ``web-capture-2018.warc.gz``     WARC with a warcinfo and 2 HTML response records

Every output is byte-for-byte reproducible: fixed WARC dates and record ids,
fixed PDF creation dates, no timestamps in gzip headers. The PDFs depend on
the installed fpdf2 version and on the DejaVu Sans font from the Debian
package ``fonts-dejavu-core``; install the generator deps with
``pip install -e '.[dev]'``.

Usage::

    .venv/bin/python scripts/make_examples.py            # writes into examples/
    .venv/bin/python scripts/make_examples.py --out DIR  # somewhere else
    .venv/bin/python scripts/make_examples.py --skip-pdf # without fpdf2
"""

from __future__ import annotations

import argparse
import io
import sys
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO / "examples"
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONT_REGULAR = FONT_DIR / "DejaVuSans.ttf"
FONT_BOLD = FONT_DIR / "DejaVuSans-Bold.ttf"

# --------------------------------------------------------------------------
# Windows-1256 text (Western digits on purpose: cp1256 has no Arabic-Indic ones)
# --------------------------------------------------------------------------

SARMIN_CP1256 = """\
ريف إدلب - 17 آذار 2015 - تقرير ميداني

قُتل ستة مدنيين من عائلة واحدة، بينهم ثلاثة أطفال لم يتجاوز أكبرهم الثالثة من عمره، \
وأصيب العشرات بحالات اختناق، عندما ألقت مروحيات تابعة لقوات النظام السوري براميل \
متفجرة محمّلة بغاز الكلور على بلدة سرمين في ريف إدلب مساء الاثنين 16 آذار 2015.

وقال مسعفون في النقطة الطبية في البلدة إن أحد البراميل سقط على منزل العائلة قرابة \
الساعة العاشرة والنصف ليلاً، وإن الغاز تسرب إلى القبو الذي لجأ إليه أفرادها، فتوفي \
الأب والأم والجدة والأطفال الثلاثة قبل أن يتمكن رجال الإنقاذ من إخراجهم. وأظهرت \
مقاطع مصورة من النقطة الطبية أطفالاً يتلقون الأكسجين وأطباء يحاولون إنعاش رضيع.

وأكد ناشطون من سرمين أن رائحة الكلور كانت واضحة في الأحياء المحيطة، وأن برميلاً \
ثانياً سقط قرب المنزل نفسه. وقالت فرق الدفاع المدني إن معظم المصابين عولجوا \
من أعراض تنفسية وغادروا النقطة الطبية قبل الفجر.

وتأتي الحادثة بعد أيام من تبني مجلس الأمن الدولي القرار 2209 الذي يدين استخدام \
الكلور سلاحاً في سوريا ويهدد باتخاذ إجراءات في حال تكرار ذلك.
"""

# --------------------------------------------------------------------------
# HTML pages
# --------------------------------------------------------------------------

GHOUTA_HTML = """\
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>UN inspectors find 'clear and convincing evidence' of sarin in Ghouta attack | Meridian Daily</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta property="og:title" content="UN inspectors find clear and convincing evidence of sarin in Ghouta attack">
<meta property="article:published_time" content="2013-09-16T18:40:00Z">
<link rel="stylesheet" href="/static/site.css">
<script>window.dataLayer = window.dataLayer || [];</script>
</head>
<body>
<header class="site-header">
  <a class="logo" href="/">Meridian Daily</a>
  <nav class="main-nav">
    <ul>
      <li><a href="/world">World</a></li>
      <li><a href="/world/middle-east">Middle East</a></li>
      <li><a href="/business">Business</a></li>
      <li><a href="/opinion">Opinion</a></li>
      <li><a href="/sport">Sport</a></li>
      <li><a href="/subscribe" class="cta">Subscribe</a></li>
    </ul>
  </nav>
  <div class="cookie-banner">We use cookies to improve your experience. <button>Accept all</button></div>
</header>
<div class="breadcrumbs"><a href="/world">World</a> &rsaquo; <a href="/world/middle-east">Middle East</a> &rsaquo; Syria</div>
<main>
<article>
  <h1>UN inspectors find 'clear and convincing evidence' of sarin in Ghouta attack</h1>
  <p class="byline">By our United Nations correspondent &middot; <time datetime="2013-09-16">16 September 2013</time></p>
  <p>NEW YORK &mdash; Surface-to-surface rockets carrying the nerve agent sarin were fired at
  opposition-held suburbs of Damascus in the early hours of 21 August, United Nations
  inspectors concluded in a report delivered to Secretary-General Ban Ki-moon on Monday.</p>
  <p>The UN Mission to Investigate Allegations of the Use of Chemical Weapons in the Syrian Arab
  Republic, led by the Swedish scientist &Aring;ke Sellstr&ouml;m, said that chemical weapons had been
  used "on a relatively large scale" in the Ghouta area, including against children. Its team
  visited Moadamiyah in Western Ghouta and Ein Tarma and Zamalka in Eastern Ghouta in the days
  after the attack, interviewed survivors and medical staff, and collected environmental,
  blood, urine and hair samples.</p>
  <p>Most of the samples tested positive for sarin or its breakdown products, the report said.
  Fragments of the rockets found at the impact sites, and the weather that night &mdash; falling
  temperatures that kept the gas close to the ground where people were sheltering &mdash;
  helped explain the high number of deaths.</p>
  <p>The mission's mandate did not allow it to say who fired the rockets. The United States,
  Britain and France said the evidence, including the trajectories of the rockets, pointed
  to the Syrian government. A US government assessment released on 30 August estimated that
  1,429 people were killed, among them at least 426 children. M&eacute;decins Sans Fronti&egrave;res
  said hospitals it supports had received about 3,600 patients with neurotoxic symptoms, of
  whom 355 died.</p>
  <p>Damascus has denied carrying out the attack and blamed rebel fighters, a position
  supported by Russia. Syria agreed last week to join the Chemical Weapons Convention and to
  place its stockpile under international control.</p>
  <aside class="related">
    <h2>Related</h2>
    <ul>
      <li><a href="/world/middle-east/syria-chemical-stockpile-deal">What the stockpile deal means</a></li>
      <li><a href="/world/middle-east/ghouta-survivors">Survivors describe the night of the attack</a></li>
    </ul>
  </aside>
</article>
</main>
<footer class="site-footer">
  <p>&copy; 2013 Meridian Daily. All rights reserved.</p>
  <p><a href="/about">About us</a> | <a href="/privacy">Privacy</a> | <a href="/contact">Contact</a></p>
</footer>
</body>
</html>
"""

HALABJA_HTML = """\
<!DOCTYPE html>
<html lang="ar" dir="rtl">
<head>
<meta charset="utf-8">
<title>حلبجة بعد ثلاثين عاماً: مدينة لا تنسى يوم الغاز | شبكة الرواق الإخبارية</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta property="article:published_time" content="2018-03-16T09:15:00+03:00">
<link rel="stylesheet" href="/assets/main.css">
</head>
<body>
<header>
  <div class="top-bar">الجمعة 16 آذار/مارس 2018 | <a href="/en">English</a></div>
  <a class="logo" href="/">شبكة الرواق الإخبارية</a>
  <nav>
    <ul>
      <li><a href="/">الرئيسية</a></li>
      <li><a href="/iraq">العراق</a></li>
      <li><a href="/syria">سوريا</a></li>
      <li><a href="/arab-world">العالم العربي</a></li>
      <li><a href="/economy">اقتصاد</a></li>
      <li><a href="/culture">ثقافة</a></li>
      <li><a href="/video">فيديو</a></li>
    </ul>
  </nav>
  <form class="search" action="/search"><input name="q" placeholder="ابحث في الموقع"></form>
</header>
<main>
  <div class="breadcrumb"><a href="/">الرئيسية</a> / <a href="/iraq">العراق</a> / تقارير</div>
  <article>
    <h1>حلبجة بعد ثلاثين عاماً: مدينة لا تنسى يوم الغاز</h1>
    <p class="meta">السليمانية – مراسل الرواق | نُشر في 16 آذار/مارس 2018</p>
    <p>أحيا آلاف من سكان مدينة حلبجة في إقليم كردستان العراق، اليوم الجمعة، الذكرى الثلاثين
    للهجوم الكيميائي الذي شنته قوات النظام العراقي السابق على مدينتهم في 16 آذار/مارس 1988،
    في أواخر الحرب العراقية الإيرانية، وأودى بحياة نحو خمسة آلاف شخص، معظمهم من النساء
    والأطفال، خلال ساعات.</p>
    <p>ففي ذلك اليوم، وبعد أن سيطرت قوات إيرانية ومقاتلون أكراد على المدينة، أغارت الطائرات
    العراقية على حلبجة وألقت قنابل محملة بغاز الخردل وبغازات أعصاب، بحسب شهادات الناجين
    وتحقيقات أجرتها لاحقاً منظمات حقوقية دولية. وأصيب ما بين سبعة آلاف وعشرة آلاف شخص،
    ولا يزال كثير من الناجين يعانون حتى اليوم من أمراض تنفسية وسرطانات وتشوهات خلقية.</p>
    <p>وقال أحد الناجين، وكان في الرابعة عشرة من عمره يومها، إن رائحة تشبه رائحة التفاح
    المتعفن ملأت الأزقة، وإن الناس سقطوا في الطرقات وهم يحاولون الفرار نحو الجبال.</p>
    <p>واعتبرت المحكمة الجنائية العراقية العليا عام 2010 الهجوم جريمة إبادة جماعية، بعد أن
    أدانت علي حسن المجيد، المعروف بـ«علي الكيماوي»، الذي نُفذ فيه حكم الإعدام في كانون
    الثاني/يناير من العام نفسه.</p>
    <p>ووضع المشاركون أكاليل الزهور عند النصب التذكاري في مدخل المدينة، ووقفوا خمس دقائق
    حداداً على أرواح الضحايا، مطالبين الحكومة الاتحادية بتعويض ذوي الضحايا والمصابين.</p>
  </article>
  <section class="more-news">
    <h2>اقرأ أيضاً</h2>
    <ul>
      <li><a href="/iraq/kurdistan-budget">خلاف جديد بين بغداد وأربيل حول الموازنة</a></li>
      <li><a href="/culture/halabja-museum">متحف حلبجة يفتح أبوابه بعد الترميم</a></li>
    </ul>
  </section>
</main>
<footer>
  <p>جميع الحقوق محفوظة © شبكة الرواق الإخبارية 2018</p>
  <p><a href="/about">من نحن</a> · <a href="/privacy">سياسة الخصوصية</a> · <a href="/contact">اتصل بنا</a></p>
</footer>
</body>
</html>
"""

SALISBURY_HTML = """\
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>OPCW confirms UK findings on nerve agent used in Salisbury | Meridian Daily</title>
<meta property="article:published_time" content="2018-04-12T15:05:00Z">
</head>
<body>
<header>
  <a class="logo" href="/">Meridian Daily</a>
  <nav><a href="/uk">UK</a> <a href="/world">World</a> <a href="/politics">Politics</a> <a href="/science">Science</a></nav>
</header>
<main>
<article>
  <h1>OPCW confirms UK findings on nerve agent used in Salisbury</h1>
  <p class="byline">By our security correspondent &middot; <time datetime="2018-04-12">12 April 2018</time></p>
  <p>LONDON &mdash; The global chemical weapons watchdog on Thursday confirmed Britain's
  identification of the toxic chemical used to poison the former Russian intelligence officer
  Sergei Skripal and his daughter Yulia in Salisbury on 4 March.</p>
  <p>The Organisation for the Prohibition of Chemical Weapons said samples analysed by its
  designated laboratories confirmed the findings of the United Kingdom relating to the identity
  of the toxic chemical, which it described as being of high purity. British officials have
  said the substance was a military-grade nerve agent of the Novichok type developed in
  the Soviet Union.</p>
  <p>The Skripals were found slumped on a bench in the city centre on the afternoon of
  4 March. A police officer, Detective Sergeant Nick Bailey, who went to their house, also
  fell seriously ill. All three survived; Yulia Skripal was discharged from hospital this
  week.</p>
  <p>Prime Minister Theresa May has said it is highly likely that Russia was responsible.
  Moscow denies any involvement and has called the British account a provocation.</p>
</article>
</main>
<footer><p>&copy; 2018 Meridian Daily</p></footer>
</body>
</html>
"""

KAFR_ZITA_HTML = """\
<!DOCTYPE html>
<html lang="ar" dir="rtl">
<head>
<meta charset="utf-8">
<title>كفرزيتا: عشرات حالات الاختناق بعد قصف ببراميل تحمل غازاً ساماً | شبكة الرواق الإخبارية</title>
<meta property="article:published_time" content="2014-04-12T11:30:00+03:00">
</head>
<body>
<header>
  <a class="logo" href="/">شبكة الرواق الإخبارية</a>
  <nav><a href="/">الرئيسية</a> <a href="/syria">سوريا</a> <a href="/iraq">العراق</a> <a href="/video">فيديو</a></nav>
</header>
<main>
<article>
  <h1>كفرزيتا: عشرات حالات الاختناق بعد قصف ببراميل تحمل غازاً ساماً</h1>
  <p class="meta">حماة – مراسل الرواق | 12 نيسان/أبريل 2014</p>
  <p>قال ناشطون وأطباء في ريف حماة الشمالي إن عشرات المدنيين أصيبوا بحالات اختناق وضيق
  في التنفس مساء الجمعة 11 نيسان/أبريل 2014، بعد أن ألقت مروحيات تابعة للقوات الحكومية
  براميل متفجرة تحتوي على غاز يُرجَّح أنه الكلور على بلدة كفرزيتا.</p>
  <p>وأظهرت مقاطع مصورة نشرها ناشطون أطفالاً ورجالاً يتلقون الإسعاف بأقنعة الأكسجين في
  نقطة طبية ميدانية، فيما قال طبيب في البلدة إن المصابين عانوا من السعال وتهيج العيون
  والإقياء، وإن الإمكانات المتوفرة لا تكفي لعلاج هذا العدد.</p>
  <p>واتهم الائتلاف الوطني السوري المعارض النظام بتنفيذ الهجوم، بينما قال التلفزيون
  الرسمي السوري إن جبهة النصرة هي التي أطلقت غاز الكلور على البلدة.</p>
</article>
</main>
<footer><p>جميع الحقوق محفوظة © شبكة الرواق الإخبارية 2014</p></footer>
</body>
</html>
"""

# --------------------------------------------------------------------------
# PDF texts: (kind, text) pairs; kind is "title", "head" or "para"
# --------------------------------------------------------------------------

IIT_PDF: list[tuple[str, str]] = [
    ("title", "Summary of the First Report of the OPCW Investigation and Identification Team (IIT)"),
    ("para", ("Prepared for internal briefing. Source: OPCW document S/1867/2020, issued in The Hague on "
             "8 April 2020. This summary is written in our own words.")),
    ("head", "Mandate"),
    ("para", ("The IIT was established under the decision of the Conference of the States Parties of "
             "June 2018 to identify the perpetrators of the use of chemical weapons in the Syrian Arab "
             "Republic in cases where the OPCW Fact-Finding Mission (FFM) had already determined that "
             "chemical weapons were used or likely used. Its first report covers three incidents in "
             "Ltamenah, a town in the north of Hama governorate, in March 2017.")),
    ("head", "Findings"),
    ("para", ("Incident 1 - 24 March 2017, Ltamenah. At approximately 06:00, an Su-22 military aircraft "
             "of the 50th Brigade of the 22nd Air Division of the Syrian Arab Air Force, taking off from "
             "Shayrat airbase, dropped an M4000 aerial bomb containing sarin on southern Ltamenah, "
             "affecting at least 16 persons.")),
    ("para", ("Incident 2 - 25 March 2017, Ltamenah hospital. At approximately 15:00, a helicopter of "
             "the Syrian Arab Air Force, taking off from Hama airbase, dropped a cylinder onto the "
             "Ltamenah hospital. The cylinder broke open on impact, releasing chlorine and affecting at "
             "least 30 persons.")),
    ("para", ("Incident 3 - 30 March 2017, Ltamenah. At approximately 06:00, an Su-22 aircraft of the "
             "same brigade, again taking off from Shayrat airbase, dropped an M4000 aerial bomb "
             "containing sarin on southern Ltamenah, affecting at least 60 persons.")),
    ("para", ("For each incident the IIT concluded that there are reasonable grounds to believe that "
             "the perpetrators were individuals belonging to the Syrian Arab Air Force, and that "
             "attacks of such a strategic nature could only have taken place on the basis of orders "
             "from the higher authorities of the Syrian Arab Armed Forces.")),
    ("head", "Responses"),
    ("para", ("The Syrian Arab Republic rejected the report and the legitimacy of the IIT. The Russian "
             "Federation also disputed its conclusions.")),
]

JIM_PDF: list[tuple[str, str]] = [
    ("title", "ملخص استنتاجات آلية التحقيق المشتركة بين منظمة حظر الأسلحة الكيميائية والأمم المتحدة"),
    ("para", ("أُعدّ هذا الملخص بصياغتنا استناداً إلى التقريرين الثالث (آب/أغسطس 2016) والرابع "
             "(تشرين الأول/أكتوبر 2016) للآلية المقدّمين إلى مجلس الأمن.")),
    ("head", "الحالات التي حددت فيها الآلية الجهة المسؤولة"),
    ("para", ("أولاً: تلمنس، محافظة إدلب، 21 نيسان/أبريل 2014. خلصت الآلية إلى أن مروحية تابعة "
             "للقوات المسلحة العربية السورية ألقت جهازاً اصطدم ببناء سكني وأطلق مادة سامة "
             "تتطابق خصائصها مع الكلور.")),
    ("para", ("ثانياً: سرمين، محافظة إدلب، 16 آذار/مارس 2015. خلصت الآلية إلى أن مروحية تابعة "
             "للقوات المسلحة العربية السورية ألقت برميلاً على منزل، وأن مادة سامة تتطابق مع "
             "الكلور انطلقت منه، ما أدى إلى مقتل ستة من سكان المنزل.")),
    ("para", ("ثالثاً: قميناس، محافظة إدلب، 16 آذار/مارس 2015. خلصت الآلية في تقريرها الرابع إلى "
             "وجود معلومات كافية تثبت أن القوات المسلحة العربية السورية مسؤولة عن الهجوم الذي "
             "أُلقي فيه جهاز من مروحية وأطلق مادة سامة.")),
    ("para", ("رابعاً: مارع، محافظة حلب، 21 آب/أغسطس 2015. خلصت الآلية إلى أن تنظيم الدولة "
             "الإسلامية في العراق والشام (داعش) هو الكيان الوحيد الذي كان قادراً على استخدام "
             "الخردل الكبريتي في مارع وكانت لديه النية والوسائل لذلك، وأن القذائف أُطلقت "
             "بالمدفعية على البلدة.")),
    ("head", "الحالات التي لم تتمكن الآلية من البت فيها"),
    ("para", ("لم تجد الآلية معلومات كافية لتحديد المسؤولين عن حوادث أخرى نظرت فيها، منها "
             "حادثة كفرزيتا في 18 نيسان/أبريل 2014، وأوصت بمواصلة التحقيق فيها.")),
    ("head", "الموقف السوري"),
    ("para", "رفضت الحكومة السورية استنتاجات الآلية ووصفتها بأنها مبنية على شهادات غير موثوقة."),
]

PDF_DATES = {
    "en-iit-ltamenah-2017.pdf": datetime(2020, 4, 20, 9, 0, 0, tzinfo=UTC),
    "ar-jim-findings-2016.pdf": datetime(2016, 11, 2, 9, 0, 0, tzinfo=UTC),
}

# --------------------------------------------------------------------------
# WARC
# --------------------------------------------------------------------------

WARC_NAME = "web-capture-2018.warc.gz"
WARC_RECORDS = [
    # (target URI, WARC-Date, WARC-Record-ID, HTTP Date header, html)
    (
        "https://meridian-daily.example/uk/2018/04/12/opcw-confirms-salisbury-nerve-agent",
        "2018-04-13T08:01:12Z",
        "<urn:uuid:5b0e1a8c-3f51-4c8e-9d0a-0a1b2c3d4e51>",
        "Fri, 13 Apr 2018 08:01:12 GMT",
        SALISBURY_HTML,
    ),
    (
        "https://alriwaq.example/syria/2014/04/12/kafr-zita-gas",
        "2018-04-13T08:02:47Z",
        "<urn:uuid:5b0e1a8c-3f51-4c8e-9d0a-0a1b2c3d4e52>",
        "Fri, 13 Apr 2018 08:02:47 GMT",
        KAFR_ZITA_HTML,
    ),
]
WARCINFO_ID = "<urn:uuid:5b0e1a8c-3f51-4c8e-9d0a-0a1b2c3d4e50>"
WARCINFO_DATE = "2018-04-13T08:00:00Z"


def write_cp1256(out: Path) -> Path:
    """Write the Sarmin report encoded as Windows-1256."""
    path = out / "ar-cp1256-sarmin-2015.txt"
    path.write_bytes(SARMIN_CP1256.replace("\n", "\r\n").encode("cp1256"))
    return path


def write_html(out: Path) -> list[Path]:
    """Write the two stand-alone HTML news pages."""
    paths = []
    for name, html in (
        ("en-news-ghouta-un-mission-2013.html", GHOUTA_HTML),
        ("ar-news-halabja-1988.html", HALABJA_HTML),
    ):
        path = out / name
        path.write_bytes(html.encode("utf-8"))
        paths.append(path)
    return paths


def write_warc(out: Path) -> Path:
    """Write a gzipped WARC: one warcinfo record and two HTML response records."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    path = out / WARC_NAME
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=True, warc_version="WARC/1.1")
    info = writer.create_warcinfo_record(
        WARC_NAME,
        {"software": "bayyina scripts/make_examples.py", "format": "WARC File Format 1.1",
         "description": "Example web captures for the bayyina demo"},
    )
    info.rec_headers.replace_header("WARC-Record-ID", WARCINFO_ID)
    info.rec_headers.replace_header("WARC-Date", WARCINFO_DATE)
    writer.write_record(info)
    for uri, warc_date, record_id, http_date, html in WARC_RECORDS:
        body = html.encode("utf-8")
        http_headers = StatusAndHeaders(
            "200 OK",
            [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(body))),
             ("Date", http_date), ("Server", "nginx")],
            protocol="HTTP/1.1",
        )
        record = writer.create_warc_record(
            uri, "response", payload=io.BytesIO(body), http_headers=http_headers,
            warc_headers_dict={"WARC-Date": warc_date, "WARC-Record-ID": record_id},
        )
        writer.write_record(record)
    path.write_bytes(buf.getvalue())
    return path


def _pdf(blocks: list[tuple[str, str]], path: Path, created: datetime, rtl: bool, title: str) -> None:
    from fpdf import FPDF

    for font in (FONT_REGULAR, FONT_BOLD):
        if not font.is_file():
            raise SystemExit(f"{font}: font not found (apt-get install fonts-dejavu-core)")
    pdf = FPDF(format="A4")
    pdf.set_creation_date(created)
    pdf.set_title(title)
    pdf.set_author("bayyina examples")
    pdf.set_creator("bayyina scripts/make_examples.py")
    pdf.set_producer("bayyina scripts/make_examples.py")
    pdf.set_lang("ar" if rtl else "en")
    pdf.add_font("DejaVu", "", str(FONT_REGULAR))
    pdf.add_font("DejaVu", "B", str(FONT_BOLD))
    pdf.set_margins(20, 20, 20)
    pdf.add_page()
    if rtl:
        pdf.set_text_shaping(use_shaping_engine=True, direction="rtl", script="arab", language="ar")
    align = "R" if rtl else "L"
    for kind, text in blocks:
        if kind == "title":
            pdf.set_font("DejaVu", "B", 14)
            pdf.multi_cell(0, 8, text, align=align, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(4)
        elif kind == "head":
            pdf.set_font("DejaVu", "B", 12)
            pdf.ln(2)
            pdf.multi_cell(0, 7, text, align=align, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1)
        else:
            pdf.set_font("DejaVu", "", 10.5)
            pdf.multi_cell(0, 6, text, align=align, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(2)
    pdf.output(str(path))


def write_pdfs(out: Path) -> list[Path]:
    """Write the English IIT summary and the Arabic JIM summary as PDFs with text layers."""
    try:
        import fpdf  # noqa: F401
    except ImportError:
        raise SystemExit("fpdf2 is not installed: pip install -e '.[dev]' (or pass --skip-pdf)") from None
    en = out / "en-iit-ltamenah-2017.pdf"
    _pdf(IIT_PDF, en, PDF_DATES[en.name], rtl=False, title="IIT first report - summary")
    ar = out / "ar-jim-findings-2016.pdf"
    _pdf(JIM_PDF, ar, PDF_DATES[ar.name], rtl=True, title="JIM findings - Arabic summary")
    return [en, ar]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output directory (default examples/)")
    parser.add_argument("--skip-pdf", action="store_true", help="do not write the PDFs (no fpdf2 needed)")
    args = parser.parse_args(argv)
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    written = [write_cp1256(out), *write_html(out), write_warc(out)]
    if not args.skip_pdf:
        written.extend(write_pdfs(out))
    for path in written:
        print(f"{path.stat().st_size:>7}  {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
