"""Case dossiers: an incident built from an Arabic and an English report (plus a restricted witness
statement) rendered to PDF with WeasyPrint and read back: Arabic words in logical order (pypdf), every
included source's SHA-256, the restricted one withheld, page 1 not blank (pdftoppm, when installed);
the HTML version; an actor dossier; the custody entry; refusals."""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from bayyina.share.dossier import map_svg, write_dossier
from bayyina.share.publish import PublishError
from bayyina.store.models import CustodyEntry
from tests.share.publish_helpers import (
    PERSON_AR,
    PERSON_EN,
    REASONS,
    copy_home,
    incident_id,
    sha_of,
    shared_template,
)

HARAKAT = re.compile("[\u064b-\u0652\u0640]")  # short vowels, shadda, sukun, tatweel


def norm(text: str) -> str:
    """Compatibility forms folded (presentation forms → letters), no harakat or tatweel, one space,
    doubled letters collapsed (pypdf repeats a letter of some ligatures, e.g. lam-kaf)."""
    text = HARAKAT.sub("", unicodedata.normalize("NFKC", text))
    text = re.sub(r"\s+", " ", text)
    return re.sub(r"(.)\1+", r"\1", text)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Any:
    base = tmp_path_factory.mktemp("dossier")
    h = copy_home(shared_template(tmp_path_factory), base / "home")
    yield h, base
    h.close()


@pytest.fixture(scope="module")
def pdf(built: Any) -> Any:
    h, base = built
    out = base / "douma.pdf"
    with h.session() as s:
        rep = write_dossier(s, out, h.keys_dir, who="analyst", incident_id=incident_id(h))
        s.commit()
    return rep, out


def test_pdf_arabic_and_hashes(built: Any, pdf: Any) -> None:
    from pypdf import PdfReader

    h, _ = built
    rep, out = pdf
    assert out.read_bytes().startswith(b"%PDF-")
    assert rep.sources == 2 and rep.withheld == 1 and rep.clearance == "partner"
    reader = PdfReader(str(out))
    text = "\n".join(p.extract_text() or "" for p in reader.pages)
    flat = norm(text)
    # Arabic labels, place and agent names, and the quoted Arabic span, in logical order
    # (runs of Arabic words only: pypdf moves digits within a line, and gives a bare lam for the
    # lam-alef-hamza ligature, so "ألقت" reads "لقت")
    for words in ("الملخص", "دوما", "الكلور", "مروحيات", "الجهات المنفذة", "الحكومة السورية",
                  "الدفاع المدني السوري", "براميل محملة بغاز الكلور على مدينة دوما", PERSON_AR,
                  "مسؤول عن الهجوم بغاز الكلور على دوما", "هجوم بمادة الكلور على دوما"):
        assert norm(words) in flat, words
    for words in ("Summary", "Attack with Chlorine on Douma on 2018-04-07, delivered by Helicopter", "S/2125/2023",
                  PERSON_EN, "Chronology"):
        assert words in text, words
    nospace = re.sub(r"\s+", "", text)
    assert sha_of(h, "douma-ar.txt") in nospace and sha_of(h, "douma-en.txt") in nospace
    assert sha_of(h, "douma-witness.txt") not in nospace and "nurse" not in text
    # the appendix: a signed checkpoint, the public key and the commands
    assert "BEGIN PUBLIC KEY" in text and "bayyina verify" in text and "openssl pkeyutl" in text


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) is not installed")
def test_pdf_page_renders(pdf: Any, tmp_path: Path) -> None:
    from PIL import Image

    _, out = pdf
    subprocess.run(["pdftoppm", "-r", "50", "-f", "1", "-l", "1", "-png", str(out), str(tmp_path / "p")],
                   check=True, timeout=60)
    (png,) = tmp_path.glob("p*.png")
    # poppler reads glyphs in visual order: dates inside Arabic lines are laid out left to right
    words = subprocess.run(["pdftotext", "-f", "1", "-l", "1", "-bbox", str(out), "-"], check=True, timeout=60,
                           capture_output=True, text=True).stdout
    assert ">2018-04-07<" in words and "07-04-2018" not in words
    img = Image.open(png).convert("L")
    dark = sum(img.histogram()[:128])
    assert img.getextrema()[0] < 100 and dark > 500, (img.getextrema(), dark)


