"""Published self-evaluations: their summaries, each submitted member's figures and the
recognitions issued. Published is the policy's (`evaluations_visible_to` an anonymous visitor);
members' parts only once submitted, as the public report shows them."""

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from mreza.core import access
from mreza.core.access import anonymous_visitor as anonymous
from mreza.evaluation.models import Certificate, Evaluation, GoalResult, MemberEvaluation
from mreza.evaluation.services.recognition import platform_recognition
from mreza.opendata.providers.base import (
    DATE,
    INTEGER,
    MUNICIPALITY_CODE,
    NUMBER,
    STRING,
    Dataset,
    Field,
)
from mreza.opendata.providers.progress import published_workspaces

EVALUATION_ID = _("Identifier of the evaluation (see evaluations.csv)")


def public_evaluations():
    visible = access.evaluations_visible_to(anonymous(), Evaluation.objects.all())
    return visible.select_related("workspace").order_by("id")


def _submitted_parts():
    return list(
        MemberEvaluation.objects.filter(
            evaluation__in=public_evaluations(), submitted_at__isnull=False
        )
        .select_related("member__municipality")
        .order_by("evaluation_id", "id")
    )


def _evaluations():
    published = {w.pk for w in published_workspaces()}
    evaluations = list(
        public_evaluations().annotate(
            parts=Count("members", distinct=True),
            submitted=Count(
                "members", filter=Q(members__submitted_at__isnull=False), distinct=True
            ),
        )
    )
    for evaluation in evaluations:
        workspace = evaluation.workspace
        yield (
            evaluation.pk,
            evaluation.title,
            workspace.pk if workspace.pk in published else None,
            workspace.title,
            workspace.kind,
            workspace.area,
            evaluation.status,
            evaluation.closed_at.date() if evaluation.closed_at else None,
            evaluation.parts,
            evaluation.submitted,
        )


def _ratings(parts):
    counts: dict[int, dict[str, int]] = {}
    for row in (
        GoalResult.objects.filter(member_evaluation__in=[p.pk for p in parts])
        .values("member_evaluation_id", "rating")
        .annotate(n=Count("id"))
        .order_by()
    ):
        counts.setdefault(row["member_evaluation_id"], {})[row["rating"]] = row["n"]
    return counts


def _number(value):
    return None if value is None else round(float(value), 4)


def _members():
    parts = _submitted_parts()
    ratings = _ratings(parts)
    figures = platform_recognition().rows
    for part in parts:
        counts = ratings.get(part.pk, {})
        row = figures.get(part.pk)
        one = row.figures if row else None
        municipality = part.member.municipality
        yield (
            part.evaluation_id,
            municipality.code if municipality else "",
            part.member.foreign_name if municipality is None else "",
            part.submitted_at.date(),
            *(counts.get(r, 0) for r in GoalResult.Rating.values),
            _number(one.score) if one else None,
            _number(one.baseline) if one else None,
            _number(one.delta) if one else None,
            _number(one.scale.low) if one else None,
            _number(one.scale.high) if one else None,
            _number(one.share) if one else None,
            _number(one.share_delta) if one else None,
            part.lessons,
            part.keep_doing,
        )


def _recognitions():
    certificates = (
        Certificate.objects.filter(evaluation__in=public_evaluations(), revoked_at__isnull=True)
        .select_related("municipality")
        .order_by("evaluation_id", "kind", "id")
    )
    for certificate in certificates:
        yield (
            certificate.evaluation_id,
            certificate.municipality.code,
            certificate.kind,
            certificate.issued_at.date(),
        )


EVALUATIONS = Dataset(
    "evaluations",
    _("Published self-evaluations"),
    _("The self-evaluations of networks, partnerships and twinnings whose report is public."),
    (
        Field("evaluation_id", INTEGER, EVALUATION_ID),
        Field("title", STRING, _("Title")),
        Field("workspace_id", INTEGER, _("Its workspace, if the workspace is published too")),
        Field("workspace_title", STRING, _("Title of the network, partnership or twinning")),
        Field("workspace_kind", STRING, _("network, partnership or twinning")),
        Field("area", STRING, _("Subcriterion the network works on, if any")),
        Field("status", STRING, _("open or closed")),
        Field("closed_on", DATE, _("Day it was closed")),
        Field("members", INTEGER, _("Members taking part")),
        Field("members_submitted", INTEGER, _("Members that submitted their part")),
    ),
    _evaluations,
)

EVALUATION_MEMBERS = Dataset(
    "evaluation_members",
    _("Members' self-evaluations"),
    _(
        "Each submitted member's part of a published evaluation: goals by result, the "
        "re-assessment of the network's area against its baseline, and its lessons."
    ),
    (
        Field("evaluation_id", INTEGER, EVALUATION_ID),
        Field("municipality", STRING, MUNICIPALITY_CODE),
        Field("partner_abroad", STRING, _("Name of a partner abroad not in the registry")),
        Field("submitted_on", DATE, _("Day the part was submitted")),
        Field("goals_met", INTEGER, _("Goals met")),
        Field("goals_partly_met", INTEGER, _("Goals partly met")),
        Field("goals_not_met", INTEGER, _("Goals not met")),
        Field("goals_not_started", INTEGER, _("Goals not started")),
        Field("score", NUMBER, _("Mean consensus score of the re-assessment on the area")),
        Field("baseline", NUMBER, _("Mean score of the earlier assessment it is compared with")),
        Field("change", NUMBER, _("Score minus baseline")),
        Field("scale_low", NUMBER, _("Lowest score of the scale")),
        Field("scale_high", NUMBER, _("Highest score of the scale")),
        Field("score_0_100", NUMBER, _("The score placed on 0 to 100 of its scale")),
        Field("change_0_100", NUMBER, _("The change on 0 to 100 of the scale")),
        Field("lessons", STRING, _("Lessons learned, as the member wrote them")),
        Field("keep_doing", STRING, _("What the member will keep doing")),
    ),
    _members,
)

RECOGNITIONS = Dataset(
    "recognitions",
    _("Recognitions"),
    _("Certificates of recognition issued for published evaluations and not revoked."),
    (
        Field("evaluation_id", INTEGER, EVALUATION_ID),
        Field("municipality", STRING, MUNICIPALITY_CODE),
        Field("kind", STRING, _("best_result, most_improved or participation")),
        Field("issued_on", DATE, _("Day it was issued")),
    ),
    _recognitions,
)
