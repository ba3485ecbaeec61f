"""Forms of the document pages: a scan of paper for a case (DOC-1) and the originals of a shipment (DOC-2)."""

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from onedoor.documents.models import Document


class ScanForm(forms.Form):
    file = forms.FileField(
        label=_("Scan of the paper document"),
        error_messages={"required": _("Choose the file of the scan."), "empty": _("The file is empty.")},
    )
    has_paper_original = forms.BooleanField(
        label=_("The client handed in the paper original; send it on to the holder"),
        required=False,
        initial=True,
    )


def _document_choice(document: Document) -> tuple[str, str]:
    label = f"{document.case.number} · {document.filename}" if document.case else document.filename
    return str(document.pk), label


class _Checkboxes(forms.CheckboxSelectMultiple):
    """Labelled by the first box, so that the error summary's link leads to the list."""

    def id_for_label(self, id_: str, index: str | None = None) -> str:
        return f"{id_}_{index or 0}" if id_ else id_


class OriginalsForm(forms.Form):
    """Originals ticked to add to a batch or take out of it."""

    documents = forms.MultipleChoiceField(
        label=_("Originals"),
        widget=_Checkboxes,
        error_messages={"required": _("Tick at least one original.")},
    )

    def __init__(self, *args: Any, documents: Iterable[Document], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.by_id = {str(document.pk): document for document in documents}
        self.fields["documents"].choices = [_document_choice(document) for document in self.by_id.values()]  # type: ignore[attr-defined]

    def chosen(self) -> list[Document]:
        """The ticked documents (call after is_valid())."""
        return [self.by_id[pk] for pk in self.cleaned_data["documents"]]
