"""Ed25519 signatures in minisign's format: what signs a guide release, and what checks it.

minisign (https://jedisct1.github.io/minisign/) is a small, documented format
that maintainers can also use with the `minisign` tool itself. Only what a guide
release needs is here, over `cryptography`'s Ed25519:

- a public key: `Ed` + 8-byte key id + 32-byte key, base64, on the second line
  of a `.pub` file (or alone, as the built-in keys are written);
- a signature file: `ED` + key id + Ed25519(BLAKE2b-512(file)), then a trusted
  comment and a second ("global") signature over the first one and that
  comment, so the comment cannot be changed either. The legacy `Ed` form (the
  file itself signed, not its hash) is accepted too, as minisign does;
- a secret key without a password (`minisign -G -W`, or `keygen` below): a
  signing key for a workflow lives in a protected secret, where a password
  would only sit next to it.

`cryptography` is imported here and nowhere else, and this module only by the
update command and the release script: browsing guides never loads it.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

ALG_ED = b"Ed"  # the key type, and the legacy signature over the whole file
ALG_PREHASHED = b"ED"  # a signature over BLAKE2b-512 of the file (minisign's default)
_KDF_NONE = b"\x00\x00"
_KDF_SCRYPT = b"Sc"
_CHECKSUM_ALG = b"B2"
MAX_LINE = 4096  # a signature file is about 300 bytes; anything far longer is not one


class SignatureError(Exception):
    """A key or signature that cannot be used, or a signature that does not match; plain words."""


@dataclass(frozen=True)
class PublicKey:
    key_id: bytes  # 8 bytes, as stored
    key: bytes  # 32 bytes

    @property
    def id_text(self) -> str:
        """The key id as minisign prints it: hex of the little-endian number, upper case."""
        return self.key_id[::-1].hex().upper()

    def line(self) -> str:
        return base64.b64encode(ALG_ED + self.key_id + self.key).decode()

    def file_text(self) -> str:
        return f"untrusted comment: minisign public key {self.id_text}\n{self.line()}\n"


@dataclass(frozen=True)
class SecretKey:
    key_id: bytes
    seed: bytes  # the 32-byte Ed25519 private key

    def public(self) -> PublicKey:
        raw = Ed25519PrivateKey.from_private_bytes(self.seed).public_key().public_bytes_raw()
        return PublicKey(self.key_id, raw)

    def file_text(self) -> str:
        # minisign's layout: algorithms, KDF salt and limits (unused without a password), then
        # key id, the 64-byte libsodium secret key (seed + public key) and its checksum.
        sk = self.seed + self.public().key
        checksum = hashlib.blake2b(ALG_ED + self.key_id + sk, digest_size=32).digest()
        blob = ALG_ED + _KDF_NONE + _CHECKSUM_ALG + bytes(32) + bytes(16) + self.key_id + sk + checksum
        return f"untrusted comment: minisign secret key {self.public().id_text}\n{base64.b64encode(blob).decode()}\n"


@dataclass(frozen=True)
class Signature:
    algorithm: bytes
    key_id: bytes
    signature: bytes
    trusted_comment: str
    global_signature: bytes


def _b64(text: str, what: str) -> bytes:
    try:
        return base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise SignatureError(f"{what} is not valid base64 text.") from None


def _payload_line(text: str, what: str) -> str:
    """The key's own line: the only line, or the line after `untrusted comment:`."""
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    if len(lines) == 1:
        return lines[0]
    if len(lines) == 2 and lines[0].startswith("untrusted comment:"):
        return lines[1]
    raise SignatureError(f"{what} is not a minisign key: expected an `untrusted comment:` line and one key line.")


def parse_public_key(text: str) -> PublicKey:
    raw = _b64(_payload_line(text, "The public key"), "The public key")
    if len(raw) != 42 or raw[:2] != ALG_ED:
        raise SignatureError("The public key is not a minisign Ed25519 public key (wrong length or type).")
    return PublicKey(raw[2:10], raw[10:])


