"""``verify`` passes on an untouched home and names exactly what was tampered with."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import select, text

from bayyina.store.models import Checkpoint, CustodyEntry, Document
from bayyina.vault.home import Home
from bayyina.vault.ingest import ingest
from bayyina.vault.keys import checkpoint_message, key_id
from bayyina.vault.verify import verify
from tests.vault.samples import AR_TEXT, EN_TEXT, FR_TEXT, write


@pytest.fixture
def filled(dbhome: Home, tmp_path: Path) -> Home:
    """A home with three ingested documents (6 log entries) and a checkpoint."""
    files = [write(tmp_path / "in" / n, t) for n, t in (("en.txt", EN_TEXT), ("ar.txt", AR_TEXT), ("fr.txt", FR_TEXT))]
    rep = ingest(dbhome, [str(f) for f in files], extract=False)
    assert rep.ok and rep.checkpoint_seq == 6
    assert verify(dbhome).ok
    return dbhome


def problems(h: Home) -> list[str]:
    rep = verify(h)
    assert not rep.ok
    return [str(p) for p in rep.problems]


def blob_of(h: Home, doc_id: int) -> Path:
    with h.session() as s:
        sha = s.get(Document, doc_id).sha256  # type: ignore[union-attr]
    return h.vault.path_for(sha)


def sql(home: Home, stmt: str, **params: object) -> None:
    with home.engine.begin() as conn:
        conn.execute(text(stmt), params)


def test_blobs_are_read_only_and_content_addressed(filled: Home) -> None:
    p = blob_of(filled, 2)
    assert stat.S_IMODE(p.stat().st_mode) & 0o222 == 0
    assert p.read_bytes() == AR_TEXT.encode()
    assert p.parent.parent.name == p.name[:2] and p.parent.name == p.name[2:4]


def test_flipped_byte_in_original(filled: Home) -> None:
    p = blob_of(filled, 2)
    os.chmod(p, 0o644)
    data = bytearray(p.read_bytes())
    data[10] ^= 0x01
    p.write_bytes(bytes(data))
    (msg,) = problems(filled)
    assert msg.startswith("document 2 (ar.txt): original altered")


def test_deleted_original(filled: Home) -> None:
    blob_of(filled, 3).unlink()
    (msg,) = problems(filled)
    assert msg.startswith("document 3 (fr.txt): original missing from the vault")


def test_deleted_log_entry(filled: Home) -> None:
    sql(filled, "DELETE FROM custody_log WHERE seq = 3")
    msgs = problems(filled)
    assert any(m.startswith("log entry #4: sequence gap") for m in msgs)
    assert any(m.startswith("log entry #4: prev_hash") for m in msgs)


def test_deleted_last_log_entries(filled: Home) -> None:
    sql(filled, "DELETE FROM custody_log WHERE seq >= 5")
    msgs = problems(filled)
    assert "checkpoint 1 (entry #6): signed log entry #6 is missing from the log" in msgs
    assert any(m.startswith("document 3 (fr.txt): database row not covered") for m in msgs)


def test_edited_log_entry(filled: Home) -> None:
    with filled.session() as s:
        payload = s.get(CustodyEntry, 2).payload  # type: ignore[union-attr]
    sql(filled, "UPDATE custody_log SET payload = :p WHERE seq = 2", p=payload.replace('"en"', '"fr"'))
    msgs = problems(filled)
    assert msgs == ["log entry #2: entry content does not match its hash (edited)"]


def test_edited_log_actor_with_rehash_breaks_the_chain(filled: Home) -> None:
    from bayyina.vault.custody import compute_hash

    with filled.session() as s:
        e = s.get(CustodyEntry, 1)
        assert e is not None
        e.actor = "someone-else"
        new_hash = compute_hash(e)
        s.rollback()
    sql(filled, "UPDATE custody_log SET actor = 'someone-else', entry_hash = :eh WHERE seq = 1", eh=new_hash)
    assert problems(filled) == ["log entry #2: prev_hash does not match the hash of the entry before it"]


def test_reordered_log_entries(filled: Home) -> None:
    sql(filled, "UPDATE custody_log SET seq = -1 WHERE seq = 3")
    sql(filled, "UPDATE custody_log SET seq = 3 WHERE seq = 4")
    sql(filled, "UPDATE custody_log SET seq = 4 WHERE seq = -1")
    msgs = problems(filled)
    assert any(m.startswith("log entry #3:") for m in msgs)
    assert any(m.startswith("log entry #4:") for m in msgs)


def test_edited_database_row(filled: Home) -> None:
    sql(filled, "UPDATE documents SET original_filename = 'other.txt' WHERE id = 1")
    assert problems(filled) == ["document 1 (other.txt): database row differs from what log entry #2 recorded"]


def test_edited_text_layer(filled: Home) -> None:
    sql(filled, "UPDATE documents SET norm_text = 'nothing happened' WHERE id = 2")
    assert problems(filled) == ["document 2 (ar.txt): database row differs from what log entry #4 recorded"]


def test_row_inserted_outside_bayyina(filled: Home) -> None:
    with filled.session() as s:
        src = s.get(Document, 1)
        assert src is not None
        s.add(Document(dedupe_key="x" * 64, sha256=src.sha256, size=src.size, media_type="text/plain",
                       original_filename="sneaky.txt", labels=[], ingested_at=src.ingested_at,
                       ingested_by="x", needs_ocr=False, raw_text="", norm_text="", status="active"))
        s.commit()
    assert problems(filled) == ["document 4 (sneaky.txt): database row not covered by any custody-log entry"]


def test_forged_checkpoint_head(filled: Home) -> None:
    sql(filled, "UPDATE checkpoints SET head_hash = :head", head="ab" * 32)
    msgs = problems(filled)
    assert "checkpoint 1 (entry #6): signature does not verify" in msgs
    assert "checkpoint 1 (entry #6): log entry #6 differs from the signed head" in msgs


def test_checkpoint_signed_by_another_key(filled: Home) -> None:
    other = Ed25519PrivateKey.generate()
    with filled.session() as s:
        cp = s.scalars(select(Checkpoint)).one()
        kid = key_id(other.public_key())
        sig = other.sign(checkpoint_message(cp.seq, cp.head_hash, cp.ts, kid)).hex()
        s.add(Checkpoint(seq=cp.seq, head_hash=cp.head_hash, ts=cp.ts, key_id=kid, signature=sig))
        s.commit()
    assert problems(filled) == ["checkpoint 2 (entry #6): signed by an unknown key"]


def test_forged_signature_same_key_id(filled: Home) -> None:
    with filled.session() as s:
        cp = s.scalars(select(Checkpoint)).one()
        forged = bytes.fromhex(cp.signature)
        forged = bytes([forged[0] ^ 1]) + forged[1:]
    sql(filled, "UPDATE checkpoints SET signature = :s", s=forged.hex())
    assert problems(filled) == [
        "checkpoint 1 (entry #6): signature does not verify",
        "checkpoints.jsonl line 1: checkpoint of log entry #6 is missing from the database",
    ]


def test_wiped_checkpoints_table(filled: Home) -> None:
    sql(filled, "DELETE FROM checkpoints")
    assert problems(filled) == ["checkpoints.jsonl line 1: checkpoint of log entry #6 is missing from the database"]


def test_checkpoint_copy_outside_the_database(filled: Home) -> None:
    from bayyina.vault.checkpointing import checkpoint_now, mirror_path, read_mirror

    (m,) = read_mirror(mirror_path(filled))
    assert m.seq == 6
    checkpoint_now(filled)  # nothing new: no second line
    assert len(read_mirror(mirror_path(filled))) == 1
    with mirror_path(filled).open("a") as fh:
        fh.write("not json\n")
    assert problems(filled) == ["checkpoints.jsonl line 2: unreadable line"]


# --------------------------------------------------------------------------- sensitivity against the log


def test_sensitivity_changed_in_the_database_is_reported(filled: Home) -> None:
    sql(filled, "UPDATE documents SET sensitivity = 'restricted' WHERE id = 2")
    assert problems(filled) == [("document 2 (ar.txt): sensitivity is 'restricted' but log entry #3 recorded "
                                "'public': changed without `bayyina documents classify`")]


def test_logged_reclassification_passes_and_a_silent_revert_does_not(filled: Home) -> None:
    from bayyina.vault.classify import classify

    with filled.session() as s:
        assert classify(s, 1, "partner", "a witness is named", "tester").entry is not None
        s.commit()
    assert verify(filled).ok
    sql(filled, "UPDATE documents SET sensitivity = 'public' WHERE id = 1")
    assert problems(filled) == [("document 1 (en.txt): sensitivity is 'public' but log entry #7 recorded "
                                "'partner': changed without `bayyina documents classify`")]


def test_level_given_at_ingest_is_the_logged_one(dbhome: Home, tmp_path: Path) -> None:
    f = write(tmp_path / "in" / "secret.txt", EN_TEXT)
    assert ingest(dbhome, [str(f)], extract=False, sensitivity="restricted").ok
    assert verify(dbhome).ok
    sql(dbhome, "UPDATE documents SET sensitivity = 'public' WHERE id = 1")
    assert problems(dbhome) == [("document 1 (secret.txt): sensitivity is 'public' but log entry #1 recorded "
                                "'restricted': changed without `bayyina documents classify`")]
