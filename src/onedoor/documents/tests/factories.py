"""Files and cases for the document store's tests (also used by the workplace's document pages)."""

from pathlib import Path

from pytest_django.fixtures import Settings

from onedoor.cases.models import Case
from onedoor.cases.services import PartyRef, case_register
from onedoor.catalog.models import ApplicationPlace
from onedoor.conftest import staff_actor
from onedoor.core.actors import Actor

KAC_PLACE = "vpvkac-nacionalais-centrs"
ANNA = "32871452034"
JANIS = "14037812342"
CHILDBIRTH_BENEFIT = "2011"  # VSAA
UNEMPLOYED_STATUS = "7002"  # NVA

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
HTML = b"<!doctype html><html><body><script>alert(1)</script></body></html>\x00"
ZIP = b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + b"\x00" * 40
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48


def eicar() -> bytes:
    """The EICAR anti-virus test file, put together here so that no file of the repository holds it whole."""
    return ("X5O!P%@AP[4\\PZX54(P^)7CC)7}$" + "EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*").encode()


def use_document_root(settings: Settings, root: Path) -> Path:
    """The `documents` storage in a folder of the test's own."""
    settings.STORAGES = {
        **settings.STORAGES,
        "documents": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": root}},
    }
    return root


def stored_files(root: Path) -> list[Path]:
    return sorted(path for path in root.rglob("*") if path.is_file()) if root.exists() else []


def kac_specialist() -> Actor:
    return staff_actor("VRAA", "specialist")


def kac_place() -> ApplicationPlace:
    return ApplicationPlace.objects.get(code=KAC_PLACE)


def kac_case(*, personal_code: str = ANNA, service_code: str = CHILDBIRTH_BENEFIT) -> Case:
    """A case applied for in person at the national KAC in Riga (held by the service's institution)."""
    return case_register(
        actor=kac_specialist(),
        service_code=service_code,
        applicant=PartyRef(personal_code=personal_code),
        channel="kac",
        place=kac_place(),
    ).case
