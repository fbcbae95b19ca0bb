"""Per-format readers: original bytes in, raw text (and WARC children) out.

Each reader is a :class:`Reader` subclass registered with :func:`register`
under the file suffixes it handles; :func:`reader_for` finds one by name.
Readers never modify the original and raise :class:`ReadError` with a short,
human reason ("empty file", "truncated PDF: no %%EOF marker", ...) when the
input cannot be taken in.
"""

from __future__ import annotations

import gzip
import io
import re
import zlib
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import ClassVar

_SNIFF = 8192


class ReadError(Exception):
    """The input cannot be read as its format; ``str(exc)`` is the reason."""


@dataclass
class ChildRecord:
    """One HTML response inside a WARC: becomes a document linked to the WARC."""

    data: bytes
    url: str
    offset: int
    media_type: str = "text/html"
    warc_date: str | None = None


@dataclass
class ReadResult:
    """What a reader got out of an original."""

    media_type: str
    raw_text: str = ""
    encoding: str | None = None
    needs_ocr: bool = False
    children: list[ChildRecord] = field(default_factory=list)


class Reader(ABC):
    """One input format."""

    media_type: ClassVar[str]
    suffixes: ClassVar[tuple[str, ...]]

    @abstractmethod
    def read(self, path: Path) -> ReadResult:
        """Read the (already stored) original at ``path``."""

    def read_bytes(self, data: bytes) -> ReadResult:
        """Read an in-memory original (WARC record bodies); default: via a temp buffer."""
        raise ReadError(f"{self.media_type} cannot be read from memory")


_REGISTRY: dict[str, type[Reader]] = {}


def register(cls: type[Reader]) -> type[Reader]:
    """Class decorator: make a reader available for its suffixes."""
    for suffix in cls.suffixes:
        _REGISTRY[suffix.lower()] = cls
    return cls


def supported_suffixes() -> list[str]:
    """Every suffix some reader handles."""
    return sorted(_REGISTRY)


def reader_for(name: str) -> Reader:
    """The reader for a file name (longest matching suffix wins)."""
    lower = name.lower()
    for suffix in sorted(_REGISTRY, key=len, reverse=True):
        if lower.endswith(suffix):
            return _REGISTRY[suffix]()
    ext = Path(name).suffix or "(none)"
    raise ReadError(f"unsupported file type {ext!r} (supported: {', '.join(supported_suffixes())})")


def reader_for_media(media_type: str) -> Reader:
    """The reader for a media type (used for WARC children)."""
    for cls in _REGISTRY.values():
        if cls.media_type == media_type:
            return cls()
    raise ReadError(f"no reader for media type {media_type}")


# --- plain text ---------------------------------------------------------------------------------

_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode bytes of a text file; returns (text, encoding) or raises ReadError.

    UTF-8 is taken when the bytes are valid UTF-8. Otherwise the encoding is
    detected with charset-normalizer, except when the bytes are mostly valid
    UTF-8 with some broken sequences: that is a corrupt UTF-8 file, refused.
    """
    if not data:
        raise ReadError("empty file")
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(enc), enc
            except UnicodeDecodeError as exc:
                raise ReadError(f"invalid {enc} after its byte-order mark at byte {exc.start}") from exc
    if b"\x00" in data[:_SNIFF]:
        raise ReadError("binary data (NUL bytes), not text")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    valid_multibyte = sum(1 for c in data.decode("utf-8", errors="ignore") if ord(c) > 0x7F)
    invalid = len(data.decode("utf-8", errors="replace")) - len(data.decode("utf-8", errors="ignore"))
    if valid_multibyte >= invalid:
        raise ReadError(f"invalid UTF-8 at byte {first_bad} (the file is otherwise UTF-8: corrupt)")
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None or best.chaos > 0.3:
        raise ReadError(f"not valid UTF-8 (byte {first_bad}) and no text encoding could be detected")
    text = str(best)
    controls = sum(1 for c in text if ord(c) < 32 and c not in "\t\n\r\f\v")
    if controls > max(2, len(text) // 100):
        raise ReadError("binary data (control characters), not text")
    return text, best.encoding


@register
class TextReader(Reader):
    """``.txt`` / ``.md``: decode with the detected encoding."""

    media_type = "text/plain"
    suffixes = (".txt", ".text")

    def read(self, path: Path) -> ReadResult:
        return self.read_bytes(path.read_bytes())

    def read_bytes(self, data: bytes) -> ReadResult:
        text, enc = decode_text(data)
        if not text.strip():
            raise ReadError("no text (only whitespace)")
        return ReadResult(media_type=self.media_type, raw_text=text, encoding=enc)


@register
class MarkdownReader(TextReader):
    """``.md`` files are text with their own media type."""

    media_type = "text/markdown"
    suffixes = (".md", ".markdown")

    def read_bytes(self, data: bytes) -> ReadResult:
        res = super().read_bytes(data)
        res.media_type = self.media_type
        return res


# --- HTML ---------------------------------------------------------------------------------------

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_\-]+)""", re.IGNORECASE)


class _TextOnly(HTMLParser):
    """Fallback: visible text of an HTML page, block elements as line breaks."""

    _SKIP: ClassVar[set[str]] = {"script", "style", "noscript", "template", "head"}
    _BLOCK: ClassVar[set[str]] = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section", "article", "title"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._SKIP:
            self.skip += 1
        elif tag in self._BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP and self.skip:
            self.skip -= 1
        elif tag in self._BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


