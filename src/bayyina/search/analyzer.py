"""Index- and query-time analysis: text → search terms, the same on both sides.

A text is normalised (:func:`bayyina.text.normalize.normalize`) and folded
(:func:`~bayyina.text.normalize.fold`: hamza/alef forms, ta marbuta, alef
maqsura, diacritics, tatweel, presentation forms, Eastern digits, Latin case
and accents), then cut into tokens of letters and digits. Each token has
*forms*, all of which are indexed and all of which a query token may match:

* the folded token itself;
* the token with its Arabic proclitics stripped (``data/proclitics.tsv``:
  و ف, then ب ل ك, then ال, or لل): بدوما → دوما, وسراقب → سراقب,
  للغوطة → غوطه;
* the canonical spelling of a field variant (``data/variants.tsv``):
  كيماوي / كيمياوي / كيمائي → كيميائي (folded), also when the variant is followed
  by a short suffix (كيماوية).

Tokens keep their offsets in the normalised text, so a match can be shown
in context (:mod:`bayyina.search.service`).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from bayyina.text.normalize import fold, fold_str, normalize

_WORD = re.compile(r"[^\W_]+")
MAX_SUFFIX = 3  # letters a variant may be followed by (كيماوية: ه; كيماويات: ات)


class VocabularyError(ValueError):
    """A search data file is malformed (names the file and the line)."""


@dataclass(frozen=True)
class Token:
    """One token of a text: its folded surface, every index form, its span in the normalised text."""

    surface: str
    forms: tuple[str, ...]
    start: int
    end: int


def _rows(name: str) -> list[tuple[int, list[str]]]:
    text = resources.files("bayyina.search").joinpath("data", name).read_text(encoding="utf-8")
    out: list[tuple[int, list[str]]] = []
    for n, row in enumerate(csv.reader(text.splitlines(), delimiter="\t"), 1):
        if not row or row[0].startswith("#"):
            continue
        out.append((n, [c.strip() for c in row if c.strip()]))
    return out[1:]  # header


@lru_cache(maxsize=1)
def _variants() -> tuple[tuple[str, str], ...]:
    """(folded variant, folded canonical) pairs, longest variant first; a canonical is its own variant."""
    pairs: dict[str, str] = {}
    for n, cells in _rows("variants.tsv"):
        if len(cells) < 2:
            raise VocabularyError(f"search/data/variants.tsv line {n}: a canonical form and at least one variant")
        canon = fold_str(cells[0])
        for v in cells:
            fv = fold_str(v)
            if not _WORD.fullmatch(fv or "-"):
                raise VocabularyError(f"search/data/variants.tsv line {n}: {v!r} is not one word")
            pairs.setdefault(fv, canon)
    return tuple(sorted(pairs.items(), key=lambda kv: -len(kv[0])))


@lru_cache(maxsize=1)
def _proclitics() -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], int]:
    slots: dict[str, list[str]] = {"conj": [], "prep": [], "art": [], "prep_art": []}
    min_rest = 3
    for n, cells in _rows("proclitics.tsv"):
        if len(cells) != 2:
            raise VocabularyError(f"search/data/proclitics.tsv line {n}: expected 'slot<TAB>form'")
        slot, form = cells
        if slot == "min_rest":
            if not form.isdigit():
                raise VocabularyError(f"search/data/proclitics.tsv line {n}: min_rest must be a number")
            min_rest = int(form)
        elif slot in slots:
            slots[slot].append(fold_str(form))
        else:
            raise VocabularyError(f"search/data/proclitics.tsv line {n}: unknown slot {slot!r}")
    conj = ("", *slots["conj"])
    # after the conjunction: a preposition, the article, preposition + article, or nothing
    rest = ("", *slots["prep"], *slots["art"], *slots["prep_art"],
            *(p + a for p in slots["prep"] for a in slots["art"]))
    return conj, tuple(sorted(set(rest), key=len, reverse=True)), tuple(slots["art"]), min_rest


def _is_arabic(ch: str) -> bool:
    return "\u0600" <= ch <= "\u06ff"


def strip_proclitics(tok: str) -> list[str]:
    """Every remainder of ``tok`` without a sequence of proclitics (longest strips last)."""
    if not tok or not _is_arabic(tok[0]):
        return []
    conj, rest, _art, min_rest = _proclitics()
    out: list[str] = []
    for c in conj:
        if not tok.startswith(c):
            continue
        for r in rest:
            pre = c + r
            if pre and tok.startswith(pre) and len(tok) - len(pre) >= min_rest:
                rem = tok[len(pre):]
                if rem not in out:
                    out.append(rem)
    return out


def _canonical(form: str) -> list[str]:
    out: list[str] = []
    for v, canon in _variants():
        if form.startswith(v) and len(form) - len(v) <= MAX_SUFFIX:
            out.append(canon)
            if len(form) > len(v):
                out.append(canon + form[len(v):])
            break
    return out


@lru_cache(maxsize=200_000)
def forms(tok: str) -> tuple[str, ...]:
    """Every index form of one folded token, the token itself first."""
    found = [tok]
    for f in [tok, *strip_proclitics(tok)]:
        for g in (f, *_canonical(f)):
            if g not in found:
                found.append(g)
    return tuple(found)


def iter_tokens(norm_text: str) -> Iterator[Token]:
    """The tokens of already *normalised* text, with spans in it, one at a time."""
    folded = fold(norm_text)
    for m in _WORD.finditer(folded.text):
        a, b = folded.src_span(m.start(), m.end())
        yield Token(m.group(), forms(m.group()), a, b)


def tokens(norm_text: str) -> list[Token]:
    """The tokens of already *normalised* text, with spans in it."""
    return list(iter_tokens(norm_text))


def analyse_norm(norm_text: str) -> str:
    """The analysed text (space-separated terms) of already normalised text."""
    folded = fold(norm_text).text
    return " ".join(" ".join(forms(w)) for w in _WORD.findall(folded))


def analyse(text: str) -> str:
    """The analysed text of any text (normalised first)."""
    return analyse_norm(normalize(text).text)


@dataclass(frozen=True)
class QueryTerm:
    """One query word: the forms any of which must occur; ``prefix``: they may start a longer term."""

    surface: str
    forms: tuple[str, ...]
    prefix: bool


def query_terms(query: str, *, prefix_last: bool = True, min_prefix: int = 2) -> list[QueryTerm]:
    """The terms of a query: every word must match (one of its forms); the last one as a prefix."""
    words = _WORD.findall(fold_str(query))
    terms: list[QueryTerm] = []
    for i, w in enumerate(words):
        last = i == len(words) - 1
        terms.append(QueryTerm(w, forms(w), prefix_last and last and len(w) >= min_prefix))
    return terms


def matches(token: Token, term: QueryTerm) -> bool:
    """Whether a text token is what the query term looks for."""
    if term.prefix:
        return any(f.startswith(q) for f in token.forms for q in term.forms)
    return not set(token.forms).isdisjoint(term.forms)
