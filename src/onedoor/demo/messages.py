"""Letters from institutions in Anna Kalniņa's inbox, one with a PDF decision, so the inbox and
documents pages have something to show. Loading again adds nothing (a letter is known by its
sender and Latvian subject)."""

from dataclasses import dataclass

from onedoor.core.actors import Actor, ActorKind
from onedoor.notifications.models import Message
from onedoor.notifications.services import SCOPE_MESSAGES_WRITE, AttachmentInput, institution_message_send
from onedoor.parties.models import Institution, Person

ANNA = "32871452034"

# PDF's standard Helvetica has the Latvian letters; codes from 128 up are mapped to their glyph names.
_LATVIAN_GLYPHS = {
    "Ā": "Amacron",
    "ā": "amacron",
    "Č": "Ccaron",
    "č": "ccaron",
    "Ē": "Emacron",
    "ē": "emacron",
    "Ģ": "Gcommaaccent",
    "ģ": "gcommaaccent",
    "Ī": "Imacron",
    "ī": "imacron",
    "Ķ": "Kcommaaccent",
    "ķ": "kcommaaccent",
    "Ļ": "Lcommaaccent",
    "ļ": "lcommaaccent",
    "Ņ": "Ncommaaccent",
    "ņ": "ncommaaccent",
    "Š": "Scaron",
    "š": "scaron",
    "Ū": "Umacron",
    "ū": "umacron",
    "Ž": "Zcaron",
    "ž": "zcaron",
}
_FIRST_CODE = 128
_CODES = {char: _FIRST_CODE + index for index, char in enumerate(_LATVIAN_GLYPHS)}


def _pdf_string(text: str) -> bytes:
    """A PDF literal string in the font's encoding: ASCII as it is, Latvian letters by their codes."""
    encoded = bytearray()
    for char in text:
        if char in _CODES:
            encoded.append(_CODES[char])
        elif char.isascii():
            if char in "\\()":
                encoded.append(ord("\\"))
            encoded.append(ord(char))
        else:
            encoded.append(ord("?"))
    return b"(" + bytes(encoded) + b")"


def minimal_pdf(title: str, lines: list[str]) -> bytes:
    """A one-page A4 PDF with a title and lines of text, built by hand (no PDF library needed)."""
    content = b"BT /F1 16 Tf 72 770 Td " + _pdf_string(title) + b" Tj /F1 11 Tf"
    for line in lines:
        content += b" 0 -20 Td " + _pdf_string(line) + b" Tj"
    content += b" ET"
    differences = " ".join(f"/{name}" for name in _LATVIAN_GLYPHS.values())
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        (
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding << /Type /Encoding "
            f"/BaseEncoding /WinAnsiEncoding /Differences [{_FIRST_CODE} {differences}] >> >>"
        ).encode("ascii"),
        b"<< /Length " + str(len(content)).encode() + b" >>\nstream\n" + content + b"\nendstream",
    ]
    pdf = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(pdf))
        pdf += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref_at = len(pdf)
    pdf += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        pdf += f"{offset:010d} 00000 n \n".encode()
    pdf += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref_at}\n%%EOF\n".encode()
    return bytes(pdf)


@dataclass(frozen=True, slots=True)
class DemoLetter:
    institution: str
    subject_lv: str
    subject_en: str
    body_lv: str
    body_en: str
    pdf_name: str = ""
    pdf_title: str = ""
    pdf_lines: tuple[str, ...] = ()


DEMO_LETTERS = (
    DemoLetter(
        institution="VSAA",
        subject_lv="Lēmums par vecāku pabalsta piešķiršanu",
        subject_en="Decision to grant the parental benefit",
        body_lv=(
            "Labdien, Anna!\n\nValsts sociālās apdrošināšanas aģentūra ir izskatījusi jūsu iesniegumu un "
            "piešķīrusi vecāku pabalstu. Lēmums pievienots šim ziņojumam.\n\n"
            "Lēmumu var apstrīdēt mēneša laikā no tā spēkā stāšanās dienas."
        ),
        body_en=(
            "Hello Anna,\n\nThe State Social Insurance Agency has considered your application and granted the "
            "parental benefit. The decision is attached to this message.\n\n"
            "You may contest the decision within a month from the day it takes effect."
        ),
        pdf_name="lemums-vecaku-pabalsts.pdf",
        pdf_title="Lēmums par vecāku pabalsta piešķiršanu",
        pdf_lines=(
            "Valsts sociālās apdrošināšanas aģentūra",
            "Saņēmēja: Anna Kalniņa",
            "Vecāku pabalsts piešķirts no 2026. gada 2. oktobra.",
            "Šis ir demonstrācijas dokuments.",
        ),
    ),
    DemoLetter(
        institution="VSAA",
        subject_lv="Atgādinājums: iesniedziet bērna kopšanas atvaļinājuma datumus",
        subject_en="Reminder: send the dates of your childcare leave",
        body_lv=(
            "Labdien, Anna!\n\nLai aprēķinātu vecāku pabalstu, lūdzam e-kontā norādīt bērna kopšanas "
            "atvaļinājuma sākuma datumu."
        ),
        body_en=(
            "Hello Anna,\n\nTo calculate the parental benefit, please give the first day of your childcare "
            "leave in your e-account."
        ),
    ),
    DemoLetter(
        institution="RIGA",
        subject_lv="Pirmsskolas izglītības iestādes rindas apstiprinājums",
        subject_en="Your child is on the pre-school waiting list",
        body_lv=(
            "Labdien!\n\nRīgas valstspilsētas pašvaldība apstiprina, ka Emīls Kalniņš ir reģistrēts "
            "pirmsskolas izglītības iestādes rindā."
        ),
        body_en=(
            "Hello,\n\nRiga City Municipality confirms that Emīls Kalniņš is registered on the waiting list "
            "for a pre-school education institution."
        ),
    ),
)


def _sending_system(institution: Institution) -> Actor:
    return Actor(
        kind=ActorKind.SYSTEM,
        id=f"{institution.code.lower()}-backoffice",
        label=f"{institution.code} back office (demo)",
        institution_id=str(institution.pk),
        institution_code=institution.code,
        acting_for=institution.code,
        roles=frozenset({SCOPE_MESSAGES_WRITE}),
    )


def load_messages() -> int:
    """Send the demo letters that Anna does not have yet; returns how many were sent."""
    anna = Person.objects.get(personal_code=ANNA)
    sent = 0
    for letter in DEMO_LETTERS:
        institution = Institution.objects.get(code=letter.institution)
        if Message.objects.filter(recipient=anna, sender=institution, subject_lv=letter.subject_lv).exists():
            continue
        attachments = (
            [AttachmentInput(letter.pdf_name, minimal_pdf(letter.pdf_title, list(letter.pdf_lines)))]
            if letter.pdf_name
            else []
        )
        institution_message_send(
            actor=_sending_system(institution),
            personal_code=ANNA,
            subject={"lv": letter.subject_lv, "en": letter.subject_en},
            body={"lv": letter.body_lv, "en": letter.body_en},
            attachments=attachments,
        )
        sent += 1
    return sent
