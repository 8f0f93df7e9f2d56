"""The surveys' part of the municipality page (registered in apps.py, see registry.sections): the
surveys the reader may see, and "new survey" for those who may start one. Both are worked out only
if the page shows them (lazily), and not at all for anonymous readers."""

from django.utils.functional import SimpleLazyObject

from mreza.core.access import Perm, may, surveys_visible_to
from mreza.surveys.models import Survey
from mreza.surveys.views import survey_title


def municipality_surveys(request, municipality):
    user = request.user
    if not user.is_authenticated:
        return {}

    def current():
        # a survey replaced by a newer version is reached from that version
        surveys = surveys_visible_to(
            user, Survey.objects.filter(municipality=municipality, next_versions__isnull=True)
        ).order_by("-created_at", "id")
        return [(s, survey_title(s)) for s in surveys]

    return {
        "citizen_surveys": SimpleLazyObject(current),
        "may_start_survey": SimpleLazyObject(lambda: may(user, Perm.MANAGE_SURVEY, municipality)),
    }
