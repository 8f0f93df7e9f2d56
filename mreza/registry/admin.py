from django.contrib import admin

from mreza.registry.models import Country, Membership, Municipality, Organisation, Region


@admin.register(Country)
class CountryAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "name_language"]


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "country", "parent"]
    list_filter = ["country", "kind"]
    search_fields = ["code", "name"]
    list_select_related = ["country", "parent"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["organisation"]


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "type", "region", "country", "population"]
    list_filter = ["country", "type", "region__kind"]
    search_fields = ["code", "name", "search_key"]
    list_select_related = ["region", "country"]
    autocomplete_fields = ["region", "part_of"]
    inlines = [MembershipInline]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "country"]
    list_filter = ["kind", "country"]
    search_fields = ["code", "name"]
