"""The workspace's own pages (home, members, settings, phases, history), its goals and indicators,
its progress, and "my networks"."""

from django.urls import path

from mreza.progress.views import goals, progress, workspace

urlpatterns = [
    path("workspaces/", workspace.mine, name="mine"),
    path("workspaces/new/", workspace.network_new, name="network_new"),
    path("workspaces/progress/", progress.progress_all, name="progress_all"),
    path("workspaces/progress.xlsx", progress.progress_all_xlsx, name="progress_all_xlsx"),
    path("workspaces/<int:pk>/", workspace.home, name="home"),
    path("workspaces/<int:pk>/members/", workspace.members, name="members"),
    path("workspaces/<int:pk>/settings/", workspace.settings, name="settings"),
    path("workspaces/<int:pk>/phases/", workspace.phase_edit, name="phases"),
    path("workspaces/<int:pk>/phases/<int:phase>/", workspace.phase_edit, name="phase_edit"),
    path(
        "workspaces/<int:pk>/phases/<int:phase>/delete/",
        workspace.phase_delete,
        name="phase_delete",
    ),
    path("workspaces/<int:pk>/history/", workspace.history, name="history"),
    path("workspaces/<int:pk>/goals/", goals.goals, name="goals"),
    path("workspaces/<int:pk>/goals/new/", goals.goal_edit, name="goal_new"),
    path("workspaces/<int:pk>/goals/<int:goal>/edit/", goals.goal_edit, name="goal_edit"),
    path("workspaces/<int:pk>/goals/<int:goal>/delete/", goals.goal_delete, name="goal_delete"),
    path(
        "workspaces/<int:pk>/goals/<int:goal>/indicators/new/",
        goals.indicator_edit,
        name="indicator_new",
    ),
    path("workspaces/<int:pk>/indicators/<int:indicator>/", goals.indicator, name="indicator"),
    path(
        "workspaces/<int:pk>/indicators/<int:indicator>/edit/",
        goals.indicator_edit,
        name="indicator_edit",
    ),
    path(
        "workspaces/<int:pk>/indicators/<int:indicator>/values/<int:measurement>/delete/",
        goals.measurement_delete,
        name="measurement_delete",
    ),
    path("workspaces/<int:pk>/progress/", progress.progress, name="progress"),
    path("workspaces/<int:pk>/progress.xlsx", progress.progress_xlsx, name="progress_xlsx"),
]
