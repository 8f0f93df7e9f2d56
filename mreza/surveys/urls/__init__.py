"""Survey URLs: building and running (builder), answering (public: /s/<token>/), results."""

from mreza.surveys.urls import builder, public, results

app_name = "surveys"
urlpatterns = builder.urlpatterns + public.urlpatterns + results.urlpatterns
