"""django-import-export in French for the secretariat: column titles, export form, admin.

The library titles a column with the field's name (`number`, shown « Number » on the export
form): here every column is titled with the model field's French verbose name (« Numéro »).
Files written with the technical names (`number`, `label`) still import: their headers are
renamed to the French titles before the import reads them.
"""

from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.text import capfirst
from import_export import resources
from import_export.admin import ImportExportModelAdmin
from import_export.formats.base_formats import CSV, XLSX
from import_export.forms import SelectableFieldsExportForm
from import_export.results import RowResult


def french_title(django_field):
    return capfirst(str(django_field.verbose_name))


class FrenchModelResource(resources.ModelResource):
    """Columns titled in French; headers given by field name or in any case still match."""

    @classmethod
    def get_display_name(cls):
        # Shown to the secretariat (« au moins 1 champ pour "compétences" »), not the class name.
        if hasattr(cls._meta, "name") or cls._meta.model is None:
            return super().get_display_name()
        return str(cls._meta.model._meta.verbose_name_plural)

    @classmethod
    def field_from_django_field(cls, field_name, django_field, readonly):
        field = super().field_from_django_field(field_name, django_field, readonly)
        field.column_name = french_title(django_field)
        return field

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        """A refused row names its columns as the file does (« Intitulé »), not as the code
        does (« label »)."""
        try:
            super().validate_instance(instance, import_validation_errors, validate_unique)
        except ValidationError as error:
            titles = {}
            for name, field in self.fields.items():
                titles[name] = titles[str(field.attribute)] = field.column_name
            raise ValidationError(
                {
                    key if key == NON_FIELD_ERRORS else titles.get(key, key): messages_
                    for key, messages_ in error.message_dict.items()
                }
            ) from None

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        titles = {}
        for name, field in self.fields.items():
            for alias in (name, field.attribute, field.column_name):
                if alias:
                    titles[str(alias).strip().casefold()] = field.column_name
        if dataset.headers:
            dataset.headers = [
                titles.get(str(header or "").strip().casefold(), header)
                for header in dataset.headers
            ]


class FrenchExportForm(SelectableFieldsExportForm):
    """Each checkbox of the export form labelled with the column's French title."""

    def _get_field_label(self, resource, field_name):
        field = resource.fields.get(field_name)
        return field.column_name if field else field_name


class FrenchImportExportModelAdmin(ImportExportModelAdmin):
    """Import and export in xlsx or csv, with French columns (a model without its own resource
    gets a French one)."""

    formats = [XLSX, CSV]
    export_form_class = FrenchExportForm

    def get_resource_classes(self, request):
        if not self.resource_classes:
            return [resources.modelresource_factory(self.model, FrenchModelResource)]
        return super().get_resource_classes(request)

    def add_success_message(self, result, request):
        # The library's French catalogue says « 1 nouveaux … sautés pour les … ».
        totals = result.totals
        messages.success(
            request,
            f"Import terminé ({self.model._meta.verbose_name_plural}) : "
            f"{totals[RowResult.IMPORT_TYPE_NEW]} ligne(s) ajoutée(s), "
            f"{totals[RowResult.IMPORT_TYPE_UPDATE]} modifiée(s), "
            f"{totals[RowResult.IMPORT_TYPE_DELETE]} supprimée(s), "
            f"{totals[RowResult.IMPORT_TYPE_SKIP]} inchangée(s).",
        )
