from django.urls import path

from mreza.assessment.views import assessments, consensus, plan, report, scoring

app_name = "assessment"
urlpatterns = [
    path("", assessments.assessment_list, name="list"),
    path("<int:pk>/", assessments.overview, name="overview"),
    path("<int:pk>/group/", assessments.group, name="group"),
    path("<int:pk>/group/<int:member_pk>/remove/", assessments.remove_member, name="remove_member"),
    path("<int:pk>/do/<str:action>/", assessments.transition, name="transition"),
    path("<int:pk>/score/", scoring.score_index, name="score_index"),
    path("<int:pk>/score/<str:code>/", scoring.score_subcriterion, name="score_subcriterion"),
    path("<int:pk>/evidence/<int:file_pk>/", scoring.evidence_file, name="evidence_file"),
    path("<int:pk>/workbook.xlsx", scoring.workbook_download, name="workbook_download"),
    path("<int:pk>/workbook/", scoring.workbook_upload, name="workbook_upload"),
    path("<int:pk>/divergence/", consensus.divergence, name="divergence"),
    path("<int:pk>/consensus/<str:code>/", consensus.consensus_subcriterion, name="consensus"),
    path("<int:pk>/report/", report.report, name="report"),
    path("<int:pk>/report.pdf", report.report_pdf, name="report_pdf"),
    path("<int:pk>/results.<str:fmt>", report.export, name="export"),
    path("<int:pk>/plan/", plan.plan, name="plan"),
    path("<int:pk>/plan/new/", plan.action_edit, name="action_new"),
    path("<int:pk>/plan/<int:action_pk>/", plan.action_edit, name="action_edit"),
    path("<int:pk>/plan.<str:fmt>", plan.plan_export, name="plan_export"),
    path("<int:pk>/profile/", plan.profile_edit, name="profile"),
    path("profiles/<int:profile_pk>/", plan.profile_detail, name="profile_detail"),
]
