from django.contrib import admin
from django.db import transaction

from ecertif.admin_tools import EstimatedCountPaginator, QuickActionCheckbox, year_filter

from .enums import EmailStatus
from .models import OutboxEmail
from .services import ERASED, FAILED_FILTER, SCRUBBED
from .tasks import send_outbox_email


class DeliveryFilter(admin.SimpleListFilter):
    """What the secretariat's alert links to: « en échec » (given up) and « en cours d'essais »."""

    title = "envoi"
    parameter_name = "envoi"

    def lookups(self, request, model_admin):
        return [(FAILED_FILTER, "en échec"), ("essais", "nouvel essai prévu")]

    def queryset(self, request, queryset):
        if self.value() == FAILED_FILTER:
            return queryset.filter(status=EmailStatus.FAILED)
        if self.value() == "essais":
            return queryset.filter(status=EmailStatus.RETRYING)
        return queryset


@admin.register(OutboxEmail)
class OutboxEmailAdmin(QuickActionCheckbox, admin.ModelAdmin):
    list_display = [
        "created_at",
        "recipient",
        "subject",
        "status",
        "attempts",
        "next_attempt_at",
        "sent_at",
    ]
    list_filter = [DeliveryFilter, "status", year_filter("created_at")]
    search_fields = ["recipient", "subject"]
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    actions = ["resend"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.resolver_match and request.resolver_match.url_name.endswith("_changelist"):
            # The list shows neither the bodies nor an attachment: 100 rows without them.
            queryset = queryset.only("pk", *self.list_display)
        return queryset

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in OutboxEmail._meta.fields]

    def get_exclude(self, request, obj=None):
        # A personal link (invitation, activation, password reset) is never shown to staff.
        if obj is not None and obj.contains_secret:
            return ["body_text", "body_html"]
        return []

    def get_fields(self, request, obj=None):
        excluded = set(self.get_exclude(request, obj))
        # The attached file's bytes are not shown (its name is).
        excluded |= {"id", "attachment"}
        return [f.name for f in OutboxEmail._meta.fields if f.name not in excluded]

    def has_add_permission(self, request):
        return False

    @admin.action(description="Renvoyer les courriels en échec sélectionnés")
    def resend(self, request, queryset):
        # Only failed emails whose body still exists: an erased personal link cannot be resent.
        retry = queryset.filter(status=EmailStatus.FAILED).exclude(body_text__in=[SCRUBBED, ERASED])
        ids = list(retry.values_list("pk", flat=True))
        with transaction.atomic():
            # A new round of retries, with a new deadline.
            OutboxEmail.objects.filter(pk__in=ids).update(
                status=EmailStatus.PENDING, attempts=0, next_attempt_at=None, give_up_at=None
            )
            for email_id in ids:
                transaction.on_commit(lambda email_id=email_id: send_outbox_email.delay(email_id))
        skipped = queryset.count() - len(ids)
        message = f"{len(ids)} courriel(s) remis en file d'envoi."
        if skipped:
            message += f" {skipped} ignoré(s) : déjà envoyés ou sans contenu à renvoyer."
        self.message_user(request, message)
