from django.conf import settings
from django.db import models

from .enums import College


class JuryMember(models.Model):
    """A member of the national joint jury (« jury paritaire national »)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="jury_member",
        verbose_name="utilisateur",
    )
    college = models.CharField("collège", max_length=10, choices=College.choices)
    organisation = models.CharField(
        "organisation", max_length=200, help_text="Par exemple France Chimie, FCE-CFDT."
    )
    active = models.BooleanField("actif", default=True)

    class Meta:
        verbose_name = "membre du jury"
        verbose_name_plural = "membres du jury"
        ordering = ["user__last_name", "user__first_name"]

    def __str__(self):
        return f"{self.user.get_full_name() or self.user.email} ({self.get_college_display()})"
