"""Smaller pieces of issue 5: an outdated database is refused with the upgrade command (and
``init`` upgrades it), the code-to-actor file and the findings register are checked, the Kafr
Zita finding is in the register."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from bayyina.resolve.findings import RegisterError, load_register
from bayyina.resolve.links import LinkError, load_vocab, norm_code, vocab
from bayyina.settings import Settings
from bayyina.store.db import current_revision, make_engine, migrate
from bayyina.vault.home import Home, NotInitialized, _known_revisions
from bayyina.vault.keys import ensure_keys


def test_outdated_database_is_refused_then_upgraded_by_init(cli: Any, database_url: str) -> None:
    settings = Settings.load()
    ensure_keys(settings.keys_dir)
    engine = make_engine(database_url)
    try:
        migrate(engine, "0006_auth")  # a home made before this migration
    finally:
        engine.dispose()
    head = _known_revisions()[0]
    with pytest.raises(NotInitialized) as exc:
        Home.open(settings)
    assert f"run `bayyina init` to upgrade the database (current 0006_auth, needed {head})" in str(exc.value)
    res = cli("incidents", "list")
    assert res.exit_code == 2 and "run `bayyina init` to upgrade the database (current 0006_auth" in res.output
    assert cli("init").exit_code == 0
    Home.open(settings).close()
    assert cli("incidents", "list").exit_code == 0
    engine = make_engine(database_url)
    try:
        assert current_revision(engine) == head
        with engine.begin() as c:
            c.execute(text("UPDATE alembic_version SET version_num = 'zz_future'"))
    finally:
        engine.dispose()
    with pytest.raises(NotInitialized, match="revision zz_future, which this bayyina does not know"):
        Home.open(settings)


def test_code_vocabulary() -> None:
    v = vocab()
    assert v.codes["unknown"] is None and set(v.stances) == {"finding", "allegation", "denial"}
    gov = v.codes[norm_code("syrian_government")]
    assert gov is not None and gov.kind == "organization" and "Syrian regime" in gov.names
    contract = ("syrian-government", "isis", "russia", "syrian-opposition", "unknown")
    assert set(contract) <= set(v.codes)


@pytest.mark.parametrize(("content", "message"), [
    ("not json", "cannot read the code-to-actor file"),
    ('{"stances": ["finding"]}', "expected an object with a 'codes' object"),
    ('{"codes": {"isis": {"kind": "militia", "name_en": "x"}}, "stances": ["finding"]}', "code 'isis' needs a kind"),
    ('{"codes": {}, "stances": []}', "expected a 'stances' list"),
])
def test_code_vocabulary_errors(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "codes.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(LinkError, match=message) as exc:
        load_vocab(path)
    assert str(path) in str(exc.value)


def test_kafr_zita_finding_and_partial_dates(tmp_path: Path) -> None:
    entries = {e["id"]: e for e in load_register()}
    kz = entries["iit-kafr-zita"]
    assert kz["body"] == "opcw-iit" and kz["party"] == "syrian-government" and kz["outcome"] == "use-attributed"
    assert kz["incidents"][0]["start"] == "2016-10-01" and kz["incidents"][0]["agents"] == ["chlorine"]
    assert "NOT VERIFIED" in kz["citation"] and "S/2125/2023" in kz["citation"]
    assert entries["iit-3-douma"]["symbol"] == "S/2125/2023"
    bad = dict(kz, date="2025-13")
    path = tmp_path / "findings.json"
    path.write_text(json.dumps({"findings": [bad]}), encoding="utf-8")
    with pytest.raises(RegisterError, match="bad date '2025-13'"):
        load_register(path)
