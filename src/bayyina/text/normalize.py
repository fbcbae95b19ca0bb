"""The text layer: normalised text with a map back to the raw extracted text.

Two levels live here:

* :func:`normalize` builds the *normalised text* that every evidence span
  points into: Unicode NFKC (the corpus has Arabic presentation forms),
  tatweel removed, zero-width and bidi controls removed, every run of
  whitespace turned into one space (a run that holds a line break becomes one
  ``\\n``, so paragraphs survive). ``NormText.to_raw`` maps each normalised
  character back to its offset in the raw text, so a span can be shown in its
  original context.
* :func:`fold` is the *matching* form used by extractors and search: Arabic
  letters folded (hamza/alef forms → ا, ta marbuta → ه, alef maqsura → ي),
  diacritics dropped, Eastern Arabic and Persian digits → ASCII, Latin
  lower-cased and accents stripped. It too keeps a map back, to normalised
  offsets.

Both are deterministic: the same raw text always gives the same result, so
the maps need not be stored — they can be rebuilt from the raw text.

Speed: both work per *distinct* character. What a character becomes is
learned once (``_norm_char`` / :func:`fold_char`) into ``str.translate``
tables; the text is then rewritten in C, and the offset maps are built from
ranges, touching only the few places where a character is dropped, expands to
several, or a whitespace run collapses. The character-by-character loops
(``_normalize_loop``, ``_fold_loop``) are kept as the reference and for the
rare texts the fast path does not cover; both give identical results.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

TATWEEL = "\u0640"
# zero-width and directional controls that carry no text
_INVISIBLE = set("\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff\u00ad")
# Arabic diacritics (harakat, shadda, sukun, superscript alef, Quranic marks)
_AR_DIACRITICS = {chr(c) for c in range(0x064B, 0x0660)} | {"\u0670"} | {chr(c) for c in range(0x06D6, 0x06EE)}
_AR_FOLD = {
    "أ": "ا",
    "إ": "ا",
    "آ": "ا",
    "ٱ": "ا",
    "ٲ": "ا",
    "ٳ": "ا",
    "ة": "ه",
    "ى": "ي",
    "ی": "ي",  # Persian yeh
    "ک": "ك",  # Persian kaf
    "ؤ": "و",
    "ئ": "ي",
    "ـ": "",
}
_DIGITS = {chr(0x0660 + i): str(i) for i in range(10)} | {chr(0x06F0 + i): str(i) for i in range(10)}
_PUNCT_FOLD = {
    "،": ",",
    "؛": ";",
    "؟": "?",
    "٫": ".",
    "٬": ",",
    "\u2019": "'",
    "\u2018": "'",
    "\u201c": '"',
    "\u201d": '"',
    "«": '"',
    "»": '"',
    "\u2013": "-",
    "\u2014": "-",
}


@dataclass
class MappedText:
    """A string plus, for each of its characters, an offset into a source string.

    ``to_src`` has ``len(text) + 1`` entries; the last one is the source length,
    so a half-open span ``[a, b)`` maps to ``[to_src[a], to_src[b-1] + 1)``.
    """

    text: str
    to_src: list[int] = field(repr=False)
    src_len: int = 0

    def src_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a half-open span of ``text`` to a half-open span of the source."""
        if start >= end:
            pos = self.to_src[start] if start < len(self.to_src) else self.src_len
            return pos, pos
        return self.to_src[start], self.to_src[end - 1] + 1


NormText = MappedText


def _norm_char(ch: str) -> str:
    if ch in _INVISIBLE or ch == TATWEEL:
        return ""
    if ch.isascii():
        return ch
    out = unicodedata.normalize("NFKC", ch)
    return out.replace(TATWEEL, "")


# every character ``str.isspace`` accepts, plus the zero-width space normalize treats as one
_WS_CHARS = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
    "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\u200b"
)
_NL_CHARS = "\n\r\u2028\u2029\x0b\x0c\x85"

def _class_of(chars: set[str]) -> str:
    """A regex character-class body (ranges of escaped code points) for ``chars``."""
    cps = sorted(ord(c) for c in chars)
    out: list[str] = []
    i = 0
    while i < len(cps):
        j = i
        while j + 1 < len(cps) and cps[j + 1] == cps[j] + 1:
            j += 1
        out.append(f"\\U{cps[i]:08x}" if i == j else f"\\U{cps[i]:08x}-\\U{cps[j]:08x}")
        i = j + 1
    return "".join(out)


