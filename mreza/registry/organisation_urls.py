from django.urls import path

from mreza.registry import people_views

app_name = "organisations"
urlpatterns = [
    path("<str:code>/", people_views.organisation_detail, name="detail"),
    path("<str:code>/invite/", people_views.invite_to_organisation, name="invite"),
]
