from django import forms
from django.contrib import admin, messages
from django.db import models
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone

from dossiers.exceptions import DossierActionError
from ecertif.admin_tools import ReadOnlyAdminMixin
from ecertif.audit.history_admin import FieldHistoryAdmin
from ecertif.import_export_fr import FrenchImportExportModelAdmin

from . import services
from .models import (
    CompetenceDecision,
    IssuedDocument,
    JuryDecision,
    JuryMember,
    JurySession,
    SessionRegistration,
)


@admin.register(JuryMember)
class JuryMemberAdmin(FieldHistoryAdmin, FrenchImportExportModelAdmin):
    list_display = ["__str__", "college", "organisation", "active"]
    list_filter = ["college", "active"]
    list_select_related = ["user"]
    search_fields = ["user__email", "user__last_name", "organisation"]
    autocomplete_fields = ["user"]


class RegistrationInline(admin.TabularInline):
    model = SessionRegistration
    extra = 0
    can_delete = False
    fields = ["dossier", "registered_by", "registered_at", "ended_at", "end_kind", "end_reason"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class JurySessionAdminForm(forms.ModelForm):
    """A new session is planned ahead: neither its date nor its deadline in the past."""

    class Meta:
        model = JurySession
        fields = ["date", "registration_deadline"]  # the admin passes its own list

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None:
            today = timezone.localdate()
            for name in ["date", "registration_deadline"]:
                value = cleaned.get(name)
                if value and value < today:
                    self.add_error(
                        name,
                        f"Choisissez une date à partir d'aujourd'hui ({today:%d/%m/%Y}) : "
                        "une nouvelle session ne peut pas être dans le passé.",
                    )
        return cleaned


@admin.register(JurySession)
class JurySessionAdmin(FieldHistoryAdmin, admin.ModelAdmin):
    form = JurySessionAdminForm
    list_display = ["date", "place", "registration_deadline", "status", "president"]
    list_filter = ["status"]
    list_select_related = ["president__user"]
    date_hierarchy = "date"
    # Labelled checkboxes: the admin's filter_horizontal widget has no accessible name.
    formfield_overrides = {models.ManyToManyField: {"widget": forms.CheckboxSelectMultiple}}
    readonly_fields = ["status", "reminder_sent_at"]
    inlines = [RegistrationInline]
    actions = ["open_sessions", "close_sessions"]

    def _run(self, request, queryset, service, done):
        for session in queryset:
            try:
                service(session=session, by=request.user)
            except DossierActionError as error:
                self.message_user(
                    request, f"{session} : {' '.join(error.messages)}", messages.ERROR
                )
            else:
                self.message_user(request, f"{session} : {done}", messages.SUCCESS)

    @admin.action(description="Ouvrir aux inscriptions")
    def open_sessions(self, request, queryset):
        self._run(request, queryset, services.session_open, "ouverte aux inscriptions.")

    @admin.action(description="Clôturer (les dossiers non examinés sont libérés)")
    def close_sessions(self, request, queryset):
        self._run(request, queryset, services.session_close, "clôturée.")


class CompetenceDecisionInline(admin.TabularInline):
    model = CompetenceDecision
    extra = 0
    can_delete = False
    fields = ["competence", "validated", "carried", "motivation"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label="Motif de l'annulation", widget=forms.Textarea(attrs={"rows": 3})
    )


@admin.register(JuryDecision)
class JuryDecisionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: decisions are recorded by the jury; the secretariat can only revoke them."""

    list_display = ["dossier", "session", "outcome", "recorded_at", "revoked_at"]
    list_filter = ["outcome", "session"]
    list_select_related = ["dossier", "session"]
    search_fields = ["dossier__number", "dossier__candidate__birth_name"]
    inlines = [CompetenceDecisionInline]
    actions = ["revoke"]

    @admin.action(description="Annuler les décisions sélectionnées (avec un motif)")
    def revoke(self, request, queryset):
        standing = queryset.filter(revoked_at__isnull=True).select_related("dossier")
        form = RevokeForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            for decision in standing:
                try:
                    services.decision_revoke(
                        dossier=decision.dossier,
                        by=request.user,
                        reason=form.cleaned_data["reason"],
                    )
                except DossierActionError as error:
                    self.message_user(request, " ".join(error.messages), messages.ERROR)
                else:
                    self.message_user(
                        request,
                        f"Décision du dossier {decision.dossier} annulée.",
                        messages.SUCCESS,
                    )
            return redirect(request.get_full_path())
        return TemplateResponse(
            request,
            "admin/jurys/jurydecision/revoke.html",
            {
                **self.admin_site.each_context(request),
                "title": "Annuler des décisions du jury",
                "decisions": standing,
                "form": form,
                "opts": self.model._meta,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )


@admin.register(IssuedDocument)
class IssuedDocumentAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["number", "kind", "decision", "issued_at"]
    list_filter = ["kind"]
    search_fields = ["number", "decision__dossier__number"]
    list_select_related = ["decision__dossier"]
