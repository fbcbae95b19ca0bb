"""Tests for the vocabulary matcher (bayyina.extract.vocab).

The matcher narrows the scan with Aho-Corasick keys, then tries each code's
expression only where a key occurs. It must return exactly the Terms a full
``re.finditer`` scan of every expression gives (same start, end, group, code,
same longest-wins overlap rule). Two kinds of checks:

* fixed sentences against expected Terms, with a small vocabulary written
  here (so edits of data/vocabulary.toml do not move them);
* the shipped vocabulary against a plain full-scan reference implemented in
  this file, over the case texts, their variants and clitic-heavy strings.
"""

from __future__ import annotations

import random
import re
import tomllib
from pathlib import Path

import pytest

from bayyina.extract.vocab import Term, Vocabulary, default_vocabulary
from bayyina.text.normalize import fold, normalize

CASES = Path(__file__).parent / "cases"

VOCAB_TOML = r"""
[agents.sarin]
ar = ['سارين', 'السارين', 'غاز الاعصاب السارين']
en = ['sarin', 'gb nerve agent']

[agents.chlorine]
ar = ['كلور', 'كلورين', 'الكلورين', 'غاز الكلور']
en = ['chlorine', 'chlorinated', 'cl2']

[agents.mustard]
ar = ['خردل', 'غاز الخردل', 'خردل الكبريت']
en = ['mustard', 'sulphur mustard', 'sulfur mustard', 'mustard gas']

[means.helicopter]
ar = ['مروحي\w*', 'طائر\w* مروحي\w*', 'برميل', 'براميل', 'البراميل المتفجره']
en = ['helicopters?', 'barrel[- ]bombs?', 'barrels?']

[means.aircraft]
ar = ['طائرات? حربي\w*', 'طائرات?', 'طيران', 'الطيران الحربي', 'غاره']
en = ['air ?strikes?', 'warplanes?', 'jets?', 'fighter jets?']

[actors.syrian-government]
ar = ['النظام السوري', 'قوات النظام', 'النظام', 'مروحيات النظام', 'الاسد']
en = ['syrian government', 'government (?:warplanes?|helicopters?|forces)', 'assad', 'the regime']

[actors.isis]
ar = ['داعش', 'تنظيم الدوله']
en = ['isis', 'isil', 'islamic state']

[actors.russia]
ar = ['روسيا', 'موسكو']
en = ['russia', 'moscow']

[bodies.opcw-un-jim]
investigative = true
ar = ['الاليه المشتركه', 'التحقيق الذي اجرته الامم المتحده ومنظمه \w+( \w+)? الاسلحه الكيم\w*']
en = ['joint investigative mechanism', 'jim', 'opcw-un jim']

[bodies.opcw]
investigative = true
ar = ['منظمه حظر الاسلحه الكيم\w*']
en = ['opcw', 'organi[sz]ation for the prohibition of chemical weapons']

[bodies.activists]
investigative = false
ar = ['ناشطون', 'ناشطين', 'مكتب توثيق\w*( \w+){0,3}']
en = ['activists?', 'u\.s\.', 'uk']

[bodies.russia]
investigative = false
ar = ['روسيا', 'موسكو', 'الكرملين']
en = ['russia', 'moscow', 'kremlin']

[cues]
chemical_ar = ['كيم[يا]\w*', 'غاز', 'الكلور', 'كلور', 'السارين', 'اختناق\w*']
chemical_en = ['chemicals?', 'toxic', 'gas', 'chlorine', 'sarin', 'mustard']
attack_ar = ['هجوم', 'قصف\w*', 'استهدف\w*', 'القى', 'القت']
attack_en = ['attack\w*', 'bomb\w*', 'dropped', 'struck']
denial_ar = ['نفى', 'نفت', 'مسرحي\w*', 'فبرك\w*']
denial_en = ['den(?:y|ies|ied|ying|ial)', 'fabricat\w*', 'staged']
mutual_ar = ['تبادل\w*(?:\W+\w+){0,10}?\W+الاتهامات']
mutual_en = ['trade[ds]? accusations', 'accused each other']
speech_ar = ['قال\w*', 'وصف\w*', 'نفت']
speech_en = ['said', 'according to', 'denied', 'concluded']
locator_ar = ['بالقرب من', 'قرب', 'في ريف', 'ريف', 'في', 'ب']
locator_en = ['near', 'in', 'in the', 'of', 'north of']
complementizer_ar = ['ان', 'بان', 'انه']
complementizer_en = ['that']
"""

