"""Account settings: API tokens, under /account/api-tokens/ (included at the root by
mreza/urls.py)."""

from django.urls import path

from mreza.api import tokens_views

app_name = "api_tokens"
urlpatterns = [
    path("account/api-tokens/", tokens_views.token_list, name="list"),
    path("account/api-tokens/new/", tokens_views.token_new, name="new"),
    path("account/api-tokens/<int:pk>/revoke/", tokens_views.token_revoke, name="revoke"),
]
