"""Trigram indexes so that substring search over folded text stays fast on PostgreSQL (pg_trgm)."""

from django.db import migrations

FORWARD = """
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX IF NOT EXISTS catalog_service_search_text_trgm
    ON catalog_service USING gin (search_text gin_trgm_ops);
CREATE INDEX IF NOT EXISTS catalog_service_search_title_trgm
    ON catalog_service USING gin (search_title gin_trgm_ops);
"""

BACKWARD = """
DROP INDEX IF EXISTS catalog_service_search_text_trgm;
DROP INDEX IF EXISTS catalog_service_search_title_trgm;
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0002_channel_options")]

    operations = [migrations.RunPython(forward, backward)]