def parse_secret_key(text: str) -> SecretKey:
    raw = _b64(_payload_line(text, "The secret key"), "The secret key")
    if len(raw) != 158 or raw[:2] != ALG_ED or raw[4:6] != _CHECKSUM_ALG:
        raise SignatureError("The secret key is not a minisign Ed25519 secret key (wrong length or type).")
    kdf = raw[2:4]
    if kdf == _KDF_SCRYPT:
        raise SignatureError(
            "This secret key is protected by a password. Use a key made without one "
            "(`minisign -G -W`, or `python -m walkthrough.update.release keygen`); "
            "the workflow's protected secret is what keeps it safe."
        )
    if kdf != _KDF_NONE:
        raise SignatureError("The secret key uses a key protection this tool does not know.")
    key_id, sk, checksum = raw[54:62], raw[62:126], raw[126:158]
    expected = hashlib.blake2b(ALG_ED + key_id + sk, digest_size=32).digest()
    # minisign leaves the checksum empty on keys made without a password (-W).
    if checksum != expected and checksum != bytes(32):
        raise SignatureError("The secret key is damaged: its checksum does not match.")
    secret = SecretKey(key_id, sk[:32])
    if secret.public().key != sk[32:]:
        raise SignatureError("The secret key is damaged: its two halves do not belong together.")
    return secret


def parse_signature(text: str) -> Signature:
    lines = text.splitlines()
    if len(lines) < 4 or any(len(line) > MAX_LINE for line in lines[:4]):
        raise SignatureError("The signature file is not a minisign signature (it should have four lines).")
    if not lines[0].startswith("untrusted comment:") or not lines[2].startswith("trusted comment: "):
        raise SignatureError("The signature file is not a minisign signature (its comment lines are missing).")
    raw = _b64(lines[1], "The signature")
    if len(raw) != 74 or raw[:2] not in (ALG_ED, ALG_PREHASHED):
        raise SignatureError("The signature file is not a minisign Ed25519 signature (wrong length or type).")
    global_sig = _b64(lines[3], "The signature's second part")
    if len(global_sig) != 64:
        raise SignatureError("The signature file is damaged: its second signature has the wrong length.")
    return Signature(raw[:2], raw[2:10], raw[10:], lines[2].removeprefix("trusted comment: "), global_sig)


def verify(message: bytes, signature_text: str, keys: list[PublicKey]) -> PublicKey:
    """Check that `message` was signed by one of `keys`; return that key, or raise SignatureError."""
    sig = parse_signature(signature_text)
    key = next((k for k in keys if k.key_id == sig.key_id), None)
    if key is None:
        raise SignatureError(
            f"It was signed with a key this optout-tui does not trust (key id {sig.key_id[::-1].hex().upper()})."
        )
    public = Ed25519PublicKey.from_public_bytes(key.key)
    signed = hashlib.blake2b(message, digest_size=64).digest() if sig.algorithm == ALG_PREHASHED else message
    try:
        public.verify(sig.signature, signed)
        public.verify(sig.global_signature, sig.signature + sig.trusted_comment.encode("utf-8"))
    except InvalidSignature:
        raise SignatureError("The signature does not match: the file was changed after it was signed.") from None
    return key


def sign(message: bytes, secret: SecretKey, trusted_comment: str) -> str:
    """A minisign signature file (prehashed, as minisign makes by default) for `message`."""
    if "\n" in trusted_comment or "\r" in trusted_comment:
        raise SignatureError("A trusted comment is one line.")
    private = Ed25519PrivateKey.from_private_bytes(secret.seed)
    signature = private.sign(hashlib.blake2b(message, digest_size=64).digest())
    global_signature = private.sign(signature + trusted_comment.encode("utf-8"))
    return (
        f"untrusted comment: signature from minisign secret key\n"
        f"{base64.b64encode(ALG_PREHASHED + secret.key_id + signature).decode()}\n"
        f"trusted comment: {trusted_comment}\n"
        f"{base64.b64encode(global_signature).decode()}\n"
    )


def generate() -> SecretKey:
    """A new key pair, with a random key id, as `minisign -G` makes."""
    private = Ed25519PrivateKey.generate()
    from cryptography.hazmat.primitives import serialization

    seed = private.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    return SecretKey(os.urandom(8), seed)