def decode_html(data: bytes) -> tuple[str, str]:
    """Decode HTML bytes: BOM / declared meta charset first, else as text."""
    if not data.strip():
        raise ReadError("empty file")
    m = _META_CHARSET.search(data[:_SNIFF])
    if m and not any(data.startswith(b) for b, _ in _BOMS):
        enc = m.group(1).decode("ascii").lower()
        try:
            return data.decode(enc), enc
        except (LookupError, UnicodeDecodeError):
            pass  # the declaration lies: detect instead
    return decode_text(data)


def html_main_text(html: str) -> str:
    """Main text of a page via trafilatura, falling back to all visible text."""
    import trafilatura

    text: str | None = None
    try:
        text = trafilatura.extract(html, include_comments=False, include_tables=True, favor_recall=True)
    except Exception:  # noqa: BLE001 - trafilatura/lxml choke on some markup; fall back below
        text = None
    if not text or not text.strip():
        parser = _TextOnly()
        parser.feed(html)
        parser.close()
        text = "".join(parser.parts)
    return text


@register
class HtmlReader(Reader):
    """``.html`` / ``.htm``: main text via trafilatura; the raw page stays in the vault."""

    media_type = "text/html"
    suffixes = (".html", ".htm", ".xhtml")

    def read(self, path: Path) -> ReadResult:
        return self.read_bytes(path.read_bytes())

    def read_bytes(self, data: bytes) -> ReadResult:
        html, enc = decode_html(data)
        text = html_main_text(html)
        if not text.strip():
            raise ReadError("HTML page without any text")
        return ReadResult(media_type=self.media_type, raw_text=text, encoding=enc)


# --- PDF ----------------------------------------------------------------------------------------


@register
class PdfReader(Reader):
    """``.pdf`` via pypdf; a PDF without a text layer is kept and flagged ``needs_ocr``."""

    media_type = "application/pdf"
    suffixes = (".pdf",)

    def read(self, path: Path) -> ReadResult:
        with open(path, "rb") as fh:
            head = fh.read(1024)
            if not head:
                raise ReadError("empty file")
            if b"%PDF-" not in head:
                raise ReadError("not a PDF (no %PDF- header)")
            fh.seek(0, io.SEEK_END)
            size = fh.tell()
            fh.seek(max(0, size - 2048))
            if b"%%EOF" not in fh.read():
                raise ReadError("truncated PDF: no %%EOF marker at the end")
        import logging

        from pypdf import PdfReader as _Pdf
        from pypdf.errors import PyPdfError

        logging.getLogger("pypdf").setLevel(logging.ERROR)
        try:
            pdf = _Pdf(str(path), strict=False)
            if pdf.is_encrypted:
                try:
                    pdf.decrypt("")
                except Exception as exc:
                    raise ReadError("encrypted PDF (cannot be opened without a password)") from exc
            pages = [(page.extract_text() or "") for page in pdf.pages]
        except ReadError:
            raise
        except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, zlib.error, RecursionError) as exc:
            raise ReadError(f"unreadable PDF: {exc.__class__.__name__}: {exc}") from exc
        if not pages:
            raise ReadError("PDF without pages")
        text = "\n\f\n".join(pages)
        return ReadResult(media_type=self.media_type, raw_text=text, needs_ocr=not text.strip())


# --- WARC ---------------------------------------------------------------------------------------


def _check_gzip(path: Path) -> None:
    try:
        with gzip.open(path, "rb") as fh:
            while fh.read(1 << 20):
                pass
    except (EOFError, OSError, zlib.error) as exc:
        raise ReadError(f"truncated or corrupt gzip: {exc}") from exc


@register
class WarcReader(Reader):
    """``.warc`` / ``.warc.gz``: each HTML response record becomes a child document."""

    media_type = "application/warc"
    suffixes = (".warc", ".warc.gz")

    def read(self, path: Path) -> ReadResult:
        from warcio.archiveiterator import ArchiveIterator

        with open(path, "rb") as fh:
            head = fh.read(8)
        if not head:
            raise ReadError("empty file")
        gz = head.startswith(b"\x1f\x8b")
        if gz:
            _check_gzip(path)
        elif not head.startswith(b"WARC/"):
            raise ReadError("not a WARC file (no WARC/ header)")
        children: list[ChildRecord] = []
        n_records = 0
        end = 0
        try:
            with open(path, "rb") as fh:
                it = ArchiveIterator(fh)
                for rec in it:
                    n_records += 1
                    body = b""
                    is_html = False
                    if rec.rec_type == "response" and rec.http_headers is not None:
                        ctype = (rec.http_headers.get_header("Content-Type") or "").lower()
                        is_html = "html" in ctype
                        body = rec.content_stream().read()
                    rest = rec.raw_stream.read()
                    del rest
                    if getattr(rec.raw_stream, "limit", 0) > 0:
                        raise ReadError(f"truncated WARC: record {n_records} is shorter than its Content-Length")
                    end = it.get_record_offset() + it.get_record_length()
                    if is_html:
                        children.append(
                            ChildRecord(
                                data=body,
                                url=rec.rec_headers.get_header("WARC-Target-URI") or "",
                                offset=it.get_record_offset(),
                                warc_date=rec.rec_headers.get_header("WARC-Date"),
                            )
                        )
        except ReadError:
            raise
        except Exception as exc:  # warcio raises many kinds on corrupt input
            raise ReadError(f"corrupt WARC: {exc.__class__.__name__}: {exc}") from exc
        if n_records == 0:
            raise ReadError("no WARC records found")
        if not gz:
            with open(path, "rb") as fh:
                fh.seek(end)
                tail = fh.read(4096)
            if tail.strip():
                raise ReadError(f"truncated WARC: incomplete record after byte {end}")
        return ReadResult(media_type=self.media_type, raw_text="", children=children)
