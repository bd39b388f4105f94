from django.apps import AppConfig


class MailConfig(AppConfig):
    name = "ecertif.mail"
    label = "mail"
    verbose_name = "Courriels"
