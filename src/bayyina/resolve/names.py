"""Arabic / English person and unit name matching, with an explained score.

A name is parsed into tokens: folded with :func:`bayyina.text.normalize.fold_str`
(Arabic letter forms unified, diacritics and case dropped), ranks and titles
stripped (``resolve/data/titles.tsv``: العميد، اللواء، Brig. Gen., Col., Dr. …),
the definite article dropped (``articles.tsv`` and the Arabic ``ال``),
particles joined with the next word (``compounds.tsv``: Abd al-Rahman →
abdalrahman), and Latin spellings mapped to one canonical form
(``name_variants.tsv``: Mohammed / Muhammad / Mohamad → muhammad). Every token
also gets a consonant skeleton (``skeleton.tsv``) so that Arabic-script and
Latin-script names can be compared through a common reduced alphabet
(محمد حسن and Mohamad Hassan both give ``mhmd hsn``).

:func:`compare` aligns the tokens of two names (any order), scores each pair
(rapidfuzz: Indel similarity of spellings in one script, Jaro-Winkler of
skeletons across scripts), and sums three named features:

* ``tokens``   — mean similarity of the shorter name's tokens to their partners;
* ``coverage`` — share of the longer name's tokens that found a partner
  (a missing middle name costs a little, a different name a lot);
* ``order``    — 1 when the matched tokens keep their order, else 0.

``score = 0.65 * tokens + 0.25 * coverage + 0.10 * order``; the
:class:`NameMatch` keeps the parts and notes saying what was stripped and how
tokens were paired.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise
from pathlib import Path

from rapidfuzz.distance import Indel, JaroWinkler

from bayyina.text.normalize import fold_str

DATA = Path(__file__).parent / "data"

WEIGHTS = {"tokens": 0.65, "coverage": 0.25, "order": 0.10}
PAIR_THRESHOLD = 0.86  # a token pair below this is no partner
CROSS_SCRIPT_FACTOR = 0.95  # a skeleton match is weaker evidence than a spelling match
SAME_SCRIPT_SKELETON_FACTOR = 0.88  # Jameel / Jamil when no variant entry links them

_ARABIC = re.compile(r"[\u0600-\u06ff]")
_ORDINAL = re.compile(r"^(\d+)(?:st|nd|rd|th)$")
_SPLIT = re.compile(r"[^\w\u0600-\u06ff]+")


class VocabularyError(ValueError):
    """A name vocabulary file is malformed (names the file and line)."""


def _rows(name: str, ncols: int) -> list[list[str]]:
    """Data rows of a TSV under ``data/`` (comments and the header skipped)."""
    path = DATA / name
    out: list[list[str]] = []
    with path.open(encoding="utf-8", newline="") as fh:
        header_seen = False
        for lineno, line in enumerate(fh, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            if not header_seen:
                header_seen = True
                continue
            cols = next(csv.reader([line], delimiter="\t"))
            cols += [""] * (ncols - len(cols))
            if len(cols) != ncols or not cols[0].strip():
                raise VocabularyError(f"{path}:{lineno}: expected {ncols} tab-separated columns, got {line!r}")
            out.append([c.strip() for c in cols])
    return out


def _fold_words(text: str) -> tuple[str, ...]:
    return tuple(w for w in _SPLIT.split(fold_str(text)) if w)


@dataclass(frozen=True)
class Vocab:
    """The name vocabularies, loaded once from ``resolve/data/``."""

    titles: dict[tuple[str, ...], tuple[str, str]]  # folded words -> (kind, canonical)
    max_title_len: int
    variants: dict[str, str]  # folded spelling -> canonical
    compounds: frozenset[str]
    articles_free: frozenset[str]  # dropped when standing alone or hyphenated
    articles_hyphen: frozenset[str]  # dropped only when hyphenated
    skel_ar: dict[str, str]
    skel_latin: dict[str, str]


@lru_cache(maxsize=1)
def vocab() -> Vocab:
    """Load (and cache) the vocabularies."""
    titles: dict[tuple[str, ...], tuple[str, str]] = {}
    for form, kind, canonical in _rows("titles.tsv", 3):
        if kind not in ("rank", "title"):
            raise VocabularyError(f"{DATA / 'titles.tsv'}: kind of {form!r} must be rank or title, not {kind!r}")
        titles[_fold_words(form)] = (kind, canonical)
    variants: dict[str, str] = {}
    for canonical, forms in _rows("name_variants.tsv", 2):
        c = fold_str(canonical)
        variants[c] = c
        for f in forms.split(","):
            if f.strip():
                variants[fold_str(f.strip())] = c
    compounds = frozenset(fold_str(r[0]) for r in _rows("compounds.tsv", 1))
    free: set[str] = set()
    hyph: set[str] = set()
    for art, hyphen in _rows("articles.tsv", 2):
        (hyph if hyphen == "yes" else free).add(fold_str(art))
    skel_ar: dict[str, str] = {}
    skel_latin: dict[str, str] = {}
    for kind, src, dst in _rows("skeleton.tsv", 3):
        if kind == "ar":
            skel_ar[fold_str(src) or src] = dst
        elif kind == "latin":
            skel_latin[src] = dst
        else:
            raise VocabularyError(f"{DATA / 'skeleton.tsv'}: kind must be ar or latin, not {kind!r}")
    return Vocab(
        titles=titles, max_title_len=max((len(k) for k in titles), default=1), variants=variants,
        compounds=compounds, articles_free=frozenset(free), articles_hyphen=frozenset(hyph),
        skel_ar=skel_ar, skel_latin=skel_latin,
    )


def is_arabic(text: str) -> bool:
    """True when the text has Arabic-script letters."""
    return bool(_ARABIC.search(text))


def skeleton(token: str) -> str:
    """The consonant skeleton of one folded token (either script)."""
    v = vocab()
    out: list[str] = []
    if is_arabic(token):
        for ch in token:
            out.append(v.skel_ar.get(ch, ch if ch.isascii() else ""))
    else:
        i = 0
        while i < len(token):
            two = token[i : i + 2]
            if len(two) == 2 and two in v.skel_latin:
                out.append(v.skel_latin[two])
                i += 2
                continue
            ch = token[i]
            out.append(v.skel_latin.get(ch, ch))
            i += 1
    s = "".join(out)
    return re.sub(r"(.)\1+", r"\1", s)


@dataclass(frozen=True)
class ParsedName:
    """A name reduced for matching."""

    original: str
    tokens: tuple[str, ...]
    skeletons: tuple[str, ...]
    stripped: tuple[str, ...]  # canonical ranks / titles removed
    arabic: bool
    rank: str | None = None  # the first rank stripped, canonical


@lru_cache(maxsize=1)
def _article_re() -> re.Pattern[str]:
    v = vocab()
    arts = sorted(v.articles_free | v.articles_hyphen, key=len, reverse=True) or ["al"]
    return re.compile(r"(?<![\w])(?:" + "|".join(map(re.escape, arts)) + r")-(?=\w)")


def _drop_articles(text: str) -> str:
    return _article_re().sub(" ", text)


@lru_cache(maxsize=8192)
def parse(name: str) -> ParsedName:
    """Fold, strip ranks/titles and articles, join particles, canonicalise variants."""
    v = vocab()
    text = _drop_articles(fold_str(name).replace("’", "'"))
    words = [w for w in _SPLIT.split(text.replace("'", "")) if w]
    words = [w for w in words if w not in v.articles_free]
    # Arabic article: drop the "ال" prefix of longer words
    words = [w[2:] if w.startswith("ال") and len(w) > 3 else w for w in words]
    stripped: list[str] = []
    rank: str | None = None
    kept: list[str] = []
    i = 0
    while i < len(words):
        for n in range(min(v.max_title_len, len(words) - i), 0, -1):
            hit = v.titles.get(tuple(words[i : i + n]))
            if hit is not None and len(words) - n >= 1:
                stripped.append(hit[1])
                if hit[0] == "rank" and rank is None:
                    rank = hit[1]
                i += n
                break
        else:
            kept.append(words[i])
            i += 1
    if not kept:  # the whole name was a title: keep it as is
        kept = words
    joined: list[str] = []
    carry = ""
    for w in kept:
        if w in v.compounds:
            carry += w
            continue
        joined.append(carry + w)
        carry = ""
    if carry:
        joined.append(carry)
    joined = [_ORDINAL.sub(r"\1", w) for w in joined]
    tokens = tuple(v.variants.get(w, w) for w in joined)
    return ParsedName(
        original=name,
        tokens=tokens,
        skeletons=tuple(skeleton(t) for t in tokens),
        stripped=tuple(stripped),
        arabic=is_arabic(name),
        rank=rank,
    )


def _token_sim(a: ParsedName, i: int, b: ParsedName, j: int) -> tuple[float, str]:
    """Similarity of token i of a and token j of b, and how it was compared."""
    ta, tb = a.tokens[i], b.tokens[j]
    if ta == tb:
        return 1.0, "same"
    sa, sb = a.skeletons[i], b.skeletons[j]
    skel = 0.0
    if sa and sb:
        if sa == sb:
            skel = 1.0
        elif min(len(sa), len(sb)) > 2:
            skel = JaroWinkler.normalized_similarity(sa, sb)
    if a.arabic != b.arabic or is_arabic(ta) != is_arabic(tb):
        return CROSS_SCRIPT_FACTOR * skel, "skeleton"
    spell = Indel.normalized_similarity(ta, tb)
    known = vocab().variants
    if is_arabic(ta) or (ta in known and tb in known):  # Arabic spelling is exact; Hasan is no Husayn
        return spell, "spelling"
    if SAME_SCRIPT_SKELETON_FACTOR * skel > spell:
        return SAME_SCRIPT_SKELETON_FACTOR * skel, "skeleton"
    return spell, "spelling"


@dataclass
class NameMatch:
    """The score of two names and its explained parts."""

    a: ParsedName
    b: ParsedName
    score: float
    parts: dict[str, float] = field(default_factory=dict)
    pairs: list[tuple[str, str, float]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def explain(self) -> str:
        """One line: parts, token pairs and notes."""
        parts = ", ".join(f"{k} {v:.2f}" for k, v in self.parts.items())
        pairs = "; ".join(f"{x}~{y} {s:.2f}" for x, y, s in self.pairs)
        bits = [f"{self.score:.2f} = {parts}"]
        if pairs:
            bits.append(f"pairs: {pairs}")
        bits.extend(self.notes)
        return " | ".join(bits)


def compare(left: str | ParsedName, right: str | ParsedName) -> NameMatch:
    """Score two names in [0, 1] with explained parts (see the module docstring)."""
    a = left if isinstance(left, ParsedName) else parse(left)
    b = right if isinstance(right, ParsedName) else parse(right)
    notes: list[str] = []
    for p, side in ((a, "first"), (b, "second")):
        if p.stripped:
            notes.append(f"stripped from {side} name: {', '.join(p.stripped)}")
    if a.arabic != b.arabic:
        notes.append("Arabic and Latin script: compared through the consonant skeleton")
    if not a.tokens or not b.tokens:
        return NameMatch(a, b, 0.0, {k: 0.0 for k in WEIGHTS}, [], [*notes, "empty name"])
    swap = len(a.tokens) > len(b.tokens)
    short, long_ = (b, a) if swap else (a, b)
    cands: list[tuple[float, int, int, str]] = []
    for i in range(len(short.tokens)):
        for j in range(len(long_.tokens)):
            s, how = _token_sim(short, i, long_, j)
            cands.append((s, i, j, how))
    cands.sort(key=lambda c: (-c[0], abs(c[1] - c[2]), c[1]))
    used_i: set[int] = set()
    used_j: set[int] = set()
    chosen: list[tuple[float, int, int, str]] = []
    for c in cands:
        if c[1] in used_i or c[2] in used_j:
            continue
        used_i.add(c[1])
        used_j.add(c[2])
        chosen.append(c)
    best = {c[1]: c for c in chosen}
    tokens = sum(best[i][0] if i in best else 0.0 for i in range(len(short.tokens))) / len(short.tokens)
    matched = sorted((c for c in chosen if c[0] >= PAIR_THRESHOLD), key=lambda c: c[1])
    coverage = len(matched) / len(long_.tokens)
    order = 1.0 if matched and all(x[2] < y[2] for x, y in pairwise(matched)) else 0.0
    if matched and not order:
        notes.append("word order differs")
    missing = len(long_.tokens) - len(matched)
    if matched and missing:
        notes.append(f"{missing} name part(s) without a partner")
    parts = {"tokens": round(tokens, 4), "coverage": round(coverage, 4), "order": order}
    score = sum(WEIGHTS[k] * v for k, v in parts.items())
    pairs = []
    for s, i, j, _how in sorted(chosen, key=lambda c: c[1]):
        x, y = short.tokens[i], long_.tokens[j]
        pairs.append((y, x, round(s, 4)) if swap else (x, y, round(s, 4)))
    return NameMatch(a, b, round(score, 4), parts, pairs, notes)


def best_of(query: str | ParsedName, names: list[str]) -> NameMatch | None:
    """The best match of ``query`` among several names of one record (None when no names)."""
    q = query if isinstance(query, ParsedName) else parse(query)
    best: NameMatch | None = None
    for n in names:
        if not n or not n.strip():
            continue
        m = compare(q, n)
        if best is None or m.score > best.score:
            best = m
    return best
