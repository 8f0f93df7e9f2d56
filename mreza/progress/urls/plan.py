"""The action plan: activities, commitments, the timeline and the exports (views/plan.py)."""

from django.urls import path

from mreza.progress.views import plan

urlpatterns = [
    path("workspaces/<int:pk>/plan/", plan.plan, name="plan"),
    path("workspaces/<int:pk>/plan/new/", plan.activity_edit, name="plan_activity_new"),
    path(
        "workspaces/<int:pk>/plan/<int:activity>/edit/",
        plan.activity_edit,
        name="plan_activity_edit",
    ),
    path(
        "workspaces/<int:pk>/plan/<int:activity>/status/",
        plan.activity_status,
        name="plan_activity_status",
    ),
    path(
        "workspaces/<int:pk>/plan/<int:activity>/delete/",
        plan.activity_delete,
        name="plan_activity_delete",
    ),
    path(
        "workspaces/<int:pk>/plan/commitments/new/",
        plan.commitment_edit,
        name="plan_commitment_new",
    ),
    path(
        "workspaces/<int:pk>/plan/commitments/<int:commitment>/edit/",
        plan.commitment_edit,
        name="plan_commitment_edit",
    ),
    path(
        "workspaces/<int:pk>/plan/commitments/<int:commitment>/fulfil/",
        plan.commitment_fulfil,
        name="plan_commitment_fulfil",
    ),
    path("workspaces/<int:pk>/plan.xlsx", plan.plan_xlsx, name="plan_xlsx"),
    path("workspaces/<int:pk>/plan.pdf", plan.plan_pdf, name="plan_pdf"),
]