class _Learned:
    """The characters a step has met, split into those it leaves alone and the others.

    ``others(text)`` finds, with one regex pass, the characters of ``text``
    that are not known to be left alone (characters never met are learned on
    the way), so a step does per-text work only for those.
    """

    def __init__(self, learn: Callable[[str], bool]) -> None:
        self._learn = learn  # records what the step does with a character; True: left alone
        self._seen: set[str] = set()
        self._plain: set[str] = set()
        self._rx = re.compile(r"[\s\S]")
        self.learn(chr(c) for c in range(128))

    def learn(self, chars: Iterable[str]) -> None:
        grew = False
        for ch in chars:
            if ch in self._seen:
                continue
            if self._learn(ch):
                self._plain.add(ch)
                grew = True
            self._seen.add(ch)
        if grew:
            self._rx = re.compile("[^" + _class_of(self._plain) + "]")

    def others(self, text: str) -> set[str]:
        found = set(self._rx.findall(text))
        if not found <= self._seen:
            self.learn(found)
            found = {c for c in found if c not in self._plain}
        return found


# what normalize does with each character met so far
_N_TRANS: dict[int, str] = {}  # whitespace -> " " / "\n", characters that become another one -> it
_N_MULTI_TRANS: dict[int, str] = {}  # characters that become several (ligatures) -> those
_N_DROP: set[str] = set()  # removed (tatweel, invisible controls)
_N_SLOW: set[str] = set()  # become text holding whitespace: left to the loop


def _learn_norm(ch: str) -> bool:
    if ch.isspace() or ch in "\u200b":
        sep = "\n" if ch in _NL_CHARS else " "
        if sep != ch:
            _N_TRANS[ord(ch)] = sep
            return False
        return True  # " " and "\n" stay; their runs are collapsed separately
    piece = _norm_char(ch)
    if not piece:
        _N_DROP.add(ch)
    elif any(p.isspace() for p in piece) or unicodedata.normalize("NFKC", piece) != piece:
        _N_SLOW.add(ch)
    elif len(piece) > 1:
        _N_MULTI_TRANS[ord(ch)] = piece
    elif piece != ch:
        _N_TRANS[ord(ch)] = piece
    else:
        return True
    return False


def _translate(text: str, present: set[str], table: dict[int, str]) -> str:
    """``text.translate(table)`` for a text whose characters are ``present``.

    ``str.translate`` looks every character up (slow for non-ASCII text); a
    few ``str.replace`` passes, one per character that changes, give the same
    result when no replacement holds a character that is replaced too.
    """
    keys = [c for c in present if ord(c) in table]
    if not keys:
        return text
    if len(keys) > 48:
        return text.translate(table)
    pieces = [table[ord(c)] for c in keys]
    kset = set(keys)
    if any(not kset.isdisjoint(p) for p in pieces):
        return text.translate(table)
    for c, p in zip(keys, pieces):
        text = text.replace(c, p)
    return text


def _char_class(chars: set[str]) -> re.Pattern[str]:
    return re.compile("[" + "".join(sorted(re.escape(c) for c in chars)) + "]")


_RUN = re.compile(r"[ \n][ \n]+")  # runs of two or more; opening on a class, a search skips ahead in C
_SHORT = 24  # texts shorter than this go through the reference loops
_N_CHARS = _Learned(_learn_norm)


def normalize(raw: str) -> MappedText:
    """Normalise extracted raw text; see the module docstring."""
    if len(raw) < _SHORT:
        return _normalize_loop(raw)  # words and phrases: the loop costs less than the set-up
    chars = _N_CHARS.others(raw)
    if not _N_SLOW.isdisjoint(chars):
        return _normalize_loop(raw)
    n = len(raw)
    drops = chars & _N_DROP
    keep: list[int] | None = None  # offsets of ``src`` in ``raw`` when dropped characters were taken out
    src = raw
    if drops and _next_to_space(drops).search(raw):
        # a dropped character inside a whitespace run does not end it: take them out first
        keep = []
        parts: list[str] = []
        a = 0
        for m in _char_class(drops).finditer(raw):
            keep.extend(range(a, m.start()))
            parts.append(raw[a : m.start()])
            a = m.end()
        keep.extend(range(a, n))
        parts.append(raw[a:])
        src = "".join(parts)
        drops = set()
    end = len(src.rstrip(_WS_CHARS))  # trailing whitespace is dropped ...
    lead = end - len(src[:end].lstrip(_WS_CHARS))  # ... and so is leading whitespace
    body = _translate(src[lead:end], chars, _N_TRANS)
    multi = {c for c in chars if ord(c) in _N_MULTI_TRANS}
    # what the loop below rewrites: whitespace runs (looked for only when two separators touch,
    # which str's own search tells fast), ligatures and dropped characters
    pieces = [_RUN.pattern] if ("  " in body or "\n\n" in body or " \n" in body or "\n " in body) else []
    if multi or drops:
        pieces.append("[" + _class_of(multi | drops) + "]")
    out: list[str] = []
    to: list[int] = []
    a = 0
    for m in re.compile("|".join(pieces)).finditer(body) if pieces else ():
        s, e = m.span()
        c = body[s]
        out.append(body[a:s])
        if c == " " or c == "\n":  # a whitespace run: one separator, at the run's first character
            out.append("\n" if "\n" in body[s:e] else " ")
            to.extend(range(lead + a, lead + s + 1))
        elif c in drops:  # tatweel, invisible controls: gone
            to.extend(range(lead + a, lead + s))
        else:  # a ligature: every character it becomes maps back to it
            piece = _N_MULTI_TRANS[ord(c)]
            out.append(piece)
            to.extend(range(lead + a, lead + s))
            to.extend([lead + s] * len(piece))
        a = e
    out.append(body[a:])
    to.extend(range(lead + a, lead + len(body)))
    text = "".join(out)
    if keep is not None:
        to = [keep[j] for j in to]
    to.append(n)
    return MappedText(text, to, n)


