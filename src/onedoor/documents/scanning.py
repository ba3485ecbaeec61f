"""A small client of ClamAV's clamd (DOC-1): INSTREAM over a unix socket or TCP.

The protocol (clamd(8)): a command prefixed with "z" and ended by a NUL byte, then the content
in chunks, each preceded by its length as a 4-byte big-endian number, and a zero length at the
end. clamd answers "stream: OK", "stream: <signature> FOUND" or "<reason> ERROR", NUL-ended.
The PyPI clients (clamd, pyclamd) are unmaintained since 2020 and 2017; see ADR 0008.
"""

import socket
import struct
from dataclasses import dataclass

from django.conf import settings

CHUNK_BYTES = 64 * 1024
_RESPONSE_MAX_BYTES = 4096
# clamd marks signatures of a local database, like the test harness's EICAR hash, as unofficial.
_UNOFFICIAL = ".UNOFFICIAL"


class ScannerError(Exception):
    """clamd could not be reached or did not give a verdict."""


@dataclass(frozen=True, slots=True)
class ScanVerdict:
    clean: bool
    signature: str = ""  # the name of what was found, when not clean


def scanner_configured() -> bool:
    """Whether files are to be scanned: ONEDOOR_CLAMD_SOCKET, or ONEDOOR_CLAMD_HOST (and _PORT), is set."""
    return bool(getattr(settings, "ONEDOOR_CLAMD_SOCKET", "") or getattr(settings, "ONEDOOR_CLAMD_HOST", ""))


def _connect() -> socket.socket:
    timeout = float(getattr(settings, "ONEDOOR_CLAMD_TIMEOUT_SECONDS", 30))
    path = getattr(settings, "ONEDOOR_CLAMD_SOCKET", "")
    if path:
        connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        connection.settimeout(timeout)
        connection.connect(path)
        return connection
    return socket.create_connection(
        (settings.ONEDOOR_CLAMD_HOST, int(getattr(settings, "ONEDOOR_CLAMD_PORT", 3310))), timeout=timeout
    )


def _response(connection: socket.socket) -> str:
    received = b""
    while not received.endswith(b"\0") and len(received) < _RESPONSE_MAX_BYTES:
        chunk = connection.recv(_RESPONSE_MAX_BYTES)
        if not chunk:
            break
        received += chunk
    return received.rstrip(b"\0").decode("utf-8", "replace").strip()


def _exchange(command: bytes, content: bytes | None = None) -> str:
    try:
        with _connect() as connection:
            connection.sendall(b"z" + command + b"\0")
            if content is not None:
                for start in range(0, len(content), CHUNK_BYTES):
                    chunk = content[start : start + CHUNK_BYTES]
                    connection.sendall(struct.pack("!L", len(chunk)) + chunk)
                connection.sendall(struct.pack("!L", 0))
            return _response(connection)
    except OSError as error:
        raise ScannerError(f"clamd: {error}") from error


def clamd_ping() -> bool:
    """Whether clamd answers PING."""
    try:
        return _exchange(b"PING") == "PONG"
    except ScannerError:
        return False


def scanner_state() -> str:
    """For /readyz: "off" when no scanner is configured, "ok" when clamd answers, else what is wrong
    (uploads are refused meanwhile)."""
    if not scanner_configured():
        return "off"
    return "ok" if clamd_ping() else "clamd unreachable: uploads are refused"


def clamd_scan(content: bytes) -> ScanVerdict:
    """Scan the content with clamd. ScannerError when clamd cannot be reached or answers an error
    (for example a file over its StreamMaxLength)."""
    answer = _exchange(b"INSTREAM", content)
    if answer == "stream: OK":
        return ScanVerdict(clean=True)
    if answer.startswith("stream: ") and answer.endswith(" FOUND"):
        signature = answer.removeprefix("stream: ").removesuffix(" FOUND").strip()
        return ScanVerdict(clean=False, signature=signature.removesuffix(_UNOFFICIAL))
    raise ScannerError(f"clamd: {answer or 'no answer'}")
