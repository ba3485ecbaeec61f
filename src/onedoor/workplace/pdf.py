"""The printed application (ASST-1): an A4 PDF the client checks and signs, with the case number and a QR code.

The client signs it, so Latvian comes first and English follows in smaller type. The QR code leads to
the case in the client's e-account; it is drawn as vector squares from segno's matrix (sharp at any
printer resolution) and its address is printed under it too. Latvian letters need a TrueType font:
`settings.ONEDOOR_PDF_FONT` (DejaVu Sans by default), read when a PDF is made.
"""

import io
from pathlib import Path

import segno
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from reportlab.lib.colors import HexColor  # type: ignore[import-untyped]
from reportlab.lib.pagesizes import A4  # type: ignore[import-untyped]
from reportlab.lib.units import mm  # type: ignore[import-untyped]
from reportlab.pdfbase import pdfmetrics  # type: ignore[import-untyped]
from reportlab.pdfbase.ttfonts import TTFont  # type: ignore[import-untyped]
from reportlab.pdfgen.canvas import Canvas  # type: ignore[import-untyped]

from onedoor.cases.models import Case
from onedoor.core.channels import Channel
from onedoor.parties.identifiers import format_personal_code

from .jsonforms import display_rows
from .models import AssistedApplication

FONT = "OneDoorSans"
MARGIN = 18 * mm
QR_SIZE = 32 * mm
GREY = HexColor("#505a5f")
BLACK = HexColor("#0b0c0c")


def _register_font() -> None:
    path = Path(settings.ONEDOOR_PDF_FONT)
    if not path.is_file():
        raise ImproperlyConfigured(
            f"ONEDOOR_PDF_FONT: no TrueType font at {path}; install fonts-dejavu-core or set the path of a font "
            "with Latvian letters."
        )
    registered = pdfmetrics.getRegisteredFontNames()
    if FONT not in registered or getattr(pdfmetrics.getFont(FONT).face, "filename", "") != str(path):
        pdfmetrics.registerFont(TTFont(FONT, str(path)))


def case_url(case: Case) -> str:
    """The case's page in the client's e-account (in Latvian), on the platform's public address."""
    with translation.override("lv"):
        path = reverse("accounts:case", args=[case.url_number])
    return settings.ONEDOOR_PUBLIC_URL.rstrip("/") + path


def qr_modules(text: str) -> list[tuple[int, int]]:
    """The (column, row) of every dark module of the QR code of `text`, quiet zone left out."""
    matrix = segno.make(text, error="m").matrix
    return [(column, row) for row, line in enumerate(matrix) for column, dark in enumerate(line) if dark]


APPLICATION = gettext_lazy("Application")
SERVICE_CODE = gettext_lazy("Service code")
CASE_NUMBER = gettext_lazy("Case number")
CLIENT = gettext_lazy("Client")
PERSONAL_CODE = gettext_lazy("Personal code")
CHANNEL = gettext_lazy("Channel")
PLACE = gettext_lazy("Place")
SPECIALIST = gettext_lazy("Specialist")
DATE = gettext_lazy("Date")
SIGNATURE = gettext_lazy("Client’s signature")
CHECK_ONLINE = gettext_lazy("Check the application in your e-account:")


def _in(language: str, text: Promise) -> str:
    with translation.override(language):
        return str(text)


def _both(text: Promise) -> str:
    """“Latvian / English” on one line."""
    return f"{_in('lv', text)} / {_in('en', text)}"


class _Writer:
    """Lines down the page, starting a new page when the space ends."""

    def __init__(self, canvas: Canvas):
        self.canvas = canvas
        self.width, self.height = A4
        self.y = self.height - MARGIN

    def space(self, needed: float) -> None:
        if self.y - needed < MARGIN:
            self.canvas.showPage()
            self.y = self.height - MARGIN

    def line(self, text: str, *, size: float = 10, colour: HexColor = BLACK, indent: float = 0) -> None:
        self.space(size * 1.4)
        self.canvas.setFillColor(colour)
        self.canvas.setFont(FONT, size)
        self.canvas.drawString(MARGIN + indent, self.y - size, text)
        self.y -= size * 1.4

    def pair(self, label_lv: str, label_en: str, value: str) -> None:
        """A label in Latvian (English under it) and its value on the right."""
        self.space(26)
        self.canvas.setFillColor(BLACK)
        self.canvas.setFont(FONT, 10)
        self.canvas.drawString(MARGIN, self.y - 10, label_lv)
        self.canvas.drawString(MARGIN + 75 * mm, self.y - 10, value)
        if label_en and label_en != label_lv:
            self.canvas.setFillColor(GREY)
            self.canvas.setFont(FONT, 8)
            self.canvas.drawString(MARGIN, self.y - 20, label_en)
            self.y -= 24
        else:
            self.y -= 15

    def gap(self, size: float = 6) -> None:
        self.y -= size


