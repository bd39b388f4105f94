from django.utils import timezone

from .models import Assessor


def accredited_assessors(*, certification, day=None):
    """Assessors holding an accreditation for `certification` valid on `day` (today by default)."""
    day = day or timezone.localdate()
    return (
        Assessor.objects.filter(
            accreditations__certifications=certification,
            accreditations__valid_from__lte=day,
            accreditations__valid_until__gte=day,
        )
        .select_related("user")
        .distinct()
        .order_by("user__last_name", "user__first_name")
    )


def is_accredited(*, assessor, certification, day=None):
    return (
        accredited_assessors(certification=certification, day=day).filter(pk=assessor.pk).exists()
    )
