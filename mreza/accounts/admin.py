from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from mreza.accounts.models import Invitation, MunicipalRole, OrganisationRole, User


class MunicipalRoleInline(admin.TabularInline):
    model = MunicipalRole
    extra = 0
    autocomplete_fields = ["municipality"]


class OrganisationRoleInline(admin.TabularInline):
    model = OrganisationRole
    extra = 0


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "is_staff", "is_active", "last_login"]
    search_fields = ["email", "full_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Personal info"), {"fields": ["full_name", "language"]}),
        (_("Permissions"), {"fields": ["is_active", "is_staff", "is_superuser"]}),
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "full_name", "password1", "password2"]})
    ]
    inlines = [MunicipalRoleInline, OrganisationRoleInline]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "municipality", "organisation", "role", "created_at", "accepted_at"]
    list_select_related = ["municipality", "organisation"]
    search_fields = ["email"]
    readonly_fields = ["token", "accepted_at", "accepted_by"]
