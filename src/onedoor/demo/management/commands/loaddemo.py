import os
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand

from onedoor.catalog.demo_data import load_catalog
from onedoor.core.actors import SYSTEM
from onedoor.demo.accounts import load_accounts, load_placements
from onedoor.demo.contacts import load_contacts
from onedoor.demo.mandates import load_mandates
from onedoor.demo.messages import load_messages
from onedoor.demo.workplace import load_workplace
from onedoor.integration.demo_data import load_systems
from onedoor.parties.demo_data import load_institutions, load_people


class Command(BaseCommand):
    help = "Load the deterministic demo data. Safe to run again: it updates and never duplicates."

    def handle(self, *args: Any, **options: Any) -> None:
        institutions = load_institutions()
        persons, organisations = load_people()
        accounts = load_accounts()
        catalog = load_catalog(actor=SYSTEM)
        load_placements()
        systems = load_systems()
        contacts = load_contacts()
        load_messages()  # after the contacts, so the demo letters' e-mail notices have an address
        load_mandates()
        load_workplace()
        devidp = register_devidp_client()
        self.stdout.write(
            f"demo data: {institutions} institutions, {persons} persons, {organisations} organisations, "
            f"{accounts} staff accounts, {catalog['services']} services, {catalog['categories']} categories, "
            f"{catalog['life_situations']} life situations, {catalog['places']} application places, "
            f"{systems} institution systems, {contacts} confirmed contact points{devidp}"
        )


def register_devidp_client() -> str:
    """The portal's client at the development identity provider (demo settings only), for the port the
    demo serves on (PORT). django-oauth-toolkit accepts 127.0.0.1 on any port (RFC 8252 loopback) but
    "localhost" only on the registered one."""
    if not apps.is_installed("onedoor.devidp"):
        return ""
    from onedoor.devidp.clients import register_portal_client

    port = os.environ.get("PORT", "8000")
    bases = [f"http://127.0.0.1:{port}", f"http://localhost:{port}"]
    application = register_portal_client(
        [f"{base}/oidc/callback/" for base in bases], post_logout_redirect_uris=[f"{base}/" for base in bases]
    )
    return f", sign-in client {application.client_id} at devidp"
