from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.views.decorators.http import require_POST

from ecertif.audit.history_admin import FieldHistoryAdmin
from ecertif.import_export_fr import FrenchImportExportModelAdmin

from .admin_french import FrenchPermissionsMixin
from .enums import AccountRequestStatus
from .forms import RefusalForm
from .models import AccountRequest, EmployerMembership, Establishment, User
from .resources import EstablishmentResource
from .services import AccountRequestError, account_request_approve, account_request_refuse


class MembershipInline(admin.TabularInline):
    model = EmployerMembership
    extra = 0
    autocomplete_fields = ["user"]
    verbose_name = "compte employeur"


@admin.register(User)
class UserAdmin(FrenchPermissionsMixin, FieldHistoryAdmin, BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_staff", "is_active", "last_login"]
    list_filter = ["is_staff", "is_superuser", "is_active", "groups"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Identité", {"fields": ["first_name", "last_name", "phone"]}),
        (
            "Droits",
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "first_name", "last_name", "phone"]}),
    ]
    readonly_fields = ["last_login", "date_joined"]

    def save_model(self, request, obj, form, change):
        if not change and not obj.has_usable_password():
            obj.set_unusable_password()
        super().save_model(request, obj, form, change)


@admin.register(Establishment)
class EstablishmentAdmin(FieldHistoryAdmin, FrenchImportExportModelAdmin):
    resource_classes = [EstablishmentResource]
    list_display = ["name", "siret", "postcode", "city", "department", "region", "idcc"]
    list_filter = ["region", "department"]
    search_fields = ["name", "siret", "city", "postcode"]
    readonly_fields = ["department", "region", "created_at"]
    inlines = [MembershipInline]


@admin.register(EmployerMembership)
class EmployerMembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "establishment", "created_at"]
    list_select_related = ["user", "establishment"]
    search_fields = [
        "user__email",
        "user__last_name",
        "establishment__name",
        "establishment__siret",
    ]
    autocomplete_fields = ["user", "establishment"]


@admin.register(AccountRequest)
class AccountRequestAdmin(admin.ModelAdmin):
    list_display = ["created_at", "company_name", "siret", "contact_email", "status"]
    list_filter = ["status"]
    search_fields = ["company_name", "siret", "contact_email", "contact_last_name"]
    list_select_related = ["decided_by"]
    date_hierarchy = "created_at"
    actions = ["approve", "refuse"]
    readonly_fields = ["status", "created_at", "decided_at", "decided_by", "establishment"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        """« Approuver » / « Refuser » on one request's page, next to the list's actions."""
        own = [
            path(
                "<int:pk>/approuver/",
                self.admin_site.admin_view(require_POST(self.approve_one)),
                name="accounts_accountrequest_approve",
            ),
            path(
                "<int:pk>/refuser/",
                self.admin_site.admin_view(self.refuse_one),
                name="accounts_accountrequest_refuse",
            ),
        ]
        return own + super().get_urls()

    def _pending(self, request, pk):
        if not self.has_change_permission(request):
            raise PermissionDenied
        return get_object_or_404(AccountRequest, pk=pk)

    def approve_one(self, request, pk):
        account_request = self._pending(request, pk)
        if account_request.status != AccountRequestStatus.PENDING:
            self.message_user(request, "Cette demande a déjà été traitée.", messages.WARNING)
        else:
            self.approve(request, AccountRequest.objects.filter(pk=account_request.pk))
        return redirect("admin:accounts_accountrequest_change", account_request.pk)

    def refuse_one(self, request, pk):
        account_request = self._pending(request, pk)
        response = self.refuse(request, AccountRequest.objects.filter(pk=account_request.pk))
        if response is None:
            return redirect("admin:accounts_accountrequest_change", account_request.pk)
        return response

    @admin.action(description="Approuver les demandes sélectionnées")
    def approve(self, request, queryset):
        for account_request in queryset.filter(status=AccountRequestStatus.PENDING):
            try:
                account_request_approve(account_request=account_request, by=request.user)
            except AccountRequestError as exc:
                self.message_user(request, str(exc), messages.ERROR)
            else:
                self.message_user(
                    request,
                    f"Demande de {account_request.company_name} approuvée : le lien "
                    f"d'activation a été envoyé à {account_request.contact_email}.",
                    messages.SUCCESS,
                )

    @admin.action(description="Refuser les demandes sélectionnées (avec un motif)")
    def refuse(self, request, queryset):
        pending = queryset.filter(status=AccountRequestStatus.PENDING)
        if "apply" in request.POST:
            form = RefusalForm(request.POST)
            if form.is_valid():
                refused = 0
                for account_request in pending:
                    try:
                        account_request_refuse(
                            account_request=account_request,
                            by=request.user,
                            reason=form.cleaned_data["reason"],
                        )
                    except AccountRequestError as exc:
                        self.message_user(request, str(exc), messages.ERROR)
                    else:
                        refused += 1
                self.message_user(request, f"{refused} demande(s) refusée(s).", messages.SUCCESS)
                return None
        else:
            form = RefusalForm()
        return TemplateResponse(
            request,
            "admin/accounts/accountrequest/refuse.html",
            {
                **self.admin_site.each_context(request),
                "title": "Refuser des demandes de création de compte",
                "requests": pending,
                "form": form,
                "opts": self.model._meta,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )
