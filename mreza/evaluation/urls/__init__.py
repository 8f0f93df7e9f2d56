"""Evaluation URLs: a workspace's evaluation and report; recognition, certificates, /verify/."""

from mreza.evaluation.urls import evaluation, recognition

app_name = "evaluation"
urlpatterns = evaluation.urlpatterns + recognition.urlpatterns
