import os
import signal
import threading
import time
from argparse import ArgumentParser
from types import FrameType
from typing import Any

import httpx
from django.core.management.base import BaseCommand, CommandError

from onedoor.integration.demo_data import demo_client_id, demo_client_secret
from onedoor.integration.simulator import BackOfficeSimulator, SimulatorConfig


class Command(BaseCommand):
    help = "Run a simulator of an institution's back-office system against a running OneDoor."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--institution", required=True, help="Institution code, e.g. VSAA.")
        parser.add_argument("--api", default=f"http://127.0.0.1:{os.environ.get('PORT', '8000')}")
        parser.add_argument("--client-id", help="Defaults to the demo client of the institution.")
        parser.add_argument("--client-secret", help="Defaults to the demo secret of the institution.")
        parser.add_argument("--listen-port", type=int, default=0)
        parser.add_argument("--failure-rate", type=float, default=0.1)
        parser.add_argument("--timeout-rate", type=float, default=0.03)
        parser.add_argument("--min-delay", type=float, default=5.0, help="Seconds between a case's steps, at least.")
        parser.add_argument("--max-delay", type=float, default=20.0)
        parser.add_argument("--seed", type=int)

    def handle(self, *args: Any, **options: Any) -> None:
        code = options["institution"].upper()
        config = SimulatorConfig(
            api=options["api"],
            institution=code,
            client_id=options["client_id"] or demo_client_id(code),
            client_secret=options["client_secret"] or demo_client_secret(code),
            listen_port=options["listen_port"],
            failure_rate=options["failure_rate"],
            timeout_rate=options["timeout_rate"],
            step_delay=(options["min_delay"], options["max_delay"]),
            seed=options["seed"],
        )
        simulator = BackOfficeSimulator(config)
        stop = threading.Event()

        def on_signal(signum: int, frame: FrameType | None) -> None:
            stop.set()

        signal.signal(signal.SIGINT, on_signal)
        signal.signal(signal.SIGTERM, on_signal)
        url = simulator.start()
        deadline = time.monotonic() + 60
        while True:
            try:
                simulator.subscribe(url)
                simulator.resume()
                break
            except httpx.HTTPError as error:
                if time.monotonic() > deadline or stop.is_set():
                    simulator.stop()
                    raise CommandError(f"OneDoor at {config.api} did not answer: {error}") from None
                time.sleep(1)
        stop.wait()
        simulator.stop()
