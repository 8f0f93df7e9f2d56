from django.contrib import admin
from django.urls import include, path

from mreza.accounts.admin_login import admin_login
from mreza.assessment.views import assessments as assessment_views
from mreza.core import views as core_views

# The admin signs in through allauth (second factor, rate limit), not its own form.
admin.site.login = admin_login

urlpatterns = [
    # the API first: its paths all start with api/, and a call resolves without walking the
    # site's patterns (some 180 of them, 14 % of a kept list's CPU)
    path("", include("mreza.api.urls")),
    path("", include("mreza.front.urls")),
    path("audit/", core_views.audit_log, name="audit_log"),
    path("i18n/setlang/", core_views.set_language, name="set_language"),
    path(
        "municipalities/<str:code>/assessments/new/",
        assessment_views.start,
        name="assessment_start",
    ),
    path("municipalities/", include("mreza.registry.urls")),
    path("organisations/", include("mreza.registry.organisation_urls")),
    path("assessments/", include("mreza.assessment.urls")),
    # step 3 (workspaces) before step 2: it adds /networks/<id>/calendar.ics and .../workspace/
    path("", include("mreza.progress.urls")),
    path("networks/", include("mreza.networks.urls")),
    # step 4: citizen surveys (/surveys/..., the public /s/<token>/), evaluation (/verify/<code>/)
    path("", include("mreza.surveys.urls")),
    path("", include("mreza.evaluation.urls")),
    # step 5: good practices (/practices/, /sitemap.xml) and events (/events/)
    path("", include("mreza.practices.urls")),
    path("events/", include("mreza.events.urls")),
    # open data (/open-data/)
    path("", include("mreza.opendata.urls")),
    # a user's API tokens (/account/api-tokens/)
    path("", include("mreza.api.tokens_urls")),
    path("", include("mreza.accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]

# JSON errors under /api/ (also when a middleware refuses the request before any view); the site's
# own pages everywhere else
handler400 = "mreza.api.conventions.handler400"
handler403 = "mreza.api.conventions.handler403"
handler404 = "mreza.api.conventions.handler404"
handler500 = "mreza.api.conventions.handler500"
