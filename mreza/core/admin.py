from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from mreza.core.access import audit_entries_visible_to
from mreza.core.models import AuditEntry, PeriodicJobRun


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "actor_label", "action", "content_type", "object_repr"]
    list_filter = ["action", "content_type"]
    search_fields = ["object_repr", "actor_label"]
    list_select_related = ["content_type"]

    def get_queryset(self, request):
        # the same policy as the audit pages: an assessor's unsubmitted scores stay hidden here too
        return audit_entries_visible_to(request.user, super().get_queryset(request))

    # The trail is evidence: nobody edits or deletes it, administrators included.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PeriodicJobRun)
class PeriodicJobRunAdmin(admin.ModelAdmin):
    """When each periodic job last ran and how it ended, for the administrator to look at."""

    list_display = ["command", "last_started_at", "last_finished_at", "failed"]
    readonly_fields = ["command", "last_started_at", "last_finished_at", "last_error"]

    @admin.display(boolean=True, description=_("failed"))
    def failed(self, obj):
        return bool(obj.last_error)

    # written by the job runner only (core.jobs): an edit would move a job's schedule by hand.
    # Deleting a row stays allowed: the job is then due at once (run it now, or after the clock
    # was set back).
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
