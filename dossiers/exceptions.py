class DossierActionError(Exception):
    """An action refused on a dossier; `messages` tell the user, in French, what to do."""

    def __init__(self, *messages):
        self.messages = list(messages)
        super().__init__(" ".join(self.messages))


ALREADY_MOVED = (
    "Quelqu'un a été plus rapide que vous : ce dossier a changé de statut entre-temps. "
    "Rechargez la page pour voir son état actuel."
)
NOT_ALLOWED = "Vous n'avez pas le droit d'effectuer cette action sur ce dossier."
NOT_EDITABLE = "Ce dossier n'est plus modifiable : il a été soumis à l'évaluateur."
