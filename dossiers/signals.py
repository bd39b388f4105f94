from django.dispatch import Signal

# Sent inside the submit transaction: the assessment app opens the dossier's assessment.
dossier_submitted = Signal()