# computed with the full-scan implementation this matcher replaced
EXPECTED: list[tuple[str, dict[str, list[tuple[int, int, str]]]]] = [
    (
        'وقصفت مروحيات النظام ببراميل متفجرة محملة بغاز الكلور بلدة كفرزيتا بالقرب من حماة، وقال ناشطون إن عشرات أصيبوا بحالات اختناق.',
        {
            'agents': [(42, 53, 'chlorine')],
            'means': [(6, 13, 'helicopter'), (21, 28, 'helicopter')],
            'actors': [(6, 20, 'syrian-government')],
            'bodies': [(88, 94, 'activists')],
            'attack': [(0, 5, 'attack')],
            'chemical': [(42, 46, 'chemical'), (47, 53, 'chemical'), (118, 124, 'chemical')],
            'complementizer': [(95, 97, 'complementizer')],
            'locator': [(67, 76, 'locator')],
            'speech': [(83, 87, 'speech')],
        },
    ),
    (
        'Syrian government helicopters dropped barrel bombs filled with chlorine on Kafr Zita, north of Hama, activists said; Damascus denied it.',
        {
            'agents': [(63, 71, 'chlorine')],
            'means': [(18, 29, 'helicopter'), (38, 50, 'helicopter')],
            'actors': [(0, 17, 'syrian-government')],
            'bodies': [(101, 110, 'activists')],
            'attack': [(30, 37, 'attack'), (45, 50, 'attack')],
            'chemical': [(63, 71, 'chemical')],
            'denial': [(126, 132, 'denial')],
            'locator': [(86, 94, 'locator')],
            'speech': [(111, 115, 'speech'), (126, 132, 'speech')],
        },
    ),
    (
        'وخلصت منظمة حظر الأسلحة الكيميائية إلى أن الطيران الحربي ألقى السارين، ونفت موسكو ذلك ووصفته بالمسرحية، وتبادل الطرفان الاتهامات.',
        {
            'agents': [(62, 69, 'sarin')],
            'means': [(42, 56, 'aircraft')],
            'actors': [(76, 81, 'russia')],
            'bodies': [(6, 34, 'opcw'), (76, 81, 'russia')],
            'attack': [(57, 61, 'attack')],
            'chemical': [(24, 34, 'chemical'), (62, 69, 'chemical')],
            'complementizer': [(39, 41, 'complementizer')],
            'denial': [(71, 75, 'denial'), (93, 102, 'denial')],
            'mutual': [(104, 128, 'mutual')],
            'speech': [(71, 75, 'speech'), (86, 92, 'speech')],
        },
    ),
    (
        'The OPCW-UN JIM concluded that ISIL used sulfur mustard in the attacks; the U.S. and the UK and Russia accused each other.',
        {
            'agents': [(41, 55, 'mustard')],
            'actors': [(31, 35, 'isis'), (96, 102, 'russia')],
            'bodies': [(4, 15, 'opcw-un-jim'), (76, 80, 'activists'), (89, 91, 'activists'), (96, 102, 'russia')],
            'attack': [(63, 70, 'attack')],
            'chemical': [(48, 55, 'chemical')],
            'complementizer': [(26, 30, 'complementizer')],
            'locator': [(56, 62, 'locator')],
            'mutual': [(103, 121, 'mutual')],
            'speech': [(16, 25, 'speech')],
        },
    ),
    (
        'وللنظام وبالكلور فالاسد وكالطائرات ب في ريف وفي ريف مكتب توثيق الانتهاكات في سوريا غاره طائرة حربية',
        {
            'agents': [(8, 16, 'chlorine')],
            'means': [(24, 34, 'aircraft'), (83, 87, 'aircraft')],
            'actors': [(0, 7, 'syrian-government'), (17, 23, 'syrian-government')],
            'bodies': [(52, 82, 'activists')],
            'chemical': [(8, 16, 'chemical')],
            'locator': [(35, 36, 'locator'), (37, 43, 'locator'), (44, 51, 'locator'), (74, 76, 'locator')],
        },
    ),
]


def F(raw: str) -> str:
    return fold(normalize(raw).text).text


def full_scan(v: Vocabulary, group: str, text: str) -> list[Term]:
    """The reference: every code's expression over every position, longest wins."""
    hits = [
        Term(m.start(), m.end(), group, code)
        for code, rx in v._matchers.get(group, [])
        for m in rx.finditer(text)
        if m.end() > m.start()
    ]
    hits.sort(key=lambda t: (t.start, -(t.end - t.start)))
    kept: list[Term] = []
    for t in hits:
        if not kept or t.start >= kept[-1].end:
            kept.append(t)
    return kept


@pytest.fixture(scope="module")
def small() -> Vocabulary:
    return Vocabulary(tomllib.loads(VOCAB_TOML))


@pytest.mark.parametrize("raw,expected", EXPECTED, ids=[f"s{i}" for i in range(len(EXPECTED))])
def test_fixed_sentences(small: Vocabulary, raw: str, expected: dict[str, list[tuple[int, int, str]]]) -> None:
    f = F(raw)
    for g in small.groups:
        got = [(t.start, t.end, t.code) for t in small.find(g, f)]
        assert got == expected.get(g, []), g
        assert all(t.group == g for t in small.find(g, f))
        assert small.has(g, f) == bool(expected.get(g))
        assert small.find(g, f) == full_scan(small, g, f)


