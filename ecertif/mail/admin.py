from django.contrib import admin

from .models import OutboxEmail
from .tasks import send_outbox_email


@admin.register(OutboxEmail)
class OutboxEmailAdmin(admin.ModelAdmin):
    list_display = ["created_at", "recipient", "subject", "status", "attempts", "sent_at"]
    list_filter = ["status"]
    search_fields = ["recipient", "subject"]
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in OutboxEmail._meta.fields]
    actions = ["resend"]

    def has_add_permission(self, request):
        return False

    @admin.action(description="Renvoyer les courriels sélectionnés")
    def resend(self, request, queryset):
        count = 0
        for email in queryset:
            email.status = "pending"
            email.attempts = 0
            email.save(update_fields=["status", "attempts"])
            send_outbox_email.delay(email.pk)
            count += 1
        self.message_user(request, f"{count} courriel(s) remis en file d'envoi.")