def _draw_qr(canvas: Canvas, text: str, *, x: float, y: float) -> None:
    """The QR code as vector squares with its lower left corner at (x, y)."""
    modules = qr_modules(text)
    count = max(max(column, row) for column, row in modules) + 1
    module = QR_SIZE / count
    canvas.setFillColor(BLACK)
    for column, row in modules:
        canvas.rect(x + column * module, y + QR_SIZE - (row + 1) * module, module, module, stroke=0, fill=1)


def _authorisation(application: AssistedApplication, language: str) -> str:
    with translation.override(language):
        if application.mandate_reference:
            return _("Submitted on behalf of the client under mandate %(reference)s") % {
                "reference": application.mandate_reference
            }
        return _("Submitted on behalf of the client under in-person authorisation")


def application_pdf(*, application: AssistedApplication) -> bytes:
    """The application as printed for the client's signature, dated when its case was registered; the
    application must have its case."""
    case = application.case
    if case is None:
        raise ValueError("The application has no case yet: print it first.")
    _register_font()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4)
    canvas.setTitle(f"{case.number} {application.service.name_lv}")
    canvas.setAuthor("OneDoor")
    writer = _Writer(canvas)
    url = case_url(case)
    width, height = A4
    _draw_qr(canvas, url, x=width - MARGIN - QR_SIZE, y=height - MARGIN - QR_SIZE)
    canvas.setFont(FONT, 6.5)
    canvas.setFillColor(GREY)
    canvas.drawRightString(width - MARGIN, height - MARGIN - QR_SIZE - 9, url)

    writer.line("OneDoor", size=16)
    writer.line(_both(APPLICATION), size=9, colour=GREY)
    writer.gap(10)
    writer.line(application.service.name_lv, size=14)
    if application.service.name_en:
        writer.line(application.service.name_en, size=9, colour=GREY)
    writer.line(f"{_both(SERVICE_CODE)}: {application.service.code}", size=9)
    writer.gap(8)
    writer.line(_both(CASE_NUMBER), size=9, colour=GREY)
    writer.line(case.number, size=24)
    writer.y = min(writer.y, height - MARGIN - QR_SIZE - 16)
    writer.gap(6)

    person = application.person
    writer.pair(_in("lv", CLIENT), _in("en", CLIENT), person.full_name)
    writer.pair(_in("lv", PERSONAL_CODE), _in("en", PERSONAL_CODE), format_personal_code(person.personal_code))
    writer.gap(8)

    schema = application.service.application_form
    with translation.override("lv"):
        latvian = display_rows(schema, application.data)
    with translation.override("en"):
        english = display_rows(schema, application.data)
    legend = None
    for (legend_lv, label_lv, value), (legend_en, label_en, _value_en) in zip(latvian, english, strict=True):
        if legend_lv != legend and legend_lv:
            writer.gap(4)
            writer.line(legend_lv + (f" / {legend_en}" if legend_en and legend_en != legend_lv else ""), size=11)
        legend = legend_lv
        writer.pair(label_lv, label_en, value)
    writer.gap(8)

    moment = timezone.localtime(case.submitted_at)
    place = application.place
    channel = Channel(application.channel)
    with translation.override("lv"):
        channel_lv = str(channel.label)
    with translation.override("en"):
        channel_en = str(channel.label)
    writer.pair(_in("lv", CHANNEL), _in("en", CHANNEL), channel_lv)
    writer.line(channel_en, size=8, colour=GREY, indent=75 * mm)
    if place is not None:
        writer.pair(_in("lv", PLACE), _in("en", PLACE), place.name_lv)
    writer.pair(_in("lv", SPECIALIST), _in("en", SPECIALIST), case.registered_by_label)
    writer.pair(_in("lv", DATE), _in("en", DATE), moment.strftime("%Y-%m-%d %H:%M"))
    writer.gap(4)
    writer.line(_authorisation(application, "lv"), size=10)
    writer.line(_authorisation(application, "en"), size=8, colour=GREY)
    writer.gap(28)

    writer.space(40)
    canvas.setStrokeColor(BLACK)
    canvas.line(MARGIN, writer.y, MARGIN + 80 * mm, writer.y)
    canvas.line(MARGIN + 100 * mm, writer.y, width - MARGIN, writer.y)
    canvas.setFont(FONT, 8)
    canvas.setFillColor(GREY)
    canvas.drawString(MARGIN + 100 * mm, writer.y - 10, _both(DATE))
    writer.gap(2)
    writer.line(_both(SIGNATURE), size=8, colour=GREY)
    writer.gap(6)
    writer.line(f"{_in('lv', CHECK_ONLINE)} {url}", size=8, colour=GREY)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
