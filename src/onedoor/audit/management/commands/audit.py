from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from onedoor.audit.selectors import audit_chain_verify


class Command(BaseCommand):
    help = "Audit log tools. `audit verify` checks the hash chain and names the first broken record."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("operation", choices=["verify"])

    def handle(self, *args: Any, operation: str, **options: Any) -> None:
        report = audit_chain_verify()
        if report.broken is not None:
            raise CommandError(
                f"audit chain broken at record #{report.broken.sequence}: {report.broken.reason} "
                f"({report.checked} records before it are intact)"
            )
        self.stdout.write(f"audit chain intact: {report.checked} records verified")
