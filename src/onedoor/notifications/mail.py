"""E-mail through Django's mail framework (the SMTP backend in production).

Django reads its EMAIL_* settings when the connection is made, so they are read at call time:
EMAIL_BACKEND, EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS or
EMAIL_USE_SSL, and DEFAULT_FROM_EMAIL as the sender. One connection serves a batch and is
opened again after an error.

Every try of a dispatch carries the same Message-ID (`<dispatch id@host>`), so a mail system
that received an earlier try can tell the repeat. Only a refusal of the recipient with a 5xx
answer is permanent; everything else (connection, authentication, 4xx) is retried, since it is
not the recipient's fault and is usually mended by the operator.
"""

import smtplib
import time
from contextlib import suppress
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.utils.html import linebreaks, urlize

from .models import Dispatch
from .sending import SendResult, elapsed_ms


def send_timeout_seconds() -> float:
    return float(getattr(settings, "ONEDOOR_NOTIFICATION_SEND_TIMEOUT_SECONDS", 10.0))


def message_id(dispatch: Dispatch) -> str:
    host = urlsplit(settings.ONEDOOR_PUBLIC_URL).hostname or "onedoor.invalid"
    return f"<{dispatch.pk}@{host}>"


def email_message(dispatch: Dispatch) -> EmailMultiAlternatives:
    """The e-mail of a dispatch: plain text with an HTML alternative of the same text."""
    email = EmailMultiAlternatives(
        subject=dispatch.subject,
        body=dispatch.body,
        to=[dispatch.address],
        headers={
            "Message-ID": message_id(dispatch),
            "Auto-Submitted": "auto-generated",
            "X-OneDoor-Dispatch": str(dispatch.pk),
            "Content-Language": dispatch.language,
        },
    )
    html = linebreaks(urlize(dispatch.body, autoescape=True))
    email.attach_alternative(f'<!doctype html><html lang="{dispatch.language}"><body>{html}</body></html>', "text/html")
    return email


class EmailSender:
    """Sends dispatches over one connection of the configured backend."""

    def __init__(self) -> None:
        self._connection = get_connection(fail_silently=False, timeout=send_timeout_seconds())

    def send(self, dispatch: Dispatch) -> SendResult:
        started = time.monotonic()
        email = email_message(dispatch)
        try:
            self._connection.open()
            accepted = self._connection.send_messages([email])
        except smtplib.SMTPRecipientsRefused as error:
            self._reset()
            codes = [code for code, _message in error.recipients.values()]
            return SendResult(
                sent=False,
                latency_ms=elapsed_ms(started),
                error=f"recipient refused: {_describe(error)}",
                permanent=bool(codes) and all(500 <= code < 600 for code in codes),
            )
        except OSError as error:  # smtplib.SMTPException, refused connections and timeouts are OSErrors
            self._reset()
            return SendResult(sent=False, latency_ms=elapsed_ms(started), error=_describe(error))
        if not accepted:
            return SendResult(sent=False, latency_ms=elapsed_ms(started), error="the mail backend sent nothing")
        return SendResult(sent=True, latency_ms=elapsed_ms(started), provider_message_id=message_id(dispatch))

    def _reset(self) -> None:
        with suppress(OSError):
            self._connection.close()

    def close(self) -> None:
        self._reset()


def _describe(error: OSError) -> str:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return "; ".join(
            f"{code} {reply.decode(errors='replace') if isinstance(reply, bytes) else reply}"
            for code, reply in error.recipients.values()
        )[:900]
    return f"{type(error).__name__}: {error}"[:900]
