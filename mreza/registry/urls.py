from django.urls import path

from mreza.registry import views

app_name = "registry"
urlpatterns = [
    path("", views.directory, name="directory"),
    path("map/", views.map_view, name="map"),
    path("data-quality/", views.data_quality, name="data_quality"),
    path("<str:code>/", views.profile, name="profile"),
    path("<str:code>/edit/", views.edit, name="edit"),
    path("<str:code>/people/", views.people, name="people"),
    path("<str:code>/history/", views.history, name="history"),
]
