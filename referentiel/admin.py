from django.contrib import admin, messages

from ecertif.audit.history_admin import FieldHistoryAdmin
from ecertif.import_export_fr import FrenchImportExportModelAdmin

from .admin_replace import ReplaceCompetencesMixin
from .models import Certification, CertificationOption, Competence, Sector, TrainingScheme
from .resources import (
    CertificationOptionResource,
    CertificationResource,
    CompetenceResource,
    SectorResource,
    TrainingSchemeResource,
)


class ReferentielAdmin(FieldHistoryAdmin, FrenchImportExportModelAdmin):
    """The référentiel's lists, with their history and French import/export."""


class CertificationInline(admin.TabularInline):
    model = Certification
    fields = ("code", "kind", "label", "level", "active", "position")
    extra = 0
    show_change_link = True


@admin.register(Sector)
class SectorAdmin(ReferentielAdmin):
    resource_classes = [SectorResource]
    list_display = ("name", "code", "position")
    list_editable = ("position",)
    search_fields = ("name", "code")
    prepopulated_fields = {"code": ("name",)}
    inlines = [CertificationInline]


class CompetenceInline(admin.TabularInline):
    model = Competence
    fields = ("number", "label")
    extra = 0


class CertificationOptionInline(admin.TabularInline):
    model = CertificationOption
    fields = ("code", "label")
    extra = 0


class RegisterCodeFilter(admin.SimpleListFilter):
    title = "code France compétences"
    parameter_name = "code_repertoire"

    def lookups(self, request, model_admin):
        return [("manquant", "Code manquant"), ("renseigne", "Code renseigné")]

    def queryset(self, request, queryset):
        if self.value() == "manquant":
            return queryset.filter(register_number="")
        if self.value() == "renseigne":
            return queryset.exclude(register_number="")
        return queryset


@admin.register(Certification)
class CertificationAdmin(ReplaceCompetencesMixin, ReferentielAdmin):
    resource_classes = [CertificationResource]
    list_display = (
        "label",
        "kind",
        "sector",
        "level",
        "active",
        "provisional_list",
        "capitalisation_years",
        "register",
    )
    list_filter = (
        "competences_provisional",
        RegisterCodeFilter,
        "kind",
        "sector",
        "level",
        "active",
    )
    list_select_related = ("sector",)
    search_fields = ("label", "code", "register_number")
    prepopulated_fields = {"code": ("label",)}
    inlines = [CertificationOptionInline, CompetenceInline]
    actions = ["mark_competences_official"]
    fieldsets = (
        (None, {"fields": ("code", "kind", "label", "sector", "level", "position", "active")}),
        (
            "Enregistrement France compétences",
            {
                "fields": ("register_type", "register_number"),
                "description": (
                    "Code déclaré à la Caisse des Dépôts (accrochage) pour chaque titulaire. "
                    "Sans numéro, la certification est signalée « code manquant » et ses "
                    "titulaires ne peuvent pas être déclarés."
                ),
            },
        ),
        (
            "Compétences",
            {
                "fields": ("competences_provisional", "capitalisation_years"),
                "description": (
                    "La liste officielle des compétences se charge par l'import des "
                    "compétences (xlsx ou csv : Certification, Numéro, Intitulé), puis l'action "
                    "« Marquer la liste de compétences comme officielle » ; ou en une fois par "
                    "le bouton « Remplacer la liste des compétences », qui supprime aussi les "
                    "compétences absentes du fichier."
                ),
            },
        ),
    )

    @admin.display(description="Liste provisoire", boolean=True, ordering="competences_provisional")
    def provisional_list(self, obj):
        return obj.competences_provisional

    @admin.display(description="Code France compétences", ordering="register_number")
    def register(self, obj):
        return obj.register_code or "Code manquant"

    @admin.action(description="Marquer la liste de compétences comme officielle")
    def mark_competences_official(self, request, queryset):
        count = queryset.filter(competences_provisional=True).update(competences_provisional=False)
        self.message_user(
            request,
            f"{count} liste(s) de compétences marquée(s) comme officielle(s).",
            messages.SUCCESS,
        )


@admin.register(CertificationOption)
class CertificationOptionAdmin(ReferentielAdmin):
    resource_classes = [CertificationOptionResource]
    list_display = ("label", "code", "certification")
    list_filter = ("certification",)
    list_select_related = ("certification",)
    search_fields = ("label", "code", "certification__label")


@admin.register(Competence)
class CompetenceAdmin(ReferentielAdmin):
    resource_classes = [CompetenceResource]
    list_display = ("number", "label", "certification", "provisional_list")
    list_display_links = ("number", "label")
    list_filter = (
        "certification__competences_provisional",
        "certification__sector",
        "certification",
    )
    list_select_related = ("certification",)
    search_fields = ("label", "certification__label", "certification__code")
    ordering = ("certification__sector__position", "certification__position", "number")

    @admin.display(description="Liste provisoire", boolean=True)
    def provisional_list(self, obj):
        return obj.certification.competences_provisional


@admin.register(TrainingScheme)
class TrainingSchemeAdmin(ReferentielAdmin):
    resource_classes = [TrainingSchemeResource]
    list_display = ("label", "code", "active", "position")
    list_editable = ("active", "position")
    list_filter = ("active",)
    search_fields = ("label", "code", "register_number")
    prepopulated_fields = {"code": ("label",)}
