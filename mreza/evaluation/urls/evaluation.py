"""Evaluation URLs: a workspace's evaluations, an evaluation, a member's part, the report."""

from django.urls import path

from mreza.evaluation.views import evaluations, report

urlpatterns = [
    path("workspaces/<int:pk>/evaluation/", evaluations.evaluation_list, name="list"),
    path("workspaces/<int:pk>/evaluation/new/", evaluations.evaluation_open, name="open"),
    path("evaluations/<int:pk>/", evaluations.evaluation_detail, name="detail"),
    path("evaluations/<int:pk>/close/", evaluations.evaluation_close, name="close"),
    path("evaluations/<int:pk>/publish/", evaluations.evaluation_publish, name="publish"),
    path("evaluations/<int:pk>/members/<int:part>/", evaluations.part_page, name="part"),
    path(
        "evaluations/<int:pk>/members/<int:part>/reopen/",
        evaluations.part_reopen,
        name="part_reopen",
    ),
    path(
        "evaluations/<int:pk>/members/<int:part>/reassessment/",
        evaluations.reassessment_start,
        name="reassessment_start",
    ),
    path("evaluations/<int:pk>/report/", report.report, name="report"),
    path("evaluations/<int:pk>/report.pdf", report.report_pdf, name="report_pdf"),
]
