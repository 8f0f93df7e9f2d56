"""Frameworks with their criteria and subcriteria, and the learning profiles shared publicly."""

from django.utils.translation import gettext_lazy as _

from mreza.assessment.models import Criterion, Framework, LearningProfile, Subcriterion
from mreza.core import access
from mreza.core.access import anonymous_visitor as anonymous
from mreza.opendata.providers.base import (
    DATE,
    FRAMEWORK_CODE,
    FRAMEWORK_VERSION,
    INTEGER,
    MUNICIPALITY_CODE,
    NUMBER,
    STRING,
    SUBCRITERION_CODE,
    Dataset,
    Field,
    text_fields,
    texts,
)


def _frameworks():
    for framework in Framework.objects.order_by("code", "version"):
        yield (framework.code, framework.version, *texts(framework.name), framework.checksum)


def _criteria():
    for criterion in Criterion.objects.select_related("framework").order_by(
        "framework__code", "framework__version", "position", "id"
    ):
        framework = criterion.framework
        yield (
            framework.code,
            framework.version,
            criterion.code,
            criterion.position,
            *texts(criterion.title),
        )


def _subcriteria():
    for sub in Subcriterion.objects.select_related("framework", "criterion").order_by(
        "framework__code", "framework__version", "position", "id"
    ):
        yield (
            sub.framework.code,
            sub.framework.version,
            sub.criterion.code,
            sub.code,
            sub.position,
            *texts(sub.title),
        )


def _profiles():
    public = access.profiles_visible_to(anonymous(), LearningProfile.objects.all())
    rows = public.select_related("municipality", "assessment__framework").order_by(
        "municipality__code", "id"
    )
    for profile in rows:
        framework = profile.assessment.framework
        for direction, weights in (("need", profile.needs), ("strength", profile.strengths)):
            if not isinstance(weights, dict):
                continue
            for code in sorted(weights):
                yield (
                    profile.pk,
                    profile.municipality.code,
                    framework.code,
                    framework.version,
                    direction,
                    code,
                    weights[code],
                    profile.updated_at.date(),
                )


FRAMEWORKS = Dataset(
    "frameworks",
    _("Assessment frameworks"),
    _("The self-assessment frameworks (CAF, ELoGE ...) municipalities assess themselves with."),
    (
        Field("code", STRING, FRAMEWORK_CODE),
        Field("version", STRING, FRAMEWORK_VERSION),
        *text_fields("name", _("Name")),
        Field("checksum", STRING, _("SHA-256 of the framework file as loaded")),
    ),
    _frameworks,
)

CRITERIA = Dataset(
    "criteria",
    _("Criteria"),
    _("The criteria of each framework."),
    (
        Field("framework", STRING, FRAMEWORK_CODE),
        Field("framework_version", STRING, FRAMEWORK_VERSION),
        Field("code", STRING, _("Code of the criterion in its framework")),
        Field("position", INTEGER, _("Order in the framework")),
        *text_fields("title", _("Title")),
    ),
    _criteria,
)

SUBCRITERIA = Dataset(
    "subcriteria",
    _("Subcriteria"),
    _("The subcriteria of each criterion: the areas municipalities score and learn in."),
    (
        Field("framework", STRING, FRAMEWORK_CODE),
        Field("framework_version", STRING, FRAMEWORK_VERSION),
        Field("criterion", STRING, _("Code of its criterion")),
        Field("code", STRING, SUBCRITERION_CODE),
        Field("position", INTEGER, _("Order in the framework")),
        *text_fields("title", _("Title")),
    ),
    _subcriteria,
)

LEARNING_PROFILES = Dataset(
    "learning_profiles",
    _("Learning profiles shared publicly"),
    _(
        "What municipalities want to learn (needs) and can offer (strengths), by subcriterion, "
        "for the profiles their municipalities chose to make public; one row per area."
    ),
    (
        Field("profile_id", INTEGER, _("Identifier of the learning profile")),
        Field("municipality", STRING, MUNICIPALITY_CODE),
        Field("framework", STRING, FRAMEWORK_CODE),
        Field("framework_version", STRING, FRAMEWORK_VERSION),
        Field("direction", STRING, _("need (wants to learn) or strength (can offer)")),
        Field("subcriterion", STRING, SUBCRITERION_CODE),
        Field("weight", NUMBER, _("Weight from 0 to 1: how strong the need or strength is")),
        Field("updated_on", DATE, _("Day the profile was last changed")),
    ),
    _profiles,
)
