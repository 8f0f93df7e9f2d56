"""Documents, the discussion, and the notification settings and unsubscribe link."""

from django.urls import path

from mreza.progress.views import discussion, notifications

urlpatterns = [
    path("workspaces/<int:pk>/documents/", discussion.documents, name="documents"),
    path(
        "workspaces/<int:pk>/documents/<int:document>/download/",
        discussion.document_download,
        name="document_download",
    ),
    path(
        "workspaces/<int:pk>/documents/<int:document>/delete/",
        discussion.document_delete,
        name="document_delete",
    ),
    path("workspaces/<int:pk>/discussion/", discussion.discussion, name="discussion"),
    path(
        "workspaces/notifications/",
        notifications.notification_settings,
        name="notification_settings",
    ),
    path(
        "workspaces/unsubscribe/<str:token>/",
        notifications.unsubscribe,
        name="unsubscribe",
    ),
]
