from django.db import migrations

CHANNELS = [
    "web_portal",
    "e_account",
    "kac",
    "phone",
    "post",
    "email",
    "institution_system",
    "third_party_portal",
]


def create_channel_options(apps, schema_editor):
    ChannelOption = apps.get_model("catalog", "ChannelOption")
    for code in CHANNELS:
        ChannelOption.objects.get_or_create(code=code)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_initial")]

    operations = [migrations.RunPython(create_channel_options, migrations.RunPython.noop)]
