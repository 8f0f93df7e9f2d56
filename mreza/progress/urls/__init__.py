"""The URLs of step 3, one module per part (each owns its paths under /workspaces/)."""

from mreza.progress.urls import discussion, exchange, meetings, plan, workspace

app_name = "progress"
urlpatterns = [
    *workspace.urlpatterns,
    *plan.urlpatterns,
    *meetings.urlpatterns,
    *exchange.urlpatterns,
    *discussion.urlpatterns,
]
