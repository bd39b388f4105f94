"""Who may send a parchemin or attestation to its holder: the dossier's employer and the
secretariat. What may be sent (a standing document, an address) is the service's to say."""

import rules

from dossiers.rules import is_employer_of
from ecertif.accounts.rules import is_secretariat

rules.add_perm("certificates.send_document", is_secretariat | is_employer_of)
