from ecertif.import_export_fr import FrenchModelResource

from .models import Establishment


class EstablishmentResource(FrenchModelResource):
    class Meta:
        model = Establishment
        import_id_fields = ["siret"]
        fields = ["siret", "name", "address", "postcode", "city", "idcc"]
        skip_unchanged = True
        clean_model_instances = True
