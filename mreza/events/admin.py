"""The events in the administration: to look, not to change. Every change goes through the
services (the waiting list, the event row lock, signed certificates)."""

from django.contrib import admin

from mreza.events.models import AttendanceCertificate, Event, Registration, Session


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Event)
class EventAdmin(ReadOnly):
    list_display = ["title", "kind", "status", "starts_at", "organiser", "host", "capacity"]
    list_filter = ["kind", "status"]
    list_select_related = ["organiser", "host"]
    search_fields = ["title"]


@admin.register(Session)
class SessionAdmin(ReadOnly):
    list_display = ["title", "event", "starts_at", "room"]
    list_select_related = ["event"]


@admin.register(Registration)
class RegistrationAdmin(ReadOnly):
    list_display = ["event", "user", "status", "created_at", "attended"]
    list_filter = ["status", "attended"]
    list_select_related = ["event", "user"]
    search_fields = ["event__title", "user__email"]


@admin.register(AttendanceCertificate)
class AttendanceCertificateAdmin(ReadOnly):
    list_display = ["code", "registration", "issued_at", "revoked_at"]
    list_select_related = ["registration__event", "registration__user"]
    search_fields = ["code"]
    exclude = ["signature"]
