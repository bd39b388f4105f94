"""Import / export (xlsx, csv) of the référentiel, used by the secretariat in the admin."""

from import_export import fields, resources
from import_export.widgets import ForeignKeyWidget

from .models import Certification, CertificationOption, Competence, Sector, TrainingScheme


class AtomicModelResource(resources.ModelResource):
    """An import is all or nothing: one invalid row rolls back every row, as the admin does."""

    def import_data(self, dataset, *args, rollback_on_validation_errors=True, **kwargs):
        return super().import_data(
            dataset, *args, rollback_on_validation_errors=rollback_on_validation_errors, **kwargs
        )


def certification_field():
    return fields.Field(
        attribute="certification",
        column_name="certification",
        widget=ForeignKeyWidget(Certification, field="code"),
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
        attribute="sector", column_name="sector", widget=ForeignKeyWidget(Sector, field="code")
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
