from django.urls import path

from mreza.accounts import views

app_name = "accounts"
urlpatterns = [
    path("account/settings/", views.account_settings, name="settings"),
    path("invitations/<str:token>/", views.accept_invitation, name="accept"),
]
