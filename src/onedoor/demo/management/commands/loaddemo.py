from typing import Any

from django.core.management.base import BaseCommand

from onedoor.catalog.demo_data import load_catalog
from onedoor.core.actors import SYSTEM
from onedoor.demo.accounts import load_accounts
from onedoor.demo.contacts import load_contacts
from onedoor.integration.demo_data import load_systems
from onedoor.parties.demo_data import load_institutions, load_people


class Command(BaseCommand):
    help = "Load the deterministic demo data. Safe to run again: it updates and never duplicates."

    def handle(self, *args: Any, **options: Any) -> None:
        institutions = load_institutions()
        persons, organisations = load_people()
        accounts = load_accounts()
        catalog = load_catalog(actor=SYSTEM)
        systems = load_systems()
        contacts = load_contacts()
        self.stdout.write(
            f"demo data: {institutions} institutions, {persons} persons, {organisations} organisations, "
            f"{accounts} staff accounts, {catalog['services']} services, {catalog['categories']} categories, "
            f"{catalog['life_situations']} life situations, {catalog['places']} application places, "
            f"{systems} institution systems, {contacts} confirmed contact points"
        )
