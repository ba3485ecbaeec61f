"""The RSA key devidp signs ID tokens with. Never in the repository: made on first use.

Imported by the demo and test settings, so it uses nothing from Django.
"""

import contextlib
import os
import tempfile
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

KEY_BITS = 2048


def new_signing_key_pem() -> str:
    """A fresh RSA private key in PKCS#8 PEM."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=KEY_BITS)
    return key.private_bytes(
        encoding=serialization.Encoding.PEM,
        format=serialization.PrivateFormat.PKCS8,
        encryption_algorithm=serialization.NoEncryption(),
    ).decode("ascii")


def signing_key_pem(path: Path | None = None) -> str:
    """The key kept at `path`, made there (readable by the owner only) when it is missing; without a
    path, a key for this process alone (tests).

    Several processes of `make demo` start at once: each writes a candidate to a temporary file and
    links it into place, which succeeds for exactly one of them; the others read the winner's key.
    """
    if path is None:
        return new_signing_key_pem()
    if path.exists():
        return path.read_text(encoding="ascii")
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, candidate = tempfile.mkstemp(dir=path.parent, prefix=".devidp-key-", suffix=".pem")
    try:
        with os.fdopen(descriptor, "w", encoding="ascii") as file:
            file.write(new_signing_key_pem())
        with contextlib.suppress(FileExistsError):  # another process was first
            os.link(candidate, path)
    finally:
        os.unlink(candidate)
    return path.read_text(encoding="ascii")
