"""The surveys in the administration: to look, not to change. Every change goes through
services.builder (freezing, versions, one open wave); one-time codes and device receipts are
not shown at all (they would say nothing but hashes)."""

from django.contrib import admin

from mreza.surveys.models import Item, Response, Survey, Wave


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ItemInline(admin.TabularInline):
    model = Item
    extra = 0
    fields = ["position", "code", "kind", "required", "is_demographic"]
    readonly_fields = fields
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


class WaveInline(admin.TabularInline):
    model = Wave
    extra = 0
    fields = ["name", "status", "access", "opens_on", "closes_on", "opened_at", "closed_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Survey)
class SurveyAdmin(ReadOnly):
    list_display = ["__str__", "municipality", "template", "created_at", "results_public"]
    list_filter = ["template", "results_public"]
    list_select_related = ["municipality"]
    search_fields = ["municipality__name", "municipality__code"]
    exclude = ["public_token"]
    inlines = [ItemInline, WaveInline]


@admin.register(Item)
class ItemAdmin(ReadOnly):
    list_display = ["code", "kind", "survey", "position"]
    list_select_related = ["survey"]
    list_filter = ["kind"]


@admin.register(Response)
class ResponseAdmin(ReadOnly):
    list_display = ["__str__", "wave", "language", "channel", "submitted_on"]
    list_filter = ["channel", "language"]
    list_select_related = ["wave"]
