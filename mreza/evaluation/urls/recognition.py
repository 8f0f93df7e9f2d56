"""Evaluation URLs: recognition pages, certificates and their public verification."""

from django.urls import path

from mreza.evaluation.views import recognition as views

urlpatterns = [
    path(
        "evaluations/<int:pk>/recognition/",
        views.evaluation_page,
        name="evaluation_recognition",
    ),
    path("evaluations/<int:pk>/certificates/issue/", views.issue, name="certificates_issue"),
    path(
        "evaluations/<int:pk>/certificates/<int:certificate>/revoke/",
        views.revoke,
        name="certificate_revoke",
    ),
    path(
        "evaluations/<int:pk>/certificates/<int:certificate>/pdf/",
        views.certificate_pdf,
        name="certificate_pdf",
    ),
    path("recognition/", views.platform, name="recognition"),
    path("verify/", views.verify_form, name="verify_form"),
    path("verify/<str:code>/", views.verify, name="verify"),
]
