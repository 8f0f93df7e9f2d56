from django.urls import path

from mreza.accounts import views

app_name = "accounts"
urlpatterns = [
    path("account/settings/", views.account_settings, name="settings"),
    path("invitations/<str:token>/", views.accept_invitation, name="accept"),
    path(
        "municipalities/<str:code>/people/invite/",
        views.invite_to_municipality,
        name="invite_municipality",
    ),
    path("organisations/<str:code>/", views.organisation_detail, name="organisation"),
    path(
        "organisations/<str:code>/invite/", views.invite_to_organisation, name="invite_organisation"
    ),
]
