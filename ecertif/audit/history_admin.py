"""The admin's « Historique » page: every field change, old → new, who and when."""

from django.db import models
from simple_history.admin import SimpleHistoryAdmin


class FieldHistoryAdmin(SimpleHistoryAdmin):
    def get_history_queryset(self, request, history_manager, pk_name, object_id):
        # simple-history calls select_related() with no names when the model has no tracked
        # foreign key, which Django 6.1 deprecates: name them ourselves.
        names = [
            field.name
            for field in history_manager.model.tracked_fields
            if isinstance(field, models.ForeignKey)
        ]
        queryset = history_manager.filter(**{pk_name: object_id}).select_related("history_user")
        return queryset.select_related(*names) if names else queryset
