from django.contrib import admin

from mreza.core.access import audit_entries_visible_to
from mreza.core.models import AuditEntry


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
