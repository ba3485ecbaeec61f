"""What a file is, from its content (DOC-1, NOTE-1): the sender's file name and stated type are never trusted.

One piece of code for every way files arrive: institutions' letters to the inbox (notifications)
and the document store (scans and uploads).
"""

import re
import unicodedata
from dataclasses import dataclass

FILENAME_MAX_CHARS = 255


@dataclass(frozen=True, slots=True)
class FileType:
    media_type: str
    extensions: tuple[str, ...]  # the first is added to a file name that has none of them


PDF = FileType("application/pdf", ("pdf",))
PNG = FileType("image/png", ("png",))
JPEG = FileType("image/jpeg", ("jpg", "jpeg"))
PLAIN_TEXT = FileType("text/plain", ("txt",))
# eDOC (SIG-1): an ASiC-E container, a ZIP whose first entry is an uncompressed file "mimetype".
ASIC_E = FileType("application/vnd.etsi.asic-e+zip", ("edoc", "asice", "sce"))
ACCEPTED_FILE_TYPES = (PDF, PNG, JPEG, PLAIN_TEXT, ASIC_E)

_ZIP_LOCAL_HEADER = b"PK\x03\x04"
_ZIP_HEADER_LENGTH = 30
# Control characters other than tab, line feed, form feed and carriage return do not occur in text.
_NOT_TEXT = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")


def _is_asic_e(content: bytes) -> bool:
    if not content.startswith(_ZIP_LOCAL_HEADER) or len(content) < _ZIP_HEADER_LENGTH:
        return False
    compression = int.from_bytes(content[8:10], "little")
    name_length = int.from_bytes(content[26:28], "little")
    extra_length = int.from_bytes(content[28:30], "little")
    name_end = _ZIP_HEADER_LENGTH + name_length
    if compression != 0 or content[_ZIP_HEADER_LENGTH:name_end] != b"mimetype":
        return False
    start = name_end + extra_length
    return content[start : start + len(ASIC_E.media_type)] == ASIC_E.media_type.encode()


def _is_plain_text(content: bytes) -> bool:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return False
    return bool(text.strip()) and _NOT_TEXT.search(text) is None


def file_type_detect(content: bytes) -> FileType | None:
    """The type of a file from its first bytes (PDF, PNG, JPEG, eDOC) or, for UTF-8 text, its whole
    content; None for anything else. The sender's file name and stated type are never trusted."""
    if content.startswith(b"%PDF-"):
        return PDF
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if content.startswith(b"\xff\xd8\xff"):
        return JPEG
    if _is_asic_e(content):
        return ASIC_E
    if _is_plain_text(content):
        return PLAIN_TEXT
    return None


def attachment_filename(name: str, file_type: FileType) -> str:
    """The sender's file name made safe to show and to save: no folders or control characters, and
    an extension that matches the content ("letter.html" holding text becomes "letter.html.txt").
    Empty when nothing usable is left."""
    name = unicodedata.normalize("NFC", name.replace("\\", "/").rsplit("/", 1)[-1])
    name = "".join(char for char in name if not unicodedata.category(char).startswith("C"))
    name = " ".join(name.split()).strip(" .")
    if not name:
        return ""
    stem, dot, extension = name.rpartition(".")
    if not (dot and stem and extension.lower() in file_type.extensions):
        name = f"{name}.{file_type.extensions[0]}"
        stem, _dot, extension = name.rpartition(".")
    room = FILENAME_MAX_CHARS - len(extension) - 1
    return f"{stem[:room].rstrip(' .') or 'file'}.{extension}"
