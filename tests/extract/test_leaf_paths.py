"""The fast paths of the extractor's leaf modules give what their plain forms give.

* :class:`bayyina.extract.dates.Tokens` (split into pieces, offsets from running
  sums) against ``TOKEN_RE.finditer``, on texts with unusual characters;
* the vocabulary's lazy automaton: once the groups asked for on every text have
  the eager pass to themselves, the other groups (filled in on first use) still
  give the Terms of a full scan.
"""

from __future__ import annotations

import random
import tomllib
from importlib import resources

from bayyina.extract import vocab as vocab_mod
from bayyina.extract.dates import TOKEN_RE, Tokens
from bayyina.extract.vocab import Vocabulary
from bayyina.text.normalize import fold, normalize
from tests.extract.test_vocab import full_scan

TEXTS = [
    "",
    " ",
    "a",
    "  leading and trailing  ",
    "في 4 نيسان/أبريل 2017، قصفت الطائرات خان شيخون بغاز السارين.",
    "On April 4, 2017 (04.04.2017) at 06:30, 2,000 people; café naïve — x²+y² ½ _under_score_",
    "\u0660\u0661\u0662 ١٢ سبتمبر ٢٠١٣ ﻻ ﷲ ـــ ٱلْعَرَبِيَّة",
    "tab\there\nnew\r\nline\u00a0nbsp\u2003em\u200bzw",
    "x" * 300 + " " + "ي" * 300,
]


def _reference(text: str) -> tuple[list[str], list[int], list[int]]:
    ms = list(TOKEN_RE.finditer(text))
    return [m.group() for m in ms], [m.start() for m in ms], [m.end() for m in ms]


def test_tokens_same_as_finditer() -> None:
    rnd = random.Random(3)
    alphabet = "ab Z9٣ـًا،.\n\t-_²é\u200b\u0621\u064a\u063bابتث/:,"
    texts = list(TEXTS) + ["".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 60))) for _ in range(400)]
    for t in texts:
        tk = Tokens(t)
        assert (tk.ts, tk.ss, tk.es) == _reference(t), repr(t)
        assert tk.n == len(tk.ts)


def test_lazy_groups_same_terms() -> None:
    raw = resources.files("bayyina.extract").joinpath("data/vocabulary.toml").read_text("utf-8")
    v = Vocabulary(tomllib.loads(raw))
    base = fold(normalize(
        "The Syrian Network for Human Rights said government helicopters dropped barrels of chlorine "
        "on the town near Idlib. وقالت الشبكة السورية لحقوق الإنسان إن مروحيات النظام ألقت براميل "
        "تحوي غاز الكلور على البلدة في ريف إدلب، بحسب شهود. "
    ).text).text
    eager = v.groups[:4]
    rest = [g for g in v.groups if g not in eager]
    # many texts on which only the first groups are asked for: the others become lazy
    for k in range(vocab_mod._REVIEW * 2):
        text = base + f" {k} " + base
        cands = v.candidates(text)
        for g in eager:
            assert v.find(g, text, cands) == full_scan(v, g, text)
    assert v._hot == frozenset(eager)
    lazy = v._indexes[1]
    assert lazy is not None and set(rest) <= lazy.groups
    for k in range(5):
        text = base * (k + 1)
        cands = v.candidates(text)
        for g in rest[k::2] + eager:
            assert v.find(g, text, cands) == full_scan(v, g, text), g
        assert v.has(rest[-1], text) == bool(full_scan(v, rest[-1], text))


def test_latin_article_same_as_loop() -> None:
    from bayyina.extract.gazetteer import _LATIN_ARTICLES, Gazetteer

    def loop(folded: str, start: int) -> str:
        for art in _LATIN_ARTICLES:
            a = start - len(art)
            if a >= 0 and folded[a:start] == art and (a == 0 or not folded[a - 1].isalnum()):
                return art
        return ""

    rnd = random.Random(4)
    parts = ["al-", "el-", "al ", "ash-", "as-", "as ", "ad ", "x", "a", "s", "h", "-", " ", "zz", "قرية "]
    for _ in range(3000):
        t = "".join(rnd.choice(parts) for _ in range(rnd.randint(1, 6))) + "hama"
        for start in range(len(t) + 1):
            assert Gazetteer._latin_article(t, start) == loop(t, start), (t, start)


def test_sentence_ends_same_as_plain_expression() -> None:
    import re

    from bayyina.extract.sentences import _END

    plain = re.compile(r"[.!?…]+|\n")
    rnd = random.Random(6)
    alphabet = "ab .!?…\n\n؟ 4"
    for _ in range(3000):
        t = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 30)))
        assert [(m.span(), m.group()) for m in _END.finditer(t)] == [(m.span(), m.group()) for m in plain.finditer(t)], t
