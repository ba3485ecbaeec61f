"""The outcome of one try at sending a notice through an external channel."""

import time
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class SendResult:
    """`sent`: the provider accepted it. A failure is retried unless `permanent` (the address is refused)."""

    sent: bool
    latency_ms: int
    error: str = ""
    permanent: bool = False
    provider_message_id: str = ""


def elapsed_ms(started: float) -> int:
    return max(0, round((time.monotonic() - started) * 1000))
