"""The evaluations in the administration: to look, not to change. Every change goes through
services (versions, one open evaluation, submitting rules); certificates are issued and revoked
on the recognition page, where their signature is made."""

from django.contrib import admin

from mreza.evaluation.models import Certificate, Evaluation, GoalResult, MemberEvaluation


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class MemberEvaluationInline(admin.TabularInline):
    model = MemberEvaluation
    extra = 0
    fields = ["member", "submitted_at", "submitted_by", "reassessment"]
    readonly_fields = fields
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


class GoalResultInline(admin.TabularInline):
    model = GoalResult
    extra = 0
    fields = ["goal", "rating", "comment"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Evaluation)
class EvaluationAdmin(ReadOnly):
    list_display = ["title", "workspace", "status", "due_on", "closed_at", "is_published"]
    list_filter = ["status", "is_published"]
    list_select_related = ["workspace"]
    search_fields = ["title", "workspace__title"]
    inlines = [MemberEvaluationInline]


@admin.register(MemberEvaluation)
class MemberEvaluationAdmin(ReadOnly):
    list_display = ["__str__", "submitted_at", "reassessment"]
    list_select_related = ["evaluation", "member__municipality", "reassessment"]
    search_fields = ["evaluation__title", "member__municipality__name"]
    inlines = [GoalResultInline]


@admin.register(Certificate)
class CertificateAdmin(ReadOnly):
    list_display = ["code", "municipality", "kind", "evaluation", "issued_at", "revoked_at"]
    list_filter = ["kind"]
    list_select_related = ["municipality", "evaluation"]
    search_fields = ["code", "municipality__name"]
    exclude = ["signature"]
