"""Releases of the public names list through the CLI: only published designations, three languages of
reasons, public sources only, valid FtM, signed manifest checked (and tampering caught), diff between
releases, custody log; the release flow on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from followthemoney import model
from sqlalchemy import create_engine, text

from bayyina.store.db import normalize_url
from bayyina.vault.home import Home
from tests.share.publish_helpers import (
    PERSON_AR,
    PERSON_EN,
    REASONS,
    UNIT_EN,
    build,
    copy_home,
    sha_of,
    shared_template,
)


@pytest.fixture(scope="module")
def _template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return shared_template(tmp_path_factory)


@pytest.fixture
def h(_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    home = copy_home(_template, tmp_path / "home")
    monkeypatch.setenv("BAYYINA_HOME", str(home.settings.home))
    monkeypatch.setenv("BAYYINA_DATABASE_URL", home.settings.database_url)
    monkeypatch.setenv("BAYYINA_USER", "analyst")
    yield home
    home.close()


def ok(res: Any) -> Any:
    assert res.exit_code == 0, res.output
    return res


def bayyina(h: Home, *args: str) -> Any:
    from typer.testing import CliRunner

    from bayyina.cli.main import app

    return CliRunner().invoke(app, [str(a) for a in args], catch_exceptions=False, env={"COLUMNS": "250"})


def validate_ftm(textdata: str) -> list[dict[str, Any]]:
    ents = [json.loads(line) for line in textdata.splitlines() if line.strip()]
    ids = {e["id"] for e in ents}
    for data in ents:
        schema = model.get(data["schema"])
        assert schema is not None, data
        assert schema.validate(data) is None
        for req in schema.required:
            assert data["properties"].get(req), (data["id"], req)
        assert model.get_proxy(data).to_dict() == data, data
        proxy = model.get_proxy(data)
        for prop, _value in proxy.itervalues():
            if prop.type.name == "entity":
                assert all(v in ids for v in proxy.get(prop))
    return ents


def release_flow(h: Home, out: Path) -> None:
    """release → list → verify (stored and on disk) → tamper → second release → diff → custody verify."""
    res = ok(bayyina(h, "publish", "release", "--notes", "first release", "--out", out / "v1"))
    assert "release 1: 1 entities, 1 designations, 1 incidents" in res.output
    assert "first release" in ok(bayyina(h, "publish", "list")).output
    ok(bayyina(h, "publish", "verify", "1"))
    res = ok(bayyina(h, "publish", "verify", out / "v1"))
    assert "signature valid" in res.output and "names.json" in res.output

    names = json.loads((out / "v1" / "names.json").read_text(encoding="utf-8"))
    # only the published designation, with its person (names in both scripts, alias) and reasons in 3 languages
    assert [e["name_en"] for e in names["entities"]] == [PERSON_EN]
    assert names["entities"][0]["name_ar"] == PERSON_AR
    assert names["entities"][0]["aliases"] == ["Jamil al-Hassan"]
    (d,) = names["designations"]
    assert d["reasons"] == REASONS
    assert d["authority"]["code"] == "EU" and [m["id"] for m in d["measures"]] == ["asset_freeze", "travel_ban"]
    (inc,) = names["incidents"]
    assert inc["place"]["name"] == "Douma" and "chlorine" in inc["agents"]
    assert {f["symbol"] for f in inc["findings"]} >= {"S/2125/2023"}
    # public sources only: the Arabic report is there, the partner and restricted ones are not
    released = "".join((out / "v1" / n).read_text(encoding="utf-8") for n in ("names.json", "names.csv",
                                                                             "names.ftm.json"))
    assert sha_of(h, "douma-ar.txt") in released
    assert sha_of(h, "douma-en.txt") not in released and sha_of(h, "douma-witness.txt") not in released
    assert "nurse" not in released and "Reuters" not in released
    assert inc["sources_withheld"] == 2
    assert "الدفاع المدني السوري" in inc["sources"][0]["quotes"][0]["text"]

    rows = list(csv.DictReader(io.StringIO((out / "v1" / "names.csv").read_text(encoding="utf-8"))))
    assert len(rows) == 1 and rows[0]["name_ar"] == PERSON_AR and rows[0]["reasons_fr"] == REASONS["fr"]
    ents = validate_ftm((out / "v1" / "names.ftm.json").read_text(encoding="utf-8"))
    assert sorted(e["schema"] for e in ents) == ["Person", "Sanction"]
    sanction = next(e for e in ents if e["schema"] == "Sanction")
    assert set(sanction["properties"]["reason"]) == set(REASONS.values())

    # the FR designation of the unit is published, the EU reasons amended: release 2 and the diff
    ok(bayyina(h, "sanctions", "amend", "1", "--reasons-en", "Amended: responsible for the Douma attack.",
               "--why", "new evidence"))
    for state in ("in_review", "approved", "published"):
        ok(bayyina(h, "sanctions", "review", "2", state))
    ok(bayyina(h, "publish", "release", "--notes", "second"))
    res = ok(bayyina(h, "publish", "diff", "1", "2"))
    assert "added     bayyina-designation-2 FR" in res.output
    assert "added     bayyina-actor-" in res.output and UNIT_EN in res.output
    assert "amended   designation bayyina-designation-1: events, reasons" in res.output
    diff = json.loads(ok(bayyina(h, "publish", "diff", "v1", "v2", "--format", "json")).stdout)
    assert [e["name_en"] for e in diff["added"]["entities"]] == [UNIT_EN]
    assert diff["removed"] == {"entities": [], "designations": [], "incidents": []}
    (amended,) = diff["amended"]["designations"]
    assert amended["changes"]["reasons"][1]["en"].startswith("Amended")
    m1 = json.loads((out / "v1" / "manifest.json").read_text(encoding="utf-8"))
    ok(bayyina(h, "publish", "release", "--out", out / "v3"))
    m3 = json.loads((out / "v3" / "manifest.json").read_text(encoding="utf-8"))
    assert m3["version"] == 3 and m3["previous"]["version"] == 2 and m1["previous"] is None
    assert "no change" in ok(bayyina(h, "publish", "diff", "2", "3")).output

    # the releases are in the custody log and `verify` covers their rows
    res = ok(bayyina(h, "verify"))
    assert "verify OK" in res.output
    eng = create_engine(normalize_url(h.settings.database_url))
    with eng.begin() as c:
        n = c.execute(text("select count(*) from custody_log where action = 'publish-release'")).scalar()
        assert n == 3
        c.execute(text("update publish_releases set notes = 'edited behind our back' where version = 1"))
    eng.dispose()
    res = bayyina(h, "verify")
    assert res.exit_code == 1 and "publish release 1: database row differs" in res.output


@pytest.mark.postgres
def test_release_flow_postgres(database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("the SQLite run is test_release_flow_sqlite (built from a copied home)")
    home = build(tmp_path / "pg-home", database_url)
    monkeypatch.setenv("BAYYINA_HOME", str(home.settings.home))
    monkeypatch.setenv("BAYYINA_USER", "analyst")
    try:
        release_flow(home, tmp_path / "out")
    finally:
        home.close()


def test_release_flow_sqlite(h: Home, tmp_path: Path) -> None:
    release_flow(h, tmp_path / "out")


def test_tampered_release_directory_fails(h: Home, tmp_path: Path) -> None:
    from bayyina.vault.keys import ensure_keys

    out = tmp_path / "v1"
    ok(bayyina(h, "publish", "release", "--out", out))
    ok(bayyina(h, "publish", "verify", out))
    # another key: refused, naming both keys
    ensure_keys(tmp_path / "other")
    res = bayyina(h, "publish", "verify", out, "--key", tmp_path / "other" / "custody_ed25519.pub.pem")
    assert res.exit_code == 1 and "signed by key" in res.output and "signature does not verify" in res.output
    # a changed byte in a content file
    csv_path = out / "names.csv"
    csv_path.write_bytes(csv_path.read_bytes().replace(b"EU", b"UK", 1))
    res = bayyina(h, "publish", "verify", out)
    assert res.exit_code == 1 and "names.csv: SHA-256" in res.output
    # a manifest rewritten to match the changed file: the signature no longer holds
    import hashlib

    m = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    m["files"]["names.csv"]["sha256"] = hashlib.sha256(csv_path.read_bytes()).hexdigest()
    from bayyina.vault.canonical import canonical_json

    (out / "manifest.json").write_text(canonical_json(m), encoding="utf-8")
    res = bayyina(h, "publish", "verify", out)
    assert res.exit_code == 1 and "manifest.sig: the signature does not verify" in res.output
    assert "names.csv: SHA-256" not in res.output
    # a missing file
    (out / "names.json").unlink()
    res = bayyina(h, "publish", "verify", out)
    assert res.exit_code == 1 and "names.json: missing" in res.output


def test_refusals(h: Home, tmp_path: Path) -> None:
    res = bayyina(h, "publish", "diff", "1", "2")
    assert res.exit_code == 1 and "error: no release 1 (latest: none)" in res.output
    res = bayyina(h, "publish", "site", tmp_path / "site")
    assert res.exit_code == 1 and "no release yet" in res.output
    ok(bayyina(h, "publish", "release"))
    for args, msg in [
        (("publish", "verify", "latest"), "is not a release version"),
        (("publish", "verify", str(tmp_path / "nothing-here")), "is not a release version"),
        (("publish", "diff", "1", "7"), "no release 7 (latest: 1)"),
        (("publish", "diff", "1", "1", "--format", "xml"), "--format"),
        (("publish", "translate", "99", "--reasons", "x"), "unknown designation #99"),
        (("publish", "translate", "1", "--reasons", "x", "--lang", "de"), "no 'de' translation"),
        (("publish", "translate", "1", "--reasons", "  "), "the translation is empty"),
    ]:
        res = bayyina(h, *args)
        assert res.exit_code == 1, (args, res.output)
        assert msg in res.output, (args, res.output)
    not_release = tmp_path / "empty-dir"
    not_release.mkdir()
    res = bayyina(h, "publish", "verify", not_release)
    assert res.exit_code == 1 and "not a release directory" in res.output
    # a stored release edited in the database is neither verified nor rendered
    eng = create_engine(normalize_url(h.settings.database_url))
    with eng.begin() as c:
        c.execute(text("""update publish_releases set manifest = replace(manifest, '"notes":""', '"notes":"x"')"""))
    eng.dispose()
    res = bayyina(h, "publish", "verify", "1")
    assert res.exit_code == 1 and "release 1/manifest.sig: the signature does not verify" in res.output
    res = bayyina(h, "publish", "site", tmp_path / "site")
    assert res.exit_code == 1 and "release 1 does not verify" in res.output
    with eng.begin() as c:
        c.execute(text("""update publish_releases set files = '{"names.json": "{not json"}'"""))
    eng.dispose()
    res = bayyina(h, "publish", "diff", "1", "1")
    assert res.exit_code == 1 and "release 1: its stored names.json is not JSON" in res.output


def test_only_published_and_translation_history(h: Home) -> None:
    from bayyina.sanctions.designations import get_designation, set_review
    from bayyina.share.publish import create_release, names_of, set_translation

    with h.session() as s:
        d1 = get_designation(s, 1)
        set_translation(s, d1, lang="fr", text="Motifs révisés.", who="analyst")
        rel = create_release(s, h.keys_dir, who="analyst")
        assert names_of(rel)["designations"][0]["reasons"]["fr"] == "Motifs révisés."
        set_review(s, d1, "in_review", who="analyst", why="retracted for checks")
        rel2 = create_release(s, h.keys_dir, who="analyst")
        data = names_of(rel2)
        assert data["entities"] == [] and data["designations"] == [] and data["incidents"] == []
        s.commit()


def test_merged_incident_is_followed(h: Home, tmp_path: Path) -> None:
    """A designation naming an incident later merged into another is released under the surviving one."""
    from bayyina.resolve.incidents import merge, resolve
    from bayyina.sanctions.designations import amend, get_designation
    from bayyina.share.dossier import write_dossier
    from bayyina.share.publish import PublishError, create_release, names_of
    from bayyina.store.models_resolve import Incident
    from bayyina.vault.ingest import ingest
    from tests.share.publish_helpers import incident_id

    report = tmp_path / "douma-later.txt"
    report.write_text("Residents of Douma said a second chlorine attack hit the town on 22 April 2018, "
                      "injuring 6 people.\n", encoding="utf-8")
    assert ingest(h, [str(report)], source_url="https://outlet-c.example/later").ok
    first = incident_id(h)
    with h.session() as s:
        resolve(s, "analyst")
        later = max(i.id for i in s.query(Incident).filter(Incident.active.is_(True)))
        assert later != first
        amend(s, get_designation(s, 1), who="analyst", incident_ids=[later], why="test")
        merge(s, first, later, "analyst", "same attack after all (test)")
        assert not s.get(Incident, later).active
        data = names_of(create_release(s, h.keys_dir, who="analyst"))
        assert data["designations"][0]["incident_ids"] == [first]
        assert [i["id"] for i in data["incidents"]] == [first]
        with pytest.raises(PublishError, match=f"incident {later} was retired \\(merged into incident {first}"):
            write_dossier(s, tmp_path / "x.html", h.keys_dir, who="analyst", incident_id=later)
        s.commit()
