import signal
import threading
from argparse import ArgumentParser
from pathlib import Path
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from onedoor.notifications.sms_simulator import SmsSimulator


class Command(BaseCommand):
    help = (
        "Run a local simulator of an SMS provider. Point ONEDOOR_SMS_GATEWAY_URL at the URL it prints "
        "(and ONEDOOR_SMS_GATEWAY_TOKEN at --token)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8025)
        parser.add_argument("--token", default="", help="Bearer token to require (none by default).")
        parser.add_argument(
            "--journal",
            type=Path,
            default=None,
            help="JSON-lines file of the messages received (default: var/sms-simulator.jsonl).",
        )
        parser.add_argument("--fail-next", type=int, default=0, help="Answer 503 to the next N messages.")
        parser.add_argument("--failure-rate", type=float, default=0.0, help="Answer 503 to this share of messages.")
        parser.add_argument("--seed", type=int)

    def handle(self, *args: Any, **options: Any) -> None:
        journal = options["journal"] or Path(settings.VAR_DIR) / "sms-simulator.jsonl"
        simulator = SmsSimulator(
            host=options["host"],
            port=options["port"],
            token=options["token"],
            journal=journal,
            fail_next=options["fail_next"],
            failure_rate=options["failure_rate"],
            seed=options["seed"],
        ).start()
        stop = threading.Event()

        def on_signal(signum: int, frame: FrameType | None) -> None:
            stop.set()

        signal.signal(signal.SIGINT, on_signal)
        signal.signal(signal.SIGTERM, on_signal)
        self.stdout.write(f"SMS simulator at {simulator.url} (journal {journal})")
        self.stdout.flush()
        stop.wait()
        simulator.stop()
