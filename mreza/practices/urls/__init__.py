"""Good-practice URLs: the public library (public.py: /practices/, feed, sitemap) and the way to
publication (authoring.py: drafts, review, validation, transfer offers)."""

from mreza.practices.urls import authoring, public

app_name = "practices"
urlpatterns = authoring.urlpatterns + public.urlpatterns
