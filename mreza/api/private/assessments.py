"""Learning profiles and self-assessments, at the consensus level.

An assessor's own scores (Entry) are never served here: an assessment shows only what its group
agreed (Consensus), to whoever may open the assessment's pages.
"""

import datetime
from typing import Literal

from ninja import Field, Query, Schema

from mreza.api.conventions import Page, PageParams, paginate
from mreza.api.private.common import READ_ERRORS, get_visible, router
from mreza.api.scripts import shown
from mreza.assessment.models import Assessment, Consensus, LearningProfile
from mreza.core import access

profiles = router("private: learning profiles")
assessments = router("private: self-assessments")


class ProfileOut(Schema):
    id: int
    municipality: str = Field(description="The municipality's code.")
    assessment: int = Field(description="The id of the accepted self-assessment it comes from.")
    sharing: Literal["private", "coordinators", "public"]
    needs: dict[str, float] = Field(description="Area code -> weight (0 to 1) to learn in.")
    strengths: dict[str, float] = Field(description="Area code -> weight (0 to 1) to offer.")
    updated_at: datetime.datetime
    version: int


class ProfileFilters(PageParams):
    municipality: str | None = Field(None, max_length=40, description="A municipality's code.")
    ordering: Literal["updated_at", "-updated_at"] = "-updated_at"


def _weights(value) -> dict[str, float]:
    if not isinstance(value, dict):
        return {}
    return {str(k): float(v) for k, v in value.items() if isinstance(v, int | float)}


def profile_out(profile: LearningProfile) -> dict:
    return {
        "id": profile.pk,
        "municipality": profile.municipality.code,
        "assessment": profile.assessment_id,
        "sharing": profile.sharing,
        "needs": _weights(profile.needs),
        "strengths": _weights(profile.strengths),
        "updated_at": profile.updated_at,
        "version": profile.version,
    }


@profiles.get("", response={200: Page[ProfileOut], **READ_ERRORS}, summary="Learning profiles")
def profile_list(request, filters: Query[ProfileFilters]):
    """The learning profiles the token's user may see: their municipalities', those shared with
    the network coordinators of their organisations, and public ones."""
    rows = access.profiles_visible_to(
        request.user, LearningProfile.objects.select_related("municipality")
    )
    if filters.municipality:
        rows = rows.filter(municipality__code=filters.municipality)
    rows = rows.order_by(filters.ordering, "-id" if filters.ordering[0] == "-" else "id")
    return paginate(request, rows, filters, profile_out)


@profiles.get("/{profile_id}", response={200: ProfileOut, **READ_ERRORS}, summary="A profile")
def profile_detail(request, profile_id: int):
    profile = get_visible(
        request,
        access.profiles_visible_to(
            request.user, LearningProfile.objects.select_related("municipality")
        ),
        pk=profile_id,
    )
    return profile_out(profile)


class AssessmentOut(Schema):
    id: int
    municipality: str = Field(description="The municipality's code.")
    title: str
    framework: str = Field(description="The framework's code and version, e.g. `caf-2020`.")
    method: str
    status: Literal["scoring", "consensus", "closed", "accepted"]
    period_start: datetime.date
    period_end: datetime.date
    scope: list[str] = Field(description="The subcriteria assessed; empty: all of them.")
    closed_at: datetime.datetime | None
    accepted_at: datetime.datetime | None


class AssessmentFilters(PageParams):
    municipality: str | None = Field(None, max_length=40, description="A municipality's code.")
    status: Literal["scoring", "consensus", "closed", "accepted"] | None = None


def assessment_out(assessment: Assessment) -> dict:
    framework = assessment.framework
    return {
        "id": assessment.pk,
        "municipality": assessment.municipality.code,
        "title": shown(assessment.title),
        "framework": f"{framework.code}-{framework.version}",
        "method": assessment.method,
        "status": assessment.status,
        "period_start": assessment.period_start,
        "period_end": assessment.period_end,
        "scope": [str(code) for code in assessment.scope or []],
        "closed_at": assessment.closed_at,
        "accepted_at": assessment.accepted_at,
    }


def _assessments(request):
    return access.assessments_visible_to(
        request.user, Assessment.objects.select_related("municipality", "framework")
    )


@assessments.get("", response={200: Page[AssessmentOut], **READ_ERRORS}, summary="Self-assessments")
def assessment_list(request, filters: Query[AssessmentFilters]):
    """The self-assessments whose pages the token's user may open: their groups', and their
    municipalities' as coordinator or management. Newest period first."""
    rows = _assessments(request)
    if filters.municipality:
        rows = rows.filter(municipality__code=filters.municipality)
    if filters.status:
        rows = rows.filter(status=filters.status)
    return paginate(request, rows.order_by("-period_end", "-id"), filters, assessment_out)


@assessments.get(
    "/{assessment_id}", response={200: AssessmentOut, **READ_ERRORS}, summary="A self-assessment"
)
def assessment_detail(request, assessment_id: int):
    return assessment_out(get_visible(request, _assessments(request), pk=assessment_id))


class ConsensusOut(Schema):
    subcriterion: str = Field(description="The subcriterion's code, e.g. `6.1`.")
    score: float | None
    dimensions: dict[str, float] = Field(description="Scores per dimension (fine-tuned method).")
    strengths: str
    improvements: str
    ideas: str
    updated_at: datetime.datetime


def consensus_out(row: Consensus) -> dict:
    return {
        "subcriterion": row.subcriterion.code,
        "score": row.score,
        "dimensions": _weights(row.dimensions),
        "strengths": row.strengths,
        "improvements": row.improvements,
        "ideas": row.ideas,
        "updated_at": row.updated_at,
    }


@assessments.get(
    "/{assessment_id}/consensus",
    response={200: Page[ConsensusOut], **READ_ERRORS},
    summary="An assessment's consensus scores",
)
def consensus_list(request, assessment_id: int, params: Query[PageParams]):
    """What the group agreed, subcriterion by subcriterion, in the framework's order. Individual
    scores are never part of the API."""
    assessment = get_visible(request, _assessments(request), pk=assessment_id)
    rows = (
        Consensus.objects.filter(assessment=assessment)
        .select_related("subcriterion")
        .order_by("subcriterion__position", "id")
    )
    return paginate(request, rows, params, consensus_out)
