from django import forms
from django.contrib import admin
from django.db import models

from ecertif.audit.history_admin import FieldHistoryAdmin
from ecertif.import_export_fr import FrenchImportExportModelAdmin

from .models import (
    Accreditation,
    Assessment,
    Assessor,
    CompetenceResult,
    WorkplaceAssessorInvitation,
)


class AccreditationInline(admin.TabularInline):
    model = Accreditation
    extra = 0
    # Labelled checkboxes: the admin's filter_horizontal widget has no accessible name.
    formfield_overrides = {models.ManyToManyField: {"widget": forms.CheckboxSelectMultiple}}


@admin.register(Assessor)
class AssessorAdmin(FieldHistoryAdmin, FrenchImportExportModelAdmin):
    list_display = ["__str__", "accreditation_number", "organisation"]
    list_select_related = ["user"]
    search_fields = ["accreditation_number", "user__email", "user__last_name", "organisation"]
    autocomplete_fields = ["user"]
    inlines = [AccreditationInline]


@admin.register(Accreditation)
class AccreditationAdmin(FieldHistoryAdmin):
    """Edited in the assessor's page; here for the field history (« Historique »)."""

    list_display = ["__str__", "valid_from", "valid_until"]
    list_select_related = ["assessor__user"]
    search_fields = ["assessor__accreditation_number", "assessor__user__email"]
    filter_horizontal = ["certifications"]


class CompetenceResultInline(admin.TabularInline):
    model = CompetenceResult
    extra = 0
    can_delete = False
    fields = ["competence", "result", "comment", "workplace_observation"]
    # Written by the assessors through their pages only (history, guards, notifications).
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class InvitationInline(admin.TabularInline):
    model = WorkplaceAssessorInvitation
    extra = 0
    can_delete = False
    # The token hash is never shown: a new link is sent from the assessor's page.
    fields = ["name", "email", "function", "sent_at", "expires_at", "observations_submitted_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    list_display = ["dossier", "assessor", "created_at", "completed_at"]
    list_filter = ["completed_at"]
    list_select_related = ["dossier", "assessor__user"]
    search_fields = ["dossier__number", "dossier__candidate__birth_name", "assessor__user__email"]
    exclude = ["guide_content_type", "guide_size"]

    def get_readonly_fields(self, request, obj=None):
        # Read-only: the assessment is written by the assessor, through the services.
        return [f.name for f in Assessment._meta.fields if f.name not in self.exclude]

    inlines = [InvitationInline, CompetenceResultInline]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(WorkplaceAssessorInvitation)
class WorkplaceAssessorInvitationAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "email",
        "assessment",
        "sent_at",
        "observations_submitted_at",
        "revoked_at",
    ]
    list_select_related = ["assessment__dossier"]
    search_fields = ["name", "email", "assessment__dossier__number"]
    exclude = ["token_hash"]

    def get_readonly_fields(self, request, obj=None):
        # Re-send and revoke happen on the assessor's page (new token, history of sessions).
        return [f.name for f in WorkplaceAssessorInvitation._meta.fields if f.name != "token_hash"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
