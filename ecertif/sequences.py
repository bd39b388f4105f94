"""Yearly counters (dossier numbers, certificate numbers): allocated under a row lock, so two
concurrent requests never get the same value and a value is never reused."""

from django.db import transaction


def next_value(sequence_model, *, year, **scope):
    """Increment and return the counter of `year` in `sequence_model` (fields year, last_value,
    plus the fields named in `scope`, e.g. `kind=…` for one series per kind of document)."""
    with transaction.atomic():
        sequence_model.objects.bulk_create(
            [sequence_model(year=year, last_value=0, **scope)], ignore_conflicts=True
        )
        sequence = sequence_model.objects.select_for_update().get(year=year, **scope)
        sequence.last_value += 1
        sequence.save(update_fields=["last_value"])
    return sequence.last_value