def _next_to_space(drops: set[str]) -> re.Pattern[str]:
    """A dropped character with whitespace just before or after it (the expression opens on the
    dropped character, so the search skips ahead to those)."""
    d = _class_of(drops)
    w = _class_of(set(_WS_CHARS))
    return re.compile(f"[{d}](?:(?<=[{w}][{d}])|(?=[{w}]))")


def _normalize_loop(raw: str) -> MappedText:
    """The reference implementation of :func:`normalize`, one character at a time."""
    out: list[str] = []
    to_raw: list[int] = []
    pending_ws: int | None = None  # raw offset where a whitespace run began
    pending_nl = False
    for i, ch in enumerate(raw):
        if ch.isspace() or ch in "\u200b":
            if pending_ws is None:
                pending_ws = i
            if ch in "\n\r\u2028\u2029\x0b\x0c\x85":
                pending_nl = True
            continue
        piece = _norm_char(ch)
        if not piece:
            continue
        if pending_ws is not None:
            if out:  # leading whitespace is dropped
                out.append("\n" if pending_nl else " ")
                to_raw.append(pending_ws)
            pending_ws = None
            pending_nl = False
        for p in piece:
            if p.isspace():
                p = " "
            out.append(p)
            to_raw.append(i)
    to_raw.append(len(raw))
    return MappedText("".join(out), to_raw, len(raw))


def fold_char(ch: str) -> str:
    """The matching form of one normalised character ('' when it is dropped)."""
    if ch.isascii():
        return " " if ch == "_" else ch.lower()  # hashtags: #غاز_السارين
    if ch in _AR_DIACRITICS:
        return ""
    if ch in _AR_FOLD:
        return _AR_FOLD[ch]
    if ch in _DIGITS:
        return _DIGITS[ch]
    if ch in _PUNCT_FOLD:
        return _PUNCT_FOLD[ch]
    if "\u0600" <= ch <= "\u06ff":
        return ch
    decomposed = unicodedata.normalize("NFKD", ch)
    base = "".join(c for c in decomposed if not unicodedata.combining(c))
    return base.lower()


# what fold does with each character met so far
_F_TRANS: dict[int, str] = {}  # characters that change -> their folded piece
_F_ODD: set[str] = set()  # characters whose piece is not exactly one character


def _learn_fold(ch: str) -> bool:
    piece = fold_char(ch)
    if piece == ch:
        return True
    _F_TRANS[ord(ch)] = piece
    if len(piece) != 1:
        _F_ODD.add(ch)
    return False


_F_CHARS = _Learned(_learn_fold)


def fold(text: str) -> MappedText:
    """Fold normalised text for matching, keeping a map back to ``text``."""
    if len(text) < _SHORT:
        return _fold_loop(text)
    chars = _F_CHARS.others(text)
    n = len(text)
    out = _translate(text, chars, _F_TRANS)
    odd = chars & _F_ODD
    if not odd:
        return MappedText(out, list(range(n + 1)), n)
    to: list[int] = []
    a = 0
    for m in _char_class(odd).finditer(text):
        i = m.start()
        to.extend(range(a, i))
        to.extend([i] * len(_F_TRANS[ord(text[i])]))
        a = i + 1
    to.extend(range(a, n))
    to.append(n)
    return MappedText(out, to, n)


def _fold_loop(text: str) -> MappedText:
    """The reference implementation of :func:`fold`, one character at a time."""
    out: list[str] = []
    to_src: list[int] = []
    for i, ch in enumerate(text):
        piece = fold_char(ch)
        for p in piece:
            out.append(p)
            to_src.append(i)
    to_src.append(len(text))
    return MappedText("".join(out), to_src, len(text))


def fold_str(text: str) -> str:
    """Fold a string without keeping the map (for vocabularies and queries)."""
    return "".join(fold_char(c) for c in normalize(text).text)