def test_issuing_is_logged(built: Any, pdf: Any) -> None:
    h, _ = built
    rep, _out = pdf
    with h.session() as s:
        e = s.scalars(select(CustodyEntry).where(CustodyEntry.action == "dossier-issued")
                      .order_by(CustodyEntry.seq)).first()
        assert e is not None and rep.sha256 in e.payload and "partner" in e.payload


def test_html_and_public_clearance(built: Any, tmp_path: Path) -> None:
    h, _ = built
    out = tmp_path / "douma.html"
    with h.session() as s:
        rep = write_dossier(s, out, h.keys_dir, who="analyst", incident_id=incident_id(h), clearance="public",
                            lang="en")
        s.commit()
    html = out.read_text(encoding="utf-8")
    assert rep.sources == 1 and rep.withheld == 2
    assert '<html lang="en" dir="ltr">' in html and "<svg" in html and "<script" not in html
    assert "data:font/ttf;base64," in html  # the font travels with the file
    assert sha_of(h, "douma-ar.txt") in html and sha_of(h, "douma-en.txt") not in html


def test_actor_dossier(built: Any, tmp_path: Path) -> None:
    h, _ = built
    out = tmp_path / "person.html"
    with h.session() as s:
        rep = write_dossier(s, out, h.keys_dir, who="analyst", actor_ref=PERSON_EN, lang="both")
        s.commit()
    html = out.read_text(encoding="utf-8")
    assert '<html lang="ar" dir="rtl">' in html
    assert PERSON_AR in html and "Jamil al-Hassan" in html and REASONS["fr"].replace("'", "&#39;") in html
    assert rep.sources == 2 and sha_of(h, "douma-en.txt") in html
    assert "CW (CFSP) 2018/1544" in html and "designated" in html


def test_refusals(built: Any, tmp_path: Path) -> None:
    h, _ = built
    with h.session() as s:
        for kwargs, msg in [
            ({"incident_id": 999}, "unknown incident 999"),
            ({}, "exactly one of --incident"),
            ({"incident_id": 1, "actor_ref": "x"}, "exactly one of --incident"),
            ({"incident_id": 1, "target": tmp_path / "x.docx"}, "must end in .pdf or .html"),
            ({"incident_id": 1, "lang": "de"}, "--lang"),
        ]:
            target = kwargs.pop("target", tmp_path / "x.html")
            with pytest.raises(PublishError, match=re.escape(msg)):
                write_dossier(s, target, h.keys_dir, who="analyst", **kwargs)
        s.rollback()


def test_map_without_outline_uses_a_grid(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from bayyina.share import dossier

    monkeypatch.setattr(dossier, "OUTLINE", tmp_path / "absent.geojson")
    svg = map_svg([{"lat": 33.57, "lon": 36.40, "label": "Douma", "id": 1}])
    assert svg.startswith("<svg") and "<polygon" not in svg and "36°E" in svg and "Douma" in svg


def test_cli_signs_the_log_first(built: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from bayyina.cli.main import app

    h, _ = built
    monkeypatch.setenv("BAYYINA_HOME", str(h.settings.home))
    monkeypatch.setenv("BAYYINA_DATABASE_URL", h.settings.database_url)
    out = tmp_path / "cli.html"
    res = CliRunner().invoke(app, ["dossier", "--incident", str(incident_id(h)), str(out), "--lang", "ar"],
                             catch_exceptions=False)
    assert res.exit_code == 0, res.output
    assert "2 source(s), 1 withheld above partner" in res.output
    html = out.read_text(encoding="utf-8")
    assert "Checkpoint at log entry" in html and "signed before the latest entry" not in html
    res = CliRunner().invoke(app, ["dossier", "--actor", "Nobody Known", str(out)], catch_exceptions=False)
    assert res.exit_code == 1 and "error:" in res.output
