"""The custody key pair and signed checkpoints over the log head.

``init`` makes an Ed25519 key pair in ``HOME/keys/`` (private key PEM with
mode 0600, public key PEM beside it); it is never overwritten. A checkpoint
signs the canonical JSON ``{"type": "bayyina-checkpoint/1", "seq", "head_hash",
"ts", "key_id"}`` where ``key_id`` is the SHA-256 of the raw public key.
``read_public_file`` / ``parse_public_pem`` are the one reader of an Ed25519
public key PEM (the custody key here, partner keys in the trust store, a key
given to ``publish verify``).
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from sqlalchemy import select
from sqlalchemy.orm import Session

from bayyina.store.models import Checkpoint
from bayyina.vault import custody
from bayyina.vault.canonical import canonical_json, iso_utc, now_utc

PRIVATE_NAME = "custody_ed25519.pem"
PUBLIC_NAME = "custody_ed25519.pub.pem"
MAX_PUBLIC_FILE = 64 * 1024  # a PEM public key is a few hundred bytes


class KeysError(Exception):
    """The key pair is missing or unreadable."""


def ensure_keys(keys_dir: Path) -> bool:
    """Create the key pair if absent; True when a new pair was made."""
    keys_dir.mkdir(parents=True, exist_ok=True)
    priv_path = keys_dir / PRIVATE_NAME
    if priv_path.exists():
        return False
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    fd = os.open(priv_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(pem)
        fh.flush()
        os.fsync(fh.fileno())
    pub = key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    (keys_dir / PUBLIC_NAME).write_bytes(pub)
    return True


def load_private(keys_dir: Path) -> Ed25519PrivateKey:
    """The signing key."""
    path = keys_dir / PRIVATE_NAME
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (OSError, ValueError) as exc:
        raise KeysError(f"{path}: cannot load the custody private key ({exc})") from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise KeysError(f"{path}: not an Ed25519 key")
    return key


def load_public(keys_dir: Path) -> Ed25519PublicKey:
    """The verification key."""
    return read_public_file(keys_dir / PUBLIC_NAME)


def read_public_file(path: Path) -> Ed25519PublicKey:
    """The Ed25519 public key in the PEM file ``path``; ``KeysError`` naming the file when it is larger than
    ``MAX_PUBLIC_FILE``, unreadable, or not such a key."""
    try:
        if path.stat().st_size > MAX_PUBLIC_FILE:
            raise KeysError(f"{path}: too large to be a public key file")
        data = path.read_bytes()
    except OSError as exc:
        raise KeysError(f"{path}: cannot read ({exc.strerror or exc})") from exc
    return parse_public_pem(data, str(path))


def parse_public_pem(data: bytes, where: str) -> Ed25519PublicKey:
    """The Ed25519 public key in PEM bytes; ``KeysError`` naming ``where`` when they are not one."""
    try:
        key = serialization.load_pem_public_key(data)
    except (ValueError, TypeError) as exc:
        raise KeysError(f"{where}: not a PEM public key ({exc})") from exc
    if not isinstance(key, Ed25519PublicKey):
        raise KeysError(f"{where}: not an Ed25519 public key")
    return key


def key_id(pub: Ed25519PublicKey) -> str:
    """SHA-256 hex of the raw 32-byte public key."""
    raw = pub.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()


def export_public(keys_dir: Path, out: Path) -> str:
    """Write the public key PEM to ``out``; returns its key id."""
    pub = load_public(keys_dir)
    out.write_bytes((keys_dir / PUBLIC_NAME).read_bytes())
    return key_id(pub)


def checkpoint_message(seq: int, head_hash: str, ts: str, kid: str) -> bytes:
    """The exact bytes a checkpoint signature covers."""
    return canonical_json(
        {"type": "bayyina-checkpoint/1", "seq": seq, "head_hash": head_hash, "ts": ts, "key_id": kid}
    ).encode("utf-8")


def make_checkpoint(session: Session, keys_dir: Path) -> Checkpoint | None:
    """Sign the current log head (None when the log is empty or already checkpointed)."""
    last = custody.head(session)
    if last is None:
        return None
    latest = session.scalars(select(Checkpoint).order_by(Checkpoint.id.desc()).limit(1)).first()
    if latest is not None and latest.seq == last.seq and latest.head_hash == last.entry_hash:
        return latest
    priv = load_private(keys_dir)
    kid = key_id(priv.public_key())
    ts = iso_utc(now_utc())
    sig = priv.sign(checkpoint_message(last.seq, last.entry_hash, ts, kid)).hex()
    cp = Checkpoint(seq=last.seq, head_hash=last.entry_hash, ts=ts, key_id=kid, signature=sig)
    session.add(cp)
    session.flush()
    return cp


def check_signature(cp: Checkpoint, pub: Ed25519PublicKey) -> str | None:
    """None when the checkpoint's signature holds, else the reason it does not."""
    if cp.key_id != key_id(pub):
        return "signed by an unknown key"
    try:
        pub.verify(bytes.fromhex(cp.signature), checkpoint_message(cp.seq, cp.head_hash, cp.ts, cp.key_id))
    except (InvalidSignature, ValueError):
        return "signature does not verify"
    return None
