"""The assessment app's part of the municipality page (registered in apps.py, see
registry.sections)."""

from mreza.assessment.models import Assessment, LearningProfile
from mreza.core.access import assessments_visible_to, profiles_visible_to


def municipality_work(request, municipality):
    """The self-assessments and learning profiles of the municipality that the reader may see."""
    assessments = (
        assessments_visible_to(request.user, Assessment.objects.filter(municipality=municipality))
        if request.user.is_authenticated
        else []
    )
    profiles = profiles_visible_to(
        request.user,
        LearningProfile.objects.filter(municipality=municipality).select_related("assessment"),
    )
    return {"assessments": assessments, "profiles": profiles}
