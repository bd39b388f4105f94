import jurys.models
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("jurys", "0005_verification_codes"),
    ]

    operations = [
        migrations.AlterField(
            model_name="issueddocument",
            name="verification_code",
            field=models.CharField(
                default=jurys.models.new_verification_code,
                editable=False,
                help_text="Imprimé sur le document (QR code) : ouvre sa page publique de vérification.",
                max_length=20,
                unique=True,
                verbose_name="code de vérification",
            ),
        ),
    ]
