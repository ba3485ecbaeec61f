"""`onedoor demo`: migrate, load demo data, run web + worker + scheduler until Ctrl-C."""

import os
import signal
import subprocess
import sys
import time
from types import FrameType
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand

from onedoor.demo.accounts import DEMO_ACCOUNTS, STAFF_PERSONS
from onedoor.demo.cases import register_demo_cases
from onedoor.integration.selectors import simulator_subscribed


class Command(BaseCommand):
    help = "Set up and run the whole platform for a demo (SQLite, filesystem broker)."

    def handle(self, *args: Any, **options: Any) -> None:
        port = os.environ.get("PORT", "8000")
        call_command("migrate", interactive=False, verbosity=0)
        call_command("loaddemo")
        sms_port = os.environ.get("ONEDOOR_DEMO_SMS_PORT", str(int(port) + 1))
        environment = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": os.environ["DJANGO_SETTINGS_MODULE"],
            "PORT": port,
            # SMS (phone codes, notices) goes to a local simulator of a provider: var/sms-simulator.jsonl.
            "ONEDOOR_SMS_GATEWAY_URL": os.environ.get(
                "ONEDOOR_SMS_GATEWAY_URL", f"http://127.0.0.1:{sms_port}/messages"
            ),
        }
        onedoor = [sys.executable, "-m", "onedoor.cli"]
        processes = {
            "sms": subprocess.Popen([*onedoor, "sms-simulator", "--port", sms_port], env=environment),
            "web": subprocess.Popen([*onedoor, "serve", "--bind", f"127.0.0.1:{port}"], env=environment),
            "worker": subprocess.Popen([*onedoor, "worker", "--concurrency", "1", "--pool", "solo"], env=environment),
            "scheduler": subprocess.Popen([*onedoor, "scheduler"], env=environment),
            "simulator": subprocess.Popen(
                [*onedoor, "simulate-backoffice", "--institution", "VSAA", "--api", f"http://127.0.0.1:{port}"],
                env=environment,
            ),
        }
        if self._wait_for_simulator(processes["simulator"]):
            created = register_demo_cases()
            self.stdout.write(f"demo applications registered: {created} new")
        self._print_welcome(port)
        stopping = False

        def stop(signum: int, frame: FrameType | None) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        exit_code = 0
        while not stopping:
            for name, process in processes.items():
                if process.poll() is not None:
                    self.stderr.write(f"{name} exited with code {process.returncode}; stopping the demo.")
                    exit_code = process.returncode or 1
                    stopping = True
            time.sleep(0.5)
        self._stop_all(processes)
        if exit_code:
            sys.exit(exit_code)

    def _wait_for_simulator(self, simulator: subprocess.Popen[bytes], timeout: float = 60) -> bool:
        """Until VSAA's simulator has subscribed, so that the demo applications reach it."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and simulator.poll() is None:
            if simulator_subscribed("VSAA"):
                return True
            time.sleep(0.5)
        self.stderr.write("The back-office simulator did not subscribe; demo applications were not registered.")
        return False

    def _stop_all(self, processes: dict[str, subprocess.Popen[bytes]]) -> None:
        for process in processes.values():
            if process.poll() is None:
                process.terminate()
        deadline = time.monotonic() + 15
        for process in processes.values():
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self.stdout.write("OneDoor demo stopped.")

    def _print_welcome(self, port: str) -> None:
        base = f"http://127.0.0.1:{port}"
        lines = [
            "",
            "OneDoor demo is running. Stop it with Ctrl-C.",
            f"  Portal (Latvian):  {base}/lv/",
            f"  Portal (English):  {base}/en/",
            f"  API docs:          {base}/api/v1/docs",
            f"  Embeddable widget: {base}/lv/embed/",
            f"  Administration:    {base}/lv/admin/",
            f"  Workplace (staff): {base}/lv/workplace/ (sign in as kac-specialist, act for VRAA)",
            f"  Health:            {base}/healthz  {base}/readyz  {base}/metrics",
            f"  Sign in:           {base}/oidc/authenticate/ (development identity provider: choose a person)",
            "  Staff sign in as:  "
            + ", ".join(f"{username} = {code[:6]}-{code[6:]}" for username, code in STAFF_PERSONS.items()),
            "  Demo logins (administration):",
            *(f"    {account.username:<14} {account.password:<22} {account.institution}" for account in DEMO_ACCOUNTS),
            "",
        ]
        self.stdout.write("\n".join(lines))
