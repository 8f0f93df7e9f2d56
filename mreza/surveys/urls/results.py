"""Survey URLs: results, their PDF, the public results page and the exports (views/results.py)."""

from django.urls import path

from mreza.surveys.views import results

urlpatterns = [
    path("surveys/<int:pk>/results/", results.results, name="results"),
    path("surveys/<int:pk>/results.pdf", results.results_pdf, name="results_pdf"),
    path(
        "surveys/<int:pk>/waves/<int:wave_pk>/responses.csv",
        results.export_csv,
        name="export_csv",
    ),
    path(
        "surveys/<int:pk>/waves/<int:wave_pk>/responses.xlsx",
        results.export_xlsx,
        name="export_xlsx",
    ),
    path(
        "surveys/<int:pk>/waves/<int:wave_pk>/codebook.csv",
        results.export_codebook,
        name="export_codebook",
    ),
    path("s/<str:token>/results/", results.public_results, name="public_results"),
]
