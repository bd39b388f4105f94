"""The admin's pages that come from Django and allauth, in French: permissions are listed as
« Peut modifier » rather than « Can change » (Django stores English names), and allauth's
authenticators appear as « Méthodes de double authentification »."""

from allauth.mfa.models import Authenticator
from django import forms
from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.models import Group

from .models import MFAMethod

ACTIONS = {
    "add": "Peut ajouter",
    "change": "Peut modifier",
    "delete": "Peut supprimer",
    "view": "Peut voir",
}


def permission_label(permission):
    """« Comptes et établissements | établissement | Peut modifier »."""
    content_type = permission.content_type
    model = content_type.model_class()
    model_name = model._meta.verbose_name if model else content_type.model
    app_name = model._meta.app_config.verbose_name if model else content_type.app_label
    action, _, rest = permission.codename.partition("_")
    name = ACTIONS[action] if action in ACTIONS and rest == content_type.model else permission.name
    return f"{app_name} | {model_name} | {name}"


class PermissionField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return permission_label(obj)


class FrenchPermissionsMixin:
    """Permissions (groups and users) listed in French."""

    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        if db_field.name in ("permissions", "user_permissions"):
            kwargs["form_class"] = PermissionField
        return super().formfield_for_manytomany(db_field, request=request, **kwargs)


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(FrenchPermissionsMixin, BaseGroupAdmin):
    pass


admin.site.unregister(Authenticator)


@admin.register(MFAMethod)
class MFAMethodAdmin(admin.ModelAdmin):
    """Looked at and deleted (a lost phone), never written: allauth sets them up."""

    list_display = ["owner", "kind", "created", "last_used"]
    list_filter = ["type"]
    list_select_related = ["user"]
    search_fields = ["user__email", "user__last_name"]
    fields = readonly_fields = ["owner", "kind", "created", "last_used"]

    @admin.display(description="utilisateur", ordering="user__email")
    def owner(self, obj):
        return obj.user

    @admin.display(description="méthode", ordering="type")
    def kind(self, obj):
        return obj.get_type_display()

    @admin.display(description="créée le", ordering="created_at")
    def created(self, obj):
        return obj.created_at

    @admin.display(description="dernière utilisation", ordering="last_used_at")
    def last_used(self, obj):
        return obj.last_used_at

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
