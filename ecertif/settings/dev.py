from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)
# Demo accounts use no second factor while developing (SPEC §12).
ECERTIF_MFA_REQUIRED = env.bool("MFA_REQUIRED", default=False)
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
# Parchemins are signed with a self-signed demo certificate created on first use (var/).
DOCUMENT_SIGNING_DEMO = True
DOCUMENT_SIGNING_KEY = env(
    "DOCUMENT_SIGNING_KEY",
    default=str(BASE_DIR / "var" / "signing" / "demo-key.pem"),  # noqa: F405
)
DOCUMENT_SIGNING_CERTIFICATE = env(
    "DOCUMENT_SIGNING_CERTIFICATE",
    default=str(BASE_DIR / "var" / "signing" / "demo-certificate.pem"),  # noqa: F405
)
# Demo identifiers of the Caisse des Dépôts flows (the real ones come from the CDC).
ACCROCHAGE_ID_CLIENT = env("ACCROCHAGE_ID_CLIENT", default="DEMO0001")
ACCROCHAGE_ID_CONTRAT = env("ACCROCHAGE_ID_CONTRAT", default="DEMOCONTRAT01")
