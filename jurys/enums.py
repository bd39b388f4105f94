from django.db import models


class College(models.TextChoices):
    EMPLOYERS = "employers", "Collège employeurs"
    EMPLOYEES = "employees", "Collège salariés"
