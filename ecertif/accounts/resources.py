from import_export import resources

from .models import Establishment


class EstablishmentResource(resources.ModelResource):
    class Meta:
        model = Establishment
        import_id_fields = ["siret"]
        fields = ["siret", "name", "address", "postcode", "city", "idcc"]
        skip_unchanged = True
        clean_model_instances = True
