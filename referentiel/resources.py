"""Import / export (xlsx, csv) of the référentiel, used by the secretariat in the admin."""

from import_export import fields, widgets
from import_export.widgets import ForeignKeyWidget

from ecertif.import_export_fr import FrenchModelResource

from .models import Certification, CertificationOption, Competence, Sector, TrainingScheme


class FrenchIntegerWidget(widgets.IntegerWidget):
    """« abc » in a number column: a French message, not the repr of decimal's exception."""

    def clean(self, value, row=None, **kwargs):
        try:
            return super().clean(value, row=row, **kwargs)
        except (ArithmeticError, ValueError, TypeError):
            raise ValueError(f"« {value} » n'est pas un nombre entier.") from None


class AtomicModelResource(FrenchModelResource):
    """An import is all or nothing: one invalid row rolls back every row, as the admin does."""

    @classmethod
    def widget_from_django_field(cls, f, default=widgets.Widget):
        widget = super().widget_from_django_field(f, default=default)
        return FrenchIntegerWidget if widget is widgets.IntegerWidget else widget

    def import_data(self, dataset, *args, rollback_on_validation_errors=True, **kwargs):
        return super().import_data(
            dataset, *args, rollback_on_validation_errors=rollback_on_validation_errors, **kwargs
        )


class CodeWidget(ForeignKeyWidget):
    """A foreign key given by its code, with a French error naming the column and the value
    (the admin shows it with the row number) instead of « matching query does not exist »."""

    def __init__(self, model, column, **kwargs):
        self.column = column
        super().__init__(model, field="code", **kwargs)

    def clean(self, value, row=None, **kwargs):
        try:
            return super().clean(value, row=row, **kwargs)
        except self.model.DoesNotExist:
            raise ValueError(
                f"colonne « {self.column} » : aucun(e) {self.model._meta.verbose_name} "
                f"n'a le code « {value} »."
            ) from None


def certification_field():
    return fields.Field(
        attribute="certification",
        column_name="Certification",
        widget=CodeWidget(Certification, "Certification"),
    )


class SectorResource(AtomicModelResource):
    class Meta:
        model = Sector
        fields = ("code", "name", "position")
        import_id_fields = ("code",)
        clean_model_instances = True
        skip_unchanged = True


class CertificationResource(AtomicModelResource):
    sector = fields.Field(
        attribute="sector", column_name="Filière", widget=CodeWidget(Sector, "Filière")
    )

    class Meta:
        model = Certification
        fields = (
            "code",
            "kind",
            "label",
            "sector",
            "level",
            "active",
            "capitalisation_years",
            "competences_provisional",
            "register_type",
            "register_number",
            "position",
        )
        import_id_fields = ("code",)
        clean_model_instances = True
        skip_unchanged = True


class CertificationOptionResource(AtomicModelResource):
    certification = certification_field()

    class Meta:
        model = CertificationOption
        fields = ("certification", "code", "label")
        import_id_fields = ("certification", "code")
        clean_model_instances = True
        skip_unchanged = True


class CompetenceResource(AtomicModelResource):
    """Rows are matched on (certification code, number): importing the official list of a
    certification updates the provisional labels in place and adds the missing numbers."""

    certification = certification_field()

    class Meta:
        model = Competence
        fields = ("certification", "number", "label")
        import_id_fields = ("certification", "number")
        clean_model_instances = True
        skip_unchanged = True

    def get_queryset(self):
        return super().get_queryset().select_related("certification")


class TrainingSchemeResource(AtomicModelResource):
    class Meta:
        model = TrainingScheme
        fields = ("code", "label", "active", "position")
        import_id_fields = ("code",)
        clean_model_instances = True
        skip_unchanged = True
