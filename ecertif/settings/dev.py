from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)
# Demo accounts use no second factor while developing (SPEC §12).
ECERTIF_MFA_REQUIRED = env.bool("MFA_REQUIRED", default=False)
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
