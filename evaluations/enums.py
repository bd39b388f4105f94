from django.db import models


class ResultChoice(models.TextChoices):
    ACQUIRED = "acquired", "Acquis"
    NOT_ACQUIRED = "not_acquired", "Non acquis"


# An invitation link is valid this long; a pending one gets one reminder after a week.
INVITATION_VALIDITY_DAYS = 60
INVITATION_REMINDER_DAYS = 7
