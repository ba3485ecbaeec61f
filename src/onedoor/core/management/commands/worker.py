import os
import sys
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run a background worker (Celery)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--concurrency", type=int, default=int(os.environ.get("WORKER_CONCURRENCY", "2")))
        parser.add_argument("--pool", default=os.environ.get("WORKER_POOL", "prefork"))
        parser.add_argument("--queues", default=os.environ.get("WORKER_QUEUES", "celery"))

    def handle(self, *args: Any, concurrency: int, pool: str, queues: str, **options: Any) -> None:
        argv = [
            sys.executable,
            "-m",
            "celery",
            "--app",
            "onedoor.core.celery:app",
            "worker",
            "--loglevel",
            "INFO",
            "--concurrency",
            str(concurrency),
            "--pool",
            pool,
            "--queues",
            queues,
            "--without-gossip",
            "--without-mingle",
        ]
        os.execv(sys.executable, argv)
