"""Meetings and calendars (issue 11, item 4)."""

from django.urls import path

from mreza.progress.views import calendar, meetings

M = "workspaces/<int:pk>/meetings/<int:meeting>/"

urlpatterns = [
    path("workspaces/<int:pk>/meetings/", meetings.meeting_list, name="meetings"),
    path("workspaces/<int:pk>/meetings/new/", meetings.meeting_new, name="meeting_new"),
    path(M, meetings.meeting_detail, name="meeting"),
    path(M + "edit/", meetings.meeting_edit, name="meeting_edit"),
    path(M + "cancel/", meetings.meeting_cancel, name="meeting_cancel"),
    path(M + "agenda/", meetings.agenda_add, name="agenda_add"),
    path(M + "agenda/<int:item>/", meetings.agenda_edit, name="agenda_edit"),
    path(M + "register/", meetings.register, name="meeting_register"),
    path(M + "withdraw/", meetings.withdraw, name="meeting_withdraw"),
    path(M + "attendance/", meetings.attendance, name="meeting_attendance"),
    path(M + "minutes/", meetings.minutes, name="meeting_minutes"),
    path(M + "decisions/new/", meetings.decision_new, name="decision_new"),
    path("workspaces/<int:pk>/calendar.ics", calendar.workspace_calendar, name="calendar"),
    path("networks/<int:network>/calendar.ics", calendar.network_calendar, name="network_calendar"),
    path("workspaces/calendar/", calendar.calendar_feeds, name="calendar_feeds"),
    path("calendar/<str:token>.ics", calendar.calendar_feed, name="calendar_feed"),
]
