import os
import sys
from argparse import ArgumentParser
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run the web process: gunicorn (gthread) serving OneDoor."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--bind", default=f"127.0.0.1:{os.environ.get('PORT', '8000')}")
        parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "2")))
        parser.add_argument("--threads", type=int, default=int(os.environ.get("WEB_THREADS", "4")))

    def handle(self, *args: Any, bind: str, workers: int, threads: int, **options: Any) -> None:
        call_command("check", deploy=True, fail_level="ERROR")
        argv = [
            sys.executable,
            "-m",
            "gunicorn",
            "onedoor.wsgi:application",
            "--bind",
            bind,
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--worker-class",
            "gthread",
            "--graceful-timeout",
            "10",
        ]
        os.execv(sys.executable, argv)
