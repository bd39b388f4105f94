"""Admin page « Remplacer la liste des compétences » of a certification: upload, preview
(added, changed, removed), confirmation; the replacement itself is in services.py."""

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from .services import (
    clean_competence_rows,
    plan_replacement,
    read_competence_file,
    replace_competences,
    used_message,
)

SIGNING_SALT = "referentiel.replace-competences"
COMPETENCE_PERMISSIONS = [
    "referentiel.add_competence",
    "referentiel.change_competence",
    "referentiel.delete_competence",
]


class CompetenceFileForm(forms.Form):
    file = forms.FileField(
        label="Fichier (xlsx ou csv)",
        help_text=(
            "Une ligne par compétence, colonnes « Numéro » et « Intitulé » (ou « number » et "
            "« label »), comme l'export des compétences ; la colonne « Certification » est "
            "facultative."
        ),
    )


class ReplaceCompetencesMixin:
    """For CertificationAdmin: the URL, the view and the change-page button."""

    change_form_template = "admin/referentiel/certification/change_form.html"

    def get_urls(self):
        own = [
            path(
                "<path:object_id>/remplacer-competences/",
                self.admin_site.admin_view(self.replace_competences_view),
                name="referentiel_certification_replace_competences",
            )
        ]
        return own + super().get_urls()

    def replace_competences_view(self, request, object_id):
        certification = self.get_object(request, unquote(object_id))
        if certification is None:
            raise Http404("Certification introuvable.")
        if not (
            self.has_change_permission(request, certification)
            and request.user.has_perms(COMPETENCE_PERMISSIONS)
        ):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": certification,
            "title": f"Remplacer la liste des compétences : {certification}",
            "form": CompetenceFileForm(),
        }
        if request.method == "POST" and "confirm" in request.POST:
            return self._confirm(request, certification, context)
        if request.method == "POST":
            form = CompetenceFileForm(request.POST, request.FILES)
            context["form"] = form
            if form.is_valid():
                try:
                    headers, rows = read_competence_file(form.cleaned_data["file"])
                    cleaned = clean_competence_rows(certification, headers, rows)
                except ValidationError as error:
                    context["file_errors"] = error.messages
                else:
                    context["plan"] = plan_replacement(certification, cleaned)
                    context["payload"] = signing.dumps(
                        {"certification": certification.pk, "rows": cleaned}, salt=SIGNING_SALT
                    )
                    if context["plan"].used:
                        context["file_errors"] = [used_message(context["plan"].used)]
        return TemplateResponse(
            request, "admin/referentiel/certification/replace_competences.html", context
        )

    def _confirm(self, request, certification, context):
        try:
            data = signing.loads(request.POST.get("payload", ""), salt=SIGNING_SALT)
        except signing.BadSignature:
            data = {}
        if data.get("certification") != certification.pk:
            context["file_errors"] = ["Confirmation invalide : chargez de nouveau le fichier."]
            return TemplateResponse(
                request, "admin/referentiel/certification/replace_competences.html", context
            )
        try:
            plan = replace_competences(certification, [tuple(row) for row in data["rows"]])
        except ValidationError as error:
            context["file_errors"] = error.messages
            return TemplateResponse(
                request, "admin/referentiel/certification/replace_competences.html", context
            )
        self.message_user(
            request,
            f"Liste des compétences remplacée et marquée comme officielle : "
            f"{len(plan.added)} ajoutée(s), {len(plan.changed)} modifiée(s), "
            f"{len(plan.removed)} supprimée(s).",
            messages.SUCCESS,
        )
        return redirect(reverse("admin:referentiel_certification_change", args=[certification.pk]))
