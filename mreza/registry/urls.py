from django.urls import path

from mreza.registry import people_views, views

app_name = "registry"
urlpatterns = [
    path("", views.directory, name="directory"),
    path("map/", views.map_view, name="map"),
    path("data-quality/", views.data_quality, name="data_quality"),
    path("<str:code>/", views.profile, name="profile"),
    path("<str:code>/edit/", views.edit, name="edit"),
    path("<str:code>/people/", views.people, name="people"),
    path("<str:code>/people/invite/", people_views.invite_to_municipality, name="invite"),
    path("<str:code>/history/", views.history, name="history"),
]
