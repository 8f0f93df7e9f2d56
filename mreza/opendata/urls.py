from django.urls import path

from mreza.opendata import views

app_name = "opendata"
urlpatterns = [
    path("open-data/", views.page, name="page"),
    path("open-data/mreza-open-data.zip", views.download_zip, name="zip"),
    path("open-data/<slug:name>.csv", views.download_dataset, {"fmt": "csv"}, name="csv"),
    path("open-data/<slug:name>.json", views.download_dataset, {"fmt": "json"}, name="json"),
]
