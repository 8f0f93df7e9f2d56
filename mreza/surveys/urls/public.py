"""Survey URLs: answering on the public link, the paper questionnaire and its data entry."""

from django.urls import path

from mreza.surveys.views import public

W = "surveys/<int:pk>/waves/<int:wave_pk>/"

urlpatterns = [
    path("s/<str:token>/", public.answer, name="answer"),
    path("s/<str:token>/thanks/", public.answer_done, name="answer_done"),
    path(W + "paper.pdf", public.paper_pdf, name="paper_pdf"),
    path(W + "paper/", public.paper_entry, name="paper_entry"),
    path(W + "paper/<int:response_pk>/delete/", public.paper_delete, name="paper_delete"),
]
