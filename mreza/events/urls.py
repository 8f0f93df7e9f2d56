"""Event URLs under /events/: the list, "my registrations", the calendar feed, an event and its
programme, registrations, attendance, certificates and showcase."""

from django.urls import path

from mreza.events.views import certificates, events, programme, registrations

app_name = "events"
E = "<int:pk>/"
urlpatterns = [
    path("", events.event_list, name="list"),
    path("new/", events.event_new, name="new"),
    path("mine/", registrations.my_registrations, name="mine"),
    path("feed.ics", events.feed, name="feed"),
    path(E, events.event_detail, name="detail"),
    path(E + "edit/", events.event_edit, name="edit"),
    path(E + "publish/", events.event_publish, name="publish"),
    path(E + "cancel/", events.event_cancel, name="cancel"),
    path(E + "event.ics", events.event_ics, name="ics"),
    path(E + "showcase/", events.showcase, name="showcase"),
    path(E + "showcase/edit/", events.showcase_edit, name="showcase_edit"),
    path(E + "programme/", programme.programme, name="programme"),
    path(E + "sessions/<int:session>/edit/", programme.session_edit, name="session_edit"),
    path(E + "sessions/<int:session>/delete/", programme.session_delete, name="session_delete"),
    path(E + "sessions/<int:session>/speakers/", programme.speaker_add, name="speaker_add"),
    path(E + "speakers/<int:speaker>/delete/", programme.speaker_delete, name="speaker_delete"),
    path(E + "register/", registrations.register, name="register"),
    path(
        E + "registrations/<int:registration>/withdraw/",
        registrations.withdraw,
        name="withdraw",
    ),
    path(E + "registrations/", registrations.registrations, name="registrations"),
    path(E + "attendance.xlsx", registrations.attendance_xlsx, name="attendance_xlsx"),
    path(E + "certificates/issue/", certificates.issue, name="certificates_issue"),
    path(
        E + "certificates/<int:certificate>/pdf/",
        certificates.certificate_pdf,
        name="certificate_pdf",
    ),
    path(
        E + "certificates/<int:certificate>/revoke/",
        certificates.revoke,
        name="certificate_revoke",
    ),
]
