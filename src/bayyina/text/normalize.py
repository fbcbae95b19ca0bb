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
"""

from __future__ import annotations

import unicodedata
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


def normalize(raw: str) -> MappedText:
    """Normalise extracted raw text; see the module docstring."""
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


def fold(text: str) -> MappedText:
    """Fold normalised text for matching, keeping a map back to ``text``."""
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
