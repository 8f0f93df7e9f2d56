"""Good practices of the public library (validated and published) and their result figures. The
texts are as the author's municipality wrote them, in their language; the contact person is not
included (see the practice's page)."""

from django.conf import settings
from django.db.models import Prefetch
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from mreza.assessment.models import Subcriterion
from mreza.core import access
from mreza.core.access import anonymous_visitor as anonymous
from mreza.opendata.providers.base import (
    DATE,
    INTEGER,
    MUNICIPALITY_CODE,
    NUMBER,
    STRING,
    Dataset,
    Field,
)
from mreza.practices.models import Practice, ResultFigure

PRACTICE_ID = _("Identifier of the practice (see practices.csv)")


def public_practices():
    return access.practices_visible_to(anonymous(), Practice.objects.all())


def _sdgs(codes):
    return " ".join(code for code in (codes or "").split(",") if code)


def _practices():
    rows = (
        public_practices()
        .select_related("municipality")
        .prefetch_related(Prefetch("areas", queryset=Subcriterion.objects.only("id", "code")))
        .order_by("id")
    )
    for practice in rows:
        yield (
            practice.pk,
            practice.municipality.code,
            practice.language,
            practice.title,
            practice.summary,
            " ".join(sorted(area.code for area in practice.areas.all())),
            _sdgs(practice.sdg_codes),
            practice.transferability,
            practice.cost_amount,
            practice.cost_currency,
            practice.started_on,
            practice.ended_on,
            practice.year,
            practice.published_at.date() if practice.published_at else None,
            settings.SITE_URL.rstrip("/") + reverse("practices:detail", args=[practice.pk]),
        )


def _figures():
    rows = ResultFigure.objects.filter(practice__in=public_practices()).order_by(
        "practice_id", "position", "id"
    )
    for figure in rows:
        yield (
            figure.practice_id,
            figure.position,
            figure.label,
            figure.unit,
            figure.before,
            figure.before_year,
            figure.after,
            figure.after_year,
        )


PRACTICES = Dataset(
    "practices",
    _("Good practices"),
    _("The validated and published good practices of the library."),
    (
        Field("practice_id", INTEGER, PRACTICE_ID),
        Field("municipality", STRING, MUNICIPALITY_CODE),
        Field("language", STRING, _("Language the practice is written in")),
        Field("title", STRING, _("Title")),
        Field("summary", STRING, _("Summary")),
        Field("areas", STRING, _("Subcriteria it concerns, separated by spaces")),
        Field("sdgs", STRING, _("Sustainable Development Goals, separated by spaces")),
        Field("transferability", STRING, _("high, medium or low: how easy it is to adopt")),
        Field("cost_amount", NUMBER, _("Cost")),
        Field("cost_currency", STRING, _("Currency of the cost (ISO 4217)")),
        Field("started_on", DATE, _("Start date")),
        Field("ended_on", DATE, _("End date")),
        Field("year", INTEGER, _("Year the results were achieved")),
        Field("published_on", DATE, _("Day it was published")),
        Field("url", STRING, _("Its page")),
    ),
    _practices,
)

PRACTICE_RESULTS = Dataset(
    "practice_results",
    _("Results of the good practices"),
    _("The measured results of each published practice: an indicator before and after."),
    (
        Field("practice_id", INTEGER, PRACTICE_ID),
        Field("position", INTEGER, _("Order on the practice's page")),
        Field("indicator", STRING, _("Name of the indicator")),
        Field("unit", STRING, _("Unit")),
        Field("before", NUMBER, _("Value before")),
        Field("before_year", INTEGER, _("Year of the value before")),
        Field("after", NUMBER, _("Value after")),
        Field("after_year", INTEGER, _("Year of the value after")),
    ),
    _figures,
)
