"""Sample originals written by the tests: texts, HTML pages, PDFs and WARCs built in code."""

from __future__ import annotations

import io
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from bayyina.settings import Settings
from bayyina.vault.home import Home, init_home

EN_TEXT = (
    "On 4 April 2017 the town of Khan Shaykhun in Idlib province was struck in an early-morning air raid.\n"
    "Witnesses said that the victims showed symptoms of exposure to a nerve agent, and doctors at the\n"
    "field hospital reported that at least 70 people were killed and hundreds were injured.\n"
)
AR_TEXT = (
    "أفاد ناشطون بأن مروحيات ألقت براميل تحتوي على غاز الكلور على بلدة سراقب في ريف إدلب، "
    "وأصيب عشرات المدنيين بحالات اختناق وفق ما ذكره الدفاع المدني في بيان له بعد الهجوم.\n"
)
FR_TEXT = (
    "Selon les témoins, l'attaque a été menée à l'aube près de l'hôpital de la ville. "
    "Les secours ont évacué les blessés vers les centres de soins de la région.\n"
)
HTML_PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>Report</title>
<script>var tracking = "SCRIPT-NOISE";</script><style>p {color: red}</style></head>
<body><nav>Home | About | Contact</nav><article><h1>Chlorine attack reported in Saraqib</h1>
<p>Rescue workers said that helicopters dropped barrels containing chlorine gas on the town of
Saraqib on 4 February 2018, and that eleven people were treated for breathing difficulties.</p>
<p>The medical staff at the local hospital described the smell of chlorine in the streets after the strike.</p>
</article><footer>Copyright</footer></body></html>"""


def _pdf_escape(s: str) -> bytes:
    return s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)").encode("latin-1")


def make_pdf(lines: list[str] | None) -> bytes:
    """A one-page PDF; with ``lines`` it has a text layer (Helvetica), without it only a drawn box."""
    if lines:
        ops = [b"BT /F1 12 Tf 72 720 Td 14 TL"]
        for ln in lines:
            ops.append(b"(" + _pdf_escape(ln) + b") '")
        ops.append(b"ET")
        content = b"\n".join(ops)
    else:
        content = b"0.2 0.2 0.2 rg 72 400 300 200 re f"
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        (
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> >>"
        ),
        b"<< /Length " + str(len(content)).encode() + b" >>\nstream\n" + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objs) + 1}\n".encode() + b"0000000000 65535 f \n"
    for off in offsets:
        out += f"{off:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def make_warc(pages: list[tuple[str, str]], gz: bool = True, extra_non_html: bool = True) -> bytes:
    """A WARC with one HTML response record per (url, html) and optionally an image record."""
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=gz)
    for url, html in pages:
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        rec = writer.create_warc_record(url, "response", payload=io.BytesIO(html.encode()), http_headers=headers)
        writer.write_record(rec)
    if extra_non_html:
        headers = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1")
        rec = writer.create_warc_record(
            "https://example.org/logo.png", "response", payload=io.BytesIO(b"\x89PNG\r\n\x1a\n" + b"\0" * 64),
            http_headers=headers,
        )
        writer.write_record(rec)
    return buf.getvalue()


def page(title: str, body: str) -> str:
    """A small HTML page."""
    return f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1><p>{body}</p></article></body></html>"


def write(path: Path, data: bytes | str) -> Path:
    """Write a sample file (creating folders) and return its path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return path


def open_home() -> Home:
    """Initialise the home the ``home`` / ``database_url`` fixtures set in the environment, and open it."""
    settings = Settings.load()
    init_home(settings)
    return Home.open(settings)
