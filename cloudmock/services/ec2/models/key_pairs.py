"""Key pairs: real key material (RSA 2048, ED25519), PEM and PuTTY formats, AWS's fingerprints."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re
import struct
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from cloudmock.core.errors import InvalidParameterValue, ServiceError
from cloudmock.core.state import unrepeatable
from cloudmock.services.ec2.models.base import Resource, ResourceKind, Store

if TYPE_CHECKING:
    from cloudmock.services.ec2.models.backend import Ec2Backend
    from cloudmock.services.ec2.models.instances import LaunchSpec
    from cloudmock.services.ec2.shapes import KeyPairInfo


class _KeyPairKind(ResourceKind):
    """Key pairs are named in messages by name or by id, each its own wording."""

    def not_found(self, ids: Iterable[str]) -> ServiceError:
        ids = list(ids)
        return ServiceError(
            f"The key pair ID '{', '.join(ids)}' does not exist", code="InvalidKeyPair.NotFound"
        )


KEY_PAIR = _KeyPairKind("key", "key-pair", "InvalidKeyPair", "key pair ID")

#: RSA moduli ImportKeyPair takes (EC2 refuses DSA, ECDSA and other lengths)
RSA_IMPORT_SIZES = (1024, 2048, 3072, 4096)
MAX_NAME = 255


def key_not_found(name: str) -> ServiceError:
    return ServiceError(f"The key pair '{name}' does not exist", code="InvalidKeyPair.NotFound")


def _bad_format() -> ServiceError:
    return ServiceError("Key is not in valid OpenSSH public key format", code="InvalidKey.Format")


@dataclass
class KeyPair(Resource):
    name: str
    key_type: str
    fingerprint: str
    public_key: str
    create_time: datetime

    def describe(self, include_public_key: bool = False) -> KeyPairInfo:
        out: KeyPairInfo = {
            "KeyPairId": self.id,
            "KeyType": self.key_type,
            "KeyName": self.name,
            "KeyFingerprint": self.fingerprint,
            "CreateTime": self.create_time,
            "Tags": self.tag_list(),
        }
        if include_public_key:
            out["PublicKey"] = self.public_key
        return out


# -- key material (cryptography is imported when a key is made, never at import time)


def _ssh_string(data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + data


def _mpint(value: int) -> bytes:
    raw = value.to_bytes((value.bit_length() + 8) // 8, "big") if value else b""
    return _ssh_string(raw)


def _colon_hex(digest: bytes) -> str:
    return ":".join(f"{b:02x}" for b in digest)


def _sha256_b64(blob: bytes) -> str:
    return base64.b64encode(hashlib.sha256(blob).digest()).decode()


def _openssh_blob(line: str) -> bytes:
    return base64.b64decode(line.split()[1])


def _ppk(algorithm: str, comment: str, public_blob: bytes, private_blob: bytes) -> str:
    """A PuTTY-User-Key-File-2 (unencrypted), as EC2's KeyFormat ppk gives."""
    mac_key = hashlib.sha1(b"putty-private-key-file-mac-key").digest()
    signed = b"".join(
        _ssh_string(part)
        for part in (algorithm.encode(), b"none", comment.encode(), public_blob, private_blob)
    )
    mac = hmac.new(mac_key, signed, hashlib.sha1).hexdigest()

    def lines(blob: bytes) -> list[str]:
        text = base64.b64encode(blob).decode()
        return [text[i : i + 64] for i in range(0, len(text), 64)]

    public, private = lines(public_blob), lines(private_blob)
    return "\n".join(
        [
            f"PuTTY-User-Key-File-2: {algorithm}",
            "Encryption: none",
            f"Comment: {comment}",
            f"Public-Lines: {len(public)}",
            *public,
            f"Private-Lines: {len(private)}",
            *private,
            f"Private-MAC: {mac}",
        ]
    )


@dataclass(frozen=True)
class NewKey:
    material: str
    fingerprint: str
    public_key: str


def generate(key_type: str, key_format: str, name: str) -> NewKey:
    """A new key pair's private material, fingerprint and OpenSSH public key."""
    unrepeatable()  # the OS's randomness, not the backend's stream: saved, not replayed
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ed25519, rsa

    ssh = serialization.Encoding.OpenSSH
    if key_type == "ed25519":
        ed_key = ed25519.Ed25519PrivateKey.generate()
        public = ed_key.public_key().public_bytes(ssh, serialization.PublicFormat.OpenSSH).decode()
        blob = _openssh_blob(public)
        if key_format == "ppk":
            seed = ed_key.private_bytes(
                serialization.Encoding.Raw,
                serialization.PrivateFormat.Raw,
                serialization.NoEncryption(),
            )
            material = _ppk("ssh-ed25519", name, blob, _ssh_string(seed))
        else:
            material = ed_key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.OpenSSH,
                serialization.NoEncryption(),
            ).decode()
        return NewKey(material.rstrip("\n"), _sha256_b64(blob), f"{public} {name}")
    rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public = rsa_key.public_key().public_bytes(ssh, serialization.PublicFormat.OpenSSH).decode()
    pkcs8 = rsa_key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    if key_format == "ppk":
        numbers = rsa_key.private_numbers()
        private_blob = (
            _mpint(numbers.d) + _mpint(numbers.p) + _mpint(numbers.q) + _mpint(numbers.iqmp)
        )
        material = _ppk("ssh-rsa", name, _openssh_blob(public), private_blob)
    else:
        material = rsa_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        ).decode()
    return NewKey(
        material.rstrip("\n"), _colon_hex(hashlib.sha1(pkcs8).digest()), f"{public} {name}"
    )


