"""Parchemins and attestations get one number series each per year. The new series start
after the highest number already given in each (kind, year): no existing number changes and
none is ever given twice."""

from django.db import migrations, models

PREFIXES = {"P": "certificate", "A": "attestation"}


def series_from_documents(apps, schema_editor):
    IssuedDocument = apps.get_model("jurys", "IssuedDocument")
    DocumentSeries = apps.get_model("jurys", "DocumentSeries")
    last = {}
    for number in IssuedDocument.objects.values_list("number", flat=True).iterator():
        prefix, year, value = number.split("-")
        key = (PREFIXES[prefix], int(year))
        last[key] = max(last.get(key, 0), int(value))
    DocumentSeries.objects.bulk_create(
        DocumentSeries(kind=kind, year=year, last_value=value)
        for (kind, year), value in sorted(last.items())
    )


def shared_counter_from_series(apps, schema_editor):
    DocumentSeries = apps.get_model("jurys", "DocumentSeries")
    DocumentNumberSequence = apps.get_model("jurys", "DocumentNumberSequence")
    highest = {}
    for series in DocumentSeries.objects.all():
        highest[series.year] = max(highest.get(series.year, 0), series.last_value)
    DocumentNumberSequence.objects.bulk_create(
        DocumentNumberSequence(year=year, last_value=value) for year, value in highest.items()
    )


class Migration(migrations.Migration):
    dependencies = [
        ("jurys", "0003_registration_end_kind"),
    ]

    operations = [
        migrations.CreateModel(
            name="DocumentSeries",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("certificate", "Parchemin"),
                            ("attestation", "Attestation de compétences"),
                        ],
                        max_length=12,
                        verbose_name="type",
                    ),
                ),
                ("year", models.PositiveSmallIntegerField(verbose_name="année")),
                (
                    "last_value",
                    models.PositiveIntegerField(default=0, verbose_name="dernier numéro attribué"),
                ),
            ],
            options={
                "verbose_name": "série de numéros de documents",
                "verbose_name_plural": "séries de numéros de documents",
                "ordering": ["-year", "kind"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("kind", "year"), name="one_series_per_kind_and_year"
                    )
                ],
            },
        ),
        migrations.RunPython(series_from_documents, shared_counter_from_series),
        migrations.DeleteModel(name="DocumentNumberSequence"),
        migrations.AddField(
            model_name="issueddocument",
            name="verification_code",
            field=models.CharField(
                editable=False, max_length=20, null=True, verbose_name="code de vérification"
            ),
        ),
    ]