def test_public_api(small: Vocabulary) -> None:
    assert small.groups[:4] == ["agents", "means", "actors", "bodies"]
    assert small.investigative == {"opcw-un-jim", "opcw"}
    assert small.find("no-such-group", "sarin") == []
    assert small.has("no-such-group", "sarin") is False
    v = default_vocabulary()
    assert v is default_vocabulary()
    assert v.default_means.get("novichok") == "poisoning"
    assert "opcw" in v.investigative


def _case_texts() -> list[str]:
    out: list[str] = []
    for path in sorted(CASES.glob("*.toml")):
        for case in tomllib.loads(path.read_text("utf-8")).get("case", []):
            if "text" in case:
                out.append(F(case["text"]))
    return out


def _clitic_strings(v: Vocabulary, n: int, seed: int) -> list[str]:
    """Vocabulary words behind stacked proclitics, cut short, glued, with suffixes."""
    words = sorted({k for ms in v._engines.values() for m in ms for k in (m.ar_keys or set()) | (m.en_keys or set())})
    rnd = random.Random(seed)
    pre = ["", "", "و", "ف", "ب", "ل", "ك", "ال", "لل", "وب", "فل", "وال", "بال", "وبال", "فكال", "x", "ا"]
    post = ["", "", "ه", "ها", "ات", "s", "es", "x", "ين"]
    seps = [" ", " ", ", ", ". ", "\n", "-", "", " و", "(", "2"]
    out = []
    for _ in range(n):
        parts = []
        for _ in range(rnd.randint(1, 25)):
            w = rnd.choice(words)
            if rnd.random() < 0.3:
                w = w[: rnd.randint(1, len(w))]
            parts += [rnd.choice(pre), w, rnd.choice(post), rnd.choice(seps)]
        out.append("".join(parts))
    return out


def test_same_terms_as_full_scan() -> None:
    v = default_vocabulary()
    texts = _case_texts()
    texts += [t.upper() for t in texts[:20]] + [t.replace(" ", "") for t in texts[:20]]
    texts += _clitic_strings(v, 300, seed=5)
    assert len(texts) > 100
    for t in texts:
        for g in v.groups:
            assert v.find(g, t) == full_scan(v, g, t), (g, t[:80])
            assert v.has(g, t) == any(rx.search(t) for _, rx in v._matchers[g]), (g, t[:80])


def test_windows_and_repeated_calls() -> None:
    """Substrings (as the pipeline passes them) and alternating texts do not confuse the cache."""
    v = default_vocabulary()
    a = F(EXPECTED[0][0]) * 3
    b = F(EXPECTED[1][0]) * 3
    for _ in range(2):
        for t in (a, b, a[5:], a[:47], a[10:58], b[:200]):
            for g in v.groups:
                assert v.find(g, t) == full_scan(v, g, t)
                assert v.has(g, t) == any(rx.search(t) for _, rx in v._matchers[g])


def test_threads_keep_their_own_text() -> None:
    """The web app and a threaded Dask worker share one vocabulary: each thread's last text and its
    candidates are its own, so one thread never reads (or half-fills) another text's candidates."""
    import sys
    import threading

    v = default_vocabulary()
    a = F(EXPECTED[0][0]) * 3
    mine = v.candidates(a)
    seen: dict[str, object] = {}

    def other() -> None:
        seen["theirs"] = v.candidates(a)
        seen["b"] = v.candidates(F(EXPECTED[1][0]) * 3)

    th = threading.Thread(target=other)
    th.start()
    th.join()
    assert id(seen["theirs"]) != id(mine), "another thread was handed this thread's candidates"
    assert id(v.candidates(a)) == id(mine)  # the other thread's text did not replace this one's

    texts = [t for t in _case_texts() if len(t) > 60][:40]
    want = {g: [v.find(g, t) for t in texts] for g in v.groups}
    bad: list[tuple[str, int]] = []

    def work(seed: int) -> None:
        order = list(range(len(texts)))
        random.Random(seed).shuffle(order)
        for i in order:
            for g in v.groups:
                if v.find(g, texts[i]) != want[g][i] or v.has(g, texts[i]) != bool(want[g][i]):
                    bad.append((g, i))

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-5)
    try:
        workers = [threading.Thread(target=work, args=(k,)) for k in range(4)]
        for w in workers:
            w.start()
        for w in workers:
            w.join()
    finally:
        sys.setswitchinterval(interval)
    assert bad == []


def test_every_pattern_is_indexed() -> None:
    """Keys are derived for every shipped pattern, so nothing falls back to the slow full scan."""
    v = default_vocabulary()
    slow = [(g, m.code) for g, ms in v._engines.items() for m in ms if not m.indexed]
    assert slow == []


def test_linear_time() -> None:
    """Long texts, and text without spaces, are matched in time linear in their length."""
    import time

    v = default_vocabulary()
    unit = F(EXPECTED[0][0] + " " + EXPECTED[1][0])
    for text in (unit * 400, re.sub(r"\s", "", unit) * 400):
        t0 = time.perf_counter()
        for g in v.groups:
            v.find(g, text)
        assert time.perf_counter() - t0 < 2.0