_RFC4716 = re.compile(
    r"----\s*BEGIN SSH2 PUBLIC KEY\s*----(.*?)----\s*END SSH2 PUBLIC KEY\s*----", re.S
)


def _rfc4716_body(text: str) -> bytes:
    match = _RFC4716.search(text)
    if match is None:
        raise _bad_format()
    body: list[str] = []
    lines = iter(match.group(1).strip().splitlines())
    for line in lines:
        line = line.strip()
        if ":" in line:  # a header; a trailing backslash continues it on the next line
            while line.endswith("\\"):
                line = next(lines, "").strip()
            continue
        body.append(line)
    try:
        return base64.b64decode("".join(body), validate=True)
    except (binascii.Error, ValueError):
        raise _bad_format() from None


def parse_public_key(material: bytes) -> tuple[str, str, str]:
    """ImportKeyPair's material -> (key type, fingerprint, OpenSSH public key line)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ed25519, rsa

    try:
        text = material.decode("ascii").strip()
    except UnicodeDecodeError:
        raise _bad_format() from None
    try:
        if text.startswith("-----BEGIN"):
            key = serialization.load_pem_public_key(text.encode())
        elif text.startswith("----"):
            blob = _rfc4716_body(text)
            (size,) = struct.unpack(">I", blob[:4])
            key = serialization.load_ssh_public_key(
                blob[4 : 4 + size] + b" " + base64.b64encode(blob)
            )
        else:
            key = serialization.load_ssh_public_key(" ".join(text.split()[:2]).encode())
    except (ValueError, TypeError, IndexError, binascii.Error):
        raise _bad_format() from None
    except Exception as error:  # cryptography's UnsupportedAlgorithm
        if type(error).__name__ == "UnsupportedAlgorithm":
            raise _bad_format() from None
        raise
    ssh = serialization.Encoding.OpenSSH
    if isinstance(key, ed25519.Ed25519PublicKey):
        public = key.public_bytes(ssh, serialization.PublicFormat.OpenSSH).decode()
        return "ed25519", _sha256_b64(_openssh_blob(public)), public
    if isinstance(key, rsa.RSAPublicKey):
        if key.key_size not in RSA_IMPORT_SIZES:
            raise _bad_format()
        public = key.public_bytes(ssh, serialization.PublicFormat.OpenSSH).decode()
        der = key.public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        return "rsa", _colon_hex(hashlib.md5(der).digest()), public
    raise _bad_format()  # DSA, ECDSA: EC2 takes neither


class KeyPairs:
    """The key pairs of one region."""

    def __init__(self, backend: Ec2Backend) -> None:
        self.backend = backend
        self.store: Store[KeyPair] = backend.new_store(KEY_PAIR)
        self.store.add_index("name", lambda k: k.name)
        self.store.add_index("fingerprint", lambda k: k.fingerprint)
        backend.instances.launch_checks.append(self._launch_check)

    def by_name(self, name: str) -> KeyPair | None:
        found = self.store.lookup("name", name)
        return found[0] if found else None

    def check_new(self, name: str) -> None:
        if not name:
            raise InvalidParameterValue("The key pair name must not be empty.")
        if len(name) > MAX_NAME or not name.isascii():
            raise InvalidParameterValue(
                f"Invalid value '{name}' for keyName. It must be at most {MAX_NAME} ASCII "
                "characters."
            )
        if self.by_name(name) is not None:
            raise ServiceError(
                f"The keypair '{name}' already exists.", code="InvalidKeyPair.Duplicate"
            )

    def add(
        self, name: str, key_type: str, fingerprint: str, public_key: str, tags: dict[str, str]
    ) -> KeyPair:
        key = KeyPair(
            self.backend.ids.new("key"),
            name=name,
            key_type=key_type,
            fingerprint=fingerprint,
            public_key=public_key,
            create_time=self.backend.clock.now(),
            tags=tags,
        )
        return self.store.add(key)

    def by_names(self, names: Iterable[str]) -> list[KeyPair]:
        names = list(dict.fromkeys(names))
        missing = [n for n in names if self.by_name(n) is None]
        if missing:
            raise key_not_found(", ".join(missing))
        return [k for n in names if (k := self.by_name(n)) is not None]

    def _launch_check(self, spec: LaunchSpec, zone_name: str) -> None:
        if spec.key_name is None or self.backend.options.lenient_key_names:
            return
        if self.by_name(spec.key_name) is None:
            raise key_not_found(spec.key_name)
