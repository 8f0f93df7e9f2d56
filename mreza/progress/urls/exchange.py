from django.urls import path

from mreza.progress.views import exchange as views

urlpatterns = [
    path("workspaces/<int:pk>/exchange/", views.exchange, name="exchange"),
    path("workspaces/<int:pk>/visits/new/", views.visit_form, name="visit_new"),
    path("workspaces/<int:pk>/visits/<int:item>/edit/", views.visit_form, name="visit_edit"),
    path("workspaces/<int:pk>/exchanges/new/", views.staff_exchange_form, name="staff_new"),
    path(
        "workspaces/<int:pk>/exchanges/<int:item>/edit/",
        views.staff_exchange_form,
        name="staff_edit",
    ),
    path("workspaces/<int:pk>/mentoring/new/", views.mentoring_form, name="mentoring_new"),
    path(
        "workspaces/<int:pk>/mentoring/<int:item>/edit/",
        views.mentoring_form,
        name="mentoring_edit",
    ),
    path(
        "workspaces/<int:pk>/mentoring/<int:item>/meetings/new/",
        views.mentoring_session_form,
        name="mentoring_session_new",
    ),
    path(
        "workspaces/<int:pk>/mentoring/<int:item>/meetings/<int:session>/edit/",
        views.mentoring_session_form,
        name="mentoring_session_edit",
    ),
    path("workspaces/<int:pk>/transfers/new/", views.transfer_form, name="transfer_new"),
    path(
        "workspaces/<int:pk>/transfers/<int:item>/edit/",
        views.transfer_form,
        name="transfer_edit",
    ),
    path("workspaces/twinnings/new/<str:code>/", views.twinning_new, name="twinning_new"),
    path(
        "workspaces/twinnings/new/<str:code>/partners/",
        views.twinning_partners,
        name="twinning_partners",
    ),
    path("workspaces/<int:pk>/twinning/edit/", views.twinning_edit, name="twinning_edit"),
]
