from django.urls import path

from mreza.networks import views

app_name = "networks"
urlpatterns = [
    path("rounds/", views.round_list, name="rounds"),
    path("rounds/new/", views.round_new, name="round_new"),
    path("rounds/<int:pk>/", views.round_detail, name="round"),
    path("rounds/<int:pk>/status/", views.round_status, name="round_status"),
    path("rounds/<int:pk>/edit/", views.round_edit, name="round_edit"),
    path("rounds/<int:pk>/runs/", views.run_compare, name="run_compare"),
    path(
        "rounds/<int:pk>/partnerships/<int:partnership>/confirm/",
        views.partnership_confirm,
        name="partnership_confirm",
    ),
    path("<int:pk>/change/", views.network_action, name="network_action"),
    path(
        "coordinators/<str:code>/invite/", views.invite_first_coordinator, name="invite_coordinator"
    ),
    path("mine/", views.my_invitations, name="mine"),
    path("answer/<str:kind>/<int:pk>/", views.answer, name="answer"),
    path("<int:pk>/", views.network_detail, name="network"),
]
