"""Stored files as HTTP downloads: one set of headers for every page and API that hands a file out."""

from django.http import HttpResponse
from django.utils.http import content_disposition_header

from .filetypes import PLAIN_TEXT


def download_response(content: bytes, *, media_type: str, filename: str) -> HttpResponse:
    """A file as a download of the type detected when it arrived: never shown inline, never sniffed, never
    cached; the file name is sent safely encoded (RFC 6266), whatever characters it has."""
    content_type = media_type + ("; charset=utf-8" if media_type == PLAIN_TEXT.media_type else "")
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    response["Content-Length"] = str(len(content))
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
