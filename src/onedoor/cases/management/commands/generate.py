from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from onedoor.cases.generator import cases_generate
from onedoor.core.actors import SYSTEM
from onedoor.core.errors import ApplicationError


class Command(BaseCommand):
    help = (
        "Fill the registry with synthetic cases, status histories, persons and organisations for benchmarks "
        "and load tests. Writes no outbox events and one audit record for the run."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--cases", type=int, required=True, help="How many cases to create.")
        parser.add_argument("--seed", type=int, default=1, help="The same seed gives the same data (default 1).")
        parser.add_argument(
            "--load-test-database",
            action="store_true",
            help="Confirm that production settings point at a load-test database, not at real data.",
        )

    def handle(self, *args: Any, cases: int, seed: int, **options: Any) -> None:
        if not getattr(settings, "ONEDOOR_DEMO", False) and not options["load_test_database"]:
            raise CommandError(
                "These are production settings: synthetic cases must never mix with real ones. "
                "Add --load-test-database if this database is a load-test copy."
            )

        def progress(done: int) -> None:
            if options["verbosity"] > 1:
                self.stdout.write(f"  {done} cases")

        try:
            report = cases_generate(actor=SYSTEM, count=cases, seed=seed, progress=progress)
        except ApplicationError as error:
            raise CommandError(error.detail) from error
        self.stdout.write(
            f"generated {report.cases} cases of {report.services} services with {report.status_events} status "
            f"events, {report.persons} persons and {report.organisations} organisations "
            f"(seed {report.seed}, submitted before {report.until:%Y-%m-%d %H:%M} UTC) in {report.seconds:.1f} s"
        )
