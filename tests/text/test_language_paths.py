"""detect_language's shortcuts (Arabic letters counted first, the text lowered once) give the
answers of the plain computation, kept here as the reference."""

from __future__ import annotations

import random
import re
from collections import Counter

from bayyina.text.language import UNDETERMINED, detect_language, stopwords

_WORD = re.compile(r"[^\W\d_]+")
_ARABIC = re.compile("[\u0600-\u06ff\ufb50-\ufeff]+")
_ARABIC_LETTERS = re.compile("[\u0621-\u063a\u0641-\u064a]+")


def reference(text: str, sample: int = 20000) -> str:
    text = text[:sample]
    arabic = sum(map(len, _ARABIC.findall(text)))
    if arabic and sum(map(len, _ARABIC_LETTERS.findall(text))) >= 0.3 * len(text):
        return "ar"
    words = _WORD.findall(text)
    letters = sum(map(len, words))
    if letters == 0:
        return UNDETERMINED
    if arabic / letters >= 0.3:
        return "ar"
    counts = Counter(map(str.lower, words))
    sw = stopwords()
    scores = {lang: sum(counts[w] for w in sw[lang].intersection(counts)) for lang in ("en", "fr")}
    best = max(scores, key=lambda k: (scores[k], k == "en"))
    return UNDETERMINED if scores[best] == 0 else best


PIECES = ["The", "attack", "on", "the", "town", "LE", "la", "des", "été", "et", "İstanbul", "ΑΣ'Α", "ΟΔΟΣ",
          "في", "على", "هجوم", "ﻻ", "ـ", "٣", "2017", "—", "''", "«", "»", ",", ".", "\n", "Été", "DU", "ß", "Ǆ"]


def test_same_answers_as_reference() -> None:
    rnd = random.Random(11)
    texts = ["", " ", "2017", "— —", "İİİ the", "ΣΣΣ of", "ﻻﻻﻻ the the"]
    for _ in range(1500):
        texts.append(" ".join(rnd.choice(PIECES) for _ in range(rnd.randint(1, 40))))
    for t in texts:
        assert detect_language(t) == reference(t), repr(t)
        assert detect_language(t, sample=7) == reference(t, sample=7), repr(t)
