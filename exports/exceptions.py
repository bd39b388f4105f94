class ExportError(Exception):
    """A refusal or failure whose message is French and shown as is to the requester."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message
