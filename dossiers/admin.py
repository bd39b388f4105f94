from django import forms
from django.contrib import admin, messages
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from ecertif.accounts.models import Establishment
from ecertif.admin_tools import (
    EstimatedCountPaginator,
    QuickActionCheckbox,
    ReadOnlyAdminMixin,
    choices_filter,
    year_filter,
)
from ecertif.audit.history_admin import FieldHistoryAdmin
from ecertif.audit.models import AccessAction
from ecertif.audit.services import log_access
from ecertif.import_export_fr import FrenchImportExportModelAdmin

from . import workflow
from .access_export import candidate_zip
from .enums import DossierState, Transition
from .exceptions import DossierActionError
from .models import Attachment, Candidate, Dossier, DossierTransition, TrainingProvider
from .selectors import search_ids


class TransitionInline(admin.TabularInline):
    model = DossierTransition
    extra = 0
    can_delete = False
    fields = ["at", "transition_label", "source_label", "target_label", "actor", "reason"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class AttachmentInline(admin.TabularInline):
    model = Attachment
    extra = 0
    can_delete = False
    fields = [
        "kind",
        "label",
        "original_name",
        "content_type",
        "size",
        "uploaded_by",
        "uploaded_at",
    ]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class ReasonForm(forms.Form):
    reason = forms.CharField(label="Motif", widget=forms.Textarea(attrs={"rows": 4}))


def admin_transitions(dossier, user):
    """The buttons of the change page (SPEC §7): the transitions that take a reason, offered
    to `user` by the table, performed by the same services as in the application."""
    return [step for step in workflow.available_transitions(dossier, user) if step.needs_reason]


@admin.register(Dossier)
class DossierAdmin(QuickActionCheckbox, FieldHistoryAdmin, admin.ModelAdmin):
    list_display = ["number", "candidate", "certification", "establishment", "state", "created_at"]
    list_filter = [
        "state",
        "certification",
        "training_scheme",
        "establishment__region",
        year_filter("created_at", "année de création"),
    ]
    list_select_related = ["candidate", "certification", "establishment"]
    # Searched by `get_search_results`: number, candidate's names, establishment's name or SIRET.
    search_fields = ["number"]
    search_help_text = "N° de dossier, nom du candidat, raison sociale ou SIRET de l'établissement."
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    readonly_fields = ["number", "state", "created_by", "created_at", "submitted_at", "origin"]
    autocomplete_fields = ["candidate", "provider", "assessor"]
    inlines = [AttachmentInline, TransitionInline]
    change_form_template = "admin/dossiers/dossier/change_form.html"

    def has_delete_permission(self, request, obj=None):
        return False  # nothing but a registering dossier is deleted, by its employer

    def get_search_results(self, request, queryset, search_term):
        """The list's index-backed UNION (number, candidate's names), plus the dossiers of the
        establishments found by name or SIRET (a small table); never a DISTINCT."""
        term = search_term.strip()
        if not term:
            return queryset, False
        establishments = Establishment.objects.filter(
            Q(name__icontains=term) | Q(siret=term.replace(" ", ""))
        ).values("pk")
        by_establishment = Dossier.objects.filter(establishment_id__in=establishments).values("pk")
        return queryset.filter(pk__in=search_ids(term).union(by_establishment)), False

    def get_readonly_fields(self, request, obj=None):
        # Once submitted, the setup is part of the audited workflow: corrections go through
        # the transitions (return for completion, reopen), which write the history.
        if obj is not None and obj.state != DossierState.REGISTERING:
            return [f.name for f in Dossier._meta.fields]
        return self.readonly_fields

    def get_urls(self):
        return [
            path(
                "<int:pk>/transition/<slug:name>/",
                self.admin_site.admin_view(self.transition_view),
                name="dossiers_dossier_transition",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        dossier = self.get_object(request, object_id)
        steps = admin_transitions(dossier, request.user) if dossier is not None else []
        extra_context = {**(extra_context or {}), "admin_transitions": steps}
        return super().change_view(request, object_id, form_url, extra_context)

    def transition_view(self, request, pk, name):
        dossier = get_object_or_404(Dossier, pk=pk)
        step = workflow.TRANSITIONS.get(name)
        if step is None or not step.needs_reason:
            messages.error(request, "Action inconnue.")
            return redirect(reverse("admin:dossiers_dossier_change", args=[pk]))
        label = step.label
        form = ReasonForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                workflow.service(name)(
                    dossier=dossier, by=request.user, reason=form.cleaned_data["reason"]
                )
            except DossierActionError as error:
                for message in error.messages:
                    messages.error(request, message)
            else:
                messages.success(request, f"{label} : fait pour le dossier {dossier.number}.")
            return redirect(reverse("admin:dossiers_dossier_change", args=[pk]))
        return TemplateResponse(
            request,
            "admin/dossiers/dossier/transition.html",
            {
                **self.admin_site.each_context(request),
                "title": f"{label} — {dossier.number}",
                "dossier": dossier,
                "form": form,
                "opts": self.model._meta,
            },
        )


@admin.register(Candidate)
class CandidateAdmin(QuickActionCheckbox, FieldHistoryAdmin, admin.ModelAdmin):
    list_display = ["birth_name", "first_names", "birth_date", "establishment"]
    list_select_related = ["establishment"]
    search_fields = ["birth_name", "usage_name", "first_names", "email"]
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    actions = ["export_personal_data"]

    def get_search_results(self, request, queryset, search_term):
        """Names through their trigram indexes; an email address (with « @ ») exactly."""
        term = search_term.strip()
        if not term:
            return queryset, False
        if "@" in term:
            return queryset.filter(email__iexact=term), False
        names = Q(birth_name__icontains=term) | Q(usage_name__icontains=term)
        return queryset.filter(names | Q(first_names__icontains=term)), False

    @admin.action(description="Exporter toutes les données détenues (RGPD, ZIP)")
    def export_personal_data(self, request, queryset):
        candidate = queryset.first()
        if queryset.count() != 1:
            self.message_user(
                request, "Choisissez un seul candidat pour cet export.", messages.WARNING
            )
            return None
        log_access(
            request=request,
            action=AccessAction.EXPORT,
            object_type="art15",
            object_id=candidate.pk,
            candidate_ids=[candidate.pk],
        )
        response = HttpResponse(candidate_zip(candidate), content_type="application/zip")
        response["Content-Disposition"] = (
            f'attachment; filename="donnees-candidat-{candidate.pk}.zip"'
        )
        response["Cache-Control"] = "private, no-store"
        return response


@admin.register(TrainingProvider)
class TrainingProviderAdmin(FrenchImportExportModelAdmin):
    list_display = ["name", "siret", "nda_number", "city"]
    search_fields = ["name", "siret", "city"]


@admin.register(DossierTransition)
class DossierTransitionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["at", "dossier", "transition_label", "source_label", "target_label", "actor"]
    list_filter = [choices_filter("transition", Transition.choices, "action"), "target"]
    list_select_related = ["dossier", "actor"]
    search_fields = ["dossier__number"]
    show_full_result_count = False
    paginator = EstimatedCountPaginator
