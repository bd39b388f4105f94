"""Every document already issued gets its random verification code."""

import secrets

from django.db import migrations

ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def give_codes(apps, schema_editor):
    IssuedDocument = apps.get_model("jurys", "IssuedDocument")
    used = set()
    documents = list(IssuedDocument.objects.filter(verification_code__isnull=True))
    for document in documents:
        code = "".join(secrets.choice(ALPHABET) for _ in range(20))
        while code in used:
            code = "".join(secrets.choice(ALPHABET) for _ in range(20))
        used.add(code)
        document.verification_code = code
    IssuedDocument.objects.bulk_update(documents, ["verification_code"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("jurys", "0004_document_series"),
    ]

    operations = [
        migrations.RunPython(give_codes, migrations.RunPython.noop),
    ]
