"""Domain operations of the self-assessment: each one checks its preconditions and writes
atomically."""

import hashlib
import json

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, IntegerField, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from mreza.assessment import scoring
from mreza.assessment.frameworks.schema import (
    KNOWN_LANGUAGES,
    iter_subcriteria,
    load_framework,
    shipped_framework_paths,
)
from mreza.assessment.models import (
    Assessment,
    Consensus,
    Criterion,
    Entry,
    Framework,
    GroupMember,
    LearningProfile,
    Subcriterion,
)
from mreza.core.versioning import save_or_create_versioned, save_versioned

MAX_GROUP_SIZE = 15
RECOMMENDED_GROUP_SIZE = 12


class AssessmentError(Exception):
    """A step that cannot be taken now; the message is shown to the user as it is."""


# ---------------------------------------------------------------- frameworks


def _structure(data):
    """What scores depend on: codes, panels, scales and the English source wording — everything but
    the translations."""
    if isinstance(data, dict):
        if data and set(data) <= set(KNOWN_LANGUAGES):
            return data.get("en")
        return {key: _structure(value) for key, value in data.items()}
    if isinstance(data, list):
        return [_structure(value) for value in data]
    return data


def _correct_wording(framework, data, checksum):
    """A used framework may have its translations corrected (a typo, a glossary term): scores stay
    comparable because codes, panels, scales and the English source are unchanged. Each change is
    audited."""
    framework.name, framework.data, framework.checksum = data["name"], data, checksum
    framework.save(update_fields=["name", "data", "checksum"])
    criteria = {c.code: c for c in framework.criteria.all()}
    for criterion in data["criteria"]:
        row = criteria[criterion["code"]]
        row.title, row.description = criterion["title"], criterion.get("description", {})
        row.save(update_fields=["title", "description"])
    subcriteria = {s.code: s for s in framework.subcriteria.all()}
    for _criterion, sub, _panels in iter_subcriteria(data):
        row = subcriteria[sub["code"]]
        row.title, row.description, row.examples = (
            sub["title"],
            sub.get("description", {}),
            sub.get("examples", []),
        )
        row.save(update_fields=["title", "description", "examples"])
    return framework


def install_framework(path_or_text):
    """Validate and store a framework file. A used framework is never changed: publish a new
    version."""
    data = load_framework(path_or_text)
    checksum = hashlib.sha256(
        json.dumps(data, sort_keys=True, ensure_ascii=False).encode()
    ).hexdigest()
    with transaction.atomic():
        existing = Framework.objects.filter(code=data["code"], version=data["version"]).first()
        if existing and existing.checksum == checksum:
            return existing, False
        if existing and existing.assessments.exists():
            if _structure(existing.data) == _structure(data):
                return _correct_wording(existing, data, checksum), False
            raise AssessmentError(
                _(
                    "Framework %(code)s version %(version)s is already used by assessments and "
                    "cannot change. "
                    "Give the file a new version."
                )
                % {"code": data["code"], "version": data["version"]}
            )
        if existing:
            existing.criteria.all().delete()
            existing.name, existing.data, existing.checksum = data["name"], data, checksum
            existing.save(update_fields=["name", "data", "checksum"])
            framework = existing
        else:
            framework = Framework.objects.create(
                code=data["code"],
                version=data["version"],
                name=data["name"],
                data=data,
                checksum=checksum,
            )
        criteria = {}
        for position, criterion in enumerate(data["criteria"]):
            criteria[criterion["code"]] = Criterion.objects.create(
                framework=framework,
                code=criterion["code"],
                position=position,
                title=criterion["title"],
                description=criterion.get("description", {}),
            )
        subcriteria = []
        for position, (criterion, sub, panels) in enumerate(iter_subcriteria(data)):
            subcriteria.append(
                Subcriterion(
                    framework=framework,
                    criterion=criteria[criterion["code"]],
                    code=sub["code"],
                    position=position,
                    title=sub["title"],
                    description=sub.get("description", {}),
                    examples=sub.get("examples", []),
                    panels={method: panel["code"] for method, panel in panels.items()},
                )
            )
        Subcriterion.objects.bulk_create(subcriteria)
    return framework, True


def install_shipped_frameworks():
    return [install_framework(path)[0] for path in shipped_framework_paths()]


# ---------------------------------------------------------------- the assessment


def start_assessment(*, municipality, framework, method, title, period_start, period_end, user):
    if method not in framework.methods:
        raise AssessmentError(_("This framework does not offer that scoring method."))
    with transaction.atomic():
        assessment = Assessment.objects.create(
            municipality=municipality,
            framework=framework,
            method=method,
            title=title,
            period_start=period_start,
            period_end=period_end,
            created_by=user,
        )
        GroupMember.objects.create(
            assessment=assessment, user=user, role=GroupMember.Role.ADMINISTRATOR
        )
    return assessment


def add_member(assessment, user, role):
    if assessment.status != Assessment.Status.SCORING:
        raise AssessmentError(_("The group can change only while individual scoring is open."))
    if assessment.members.count() >= MAX_GROUP_SIZE:
        raise AssessmentError(
            _("A self-assessment group has at most %(n)s members.") % {"n": MAX_GROUP_SIZE}
        )
    member, created = GroupMember.objects.get_or_create(
        assessment=assessment, user=user, defaults={"role": role}
    )
    if not created and member.role != role:
        member.role = role
        member.save(update_fields=["role"])
    return member


def remove_member(assessment, member):
    if assessment.status != Assessment.Status.SCORING:
        raise AssessmentError(_("The group can change only while individual scoring is open."))
    if (
        member.role == GroupMember.Role.ADMINISTRATOR
        and not assessment.members.filter(role=GroupMember.Role.ADMINISTRATOR)
        .exclude(pk=member.pk)
        .exists()
    ):
        raise AssessmentError(_("The group needs at least one administrator."))
    if Entry.objects.filter(assessment=assessment, assessor_id=member.user_id).exists():
        raise AssessmentError(
            _("This person has already scored; their work stays part of the assessment.")
        )
    member.delete()


def subcriteria_queryset(assessment):
    """The subcriteria the assessment covers, in framework order: its scope when it has one."""
    found = Subcriterion.objects.filter(framework_id=assessment.framework_id)
    if assessment.scope:
        found = found.filter(code__in=assessment.scope)
    return found.order_by("position")


def subcriteria_of(assessment):
    """What every page, check and export of the assessment lists (see subcriteria_queryset)."""
    return list(subcriteria_queryset(assessment).select_related("criterion"))


# ---------------------------------------------------------------- re-assessment of some areas


BASELINE_STATUSES = (Assessment.Status.ACCEPTED, Assessment.Status.CLOSED)


def start_reassessment(*, baseline, codes, title, period_start, period_end, user):
    """A short assessment of the subcriteria `codes` only, by the same individual → consensus
    flow, compared with `baseline` (closed or accepted): same municipality, framework and method.
    Raises ValidationError with the reason when it cannot start."""
    if baseline.status not in BASELINE_STATUSES:
        raise ValidationError(
            _(
                "A re-assessment is compared with a closed or accepted assessment; "
                "“%(title)s” is not closed yet."
            )
            % {"title": baseline.title}
        )
    codes = list(dict.fromkeys(str(code).strip() for code in codes or ()))
    if not codes:
        raise ValidationError(_("Choose at least one subcriterion to re-assess."))
    assessment = Assessment(
        municipality_id=baseline.municipality_id,
        framework_id=baseline.framework_id,
        method=baseline.method,
        title=title,
        period_start=period_start,
        period_end=period_end,
        created_by=user,
        scope=codes,
        baseline=baseline,
    )
    assessment.full_clean()
    order = dict(subcriteria_queryset(assessment).values_list("code", "position"))
    assessment.scope = sorted(codes, key=order.__getitem__)
    with transaction.atomic():
        assessment.save()
        GroupMember.objects.create(
            assessment=assessment, user=user, role=GroupMember.Role.ADMINISTRATOR
        )
    return assessment


def reassessment_deltas(assessment):
    """[(subcriterion, baseline consensus score, new consensus score, new - baseline)] for the
    subcriteria the assessment covers; None where a score is missing (no baseline, "not agreed
    yet"). Three queries."""
    subcriteria = subcriteria_of(assessment)
    now = consensus_scores(assessment)
    before = (
        dict(
            Consensus.objects.filter(assessment_id=assessment.baseline_id).values_list(
                "subcriterion__code", "score"
            )
        )
        if assessment.baseline_id
        else {}
    )
    codes = [s.code for s in subcriteria]
    delta = scoring.deltas({c: now.get(c) for c in codes}, {c: before.get(c) for c in codes})
    return [(s, before.get(s.code), now.get(s.code), delta[s.code]) for s in subcriteria]


def latest_baseline(municipality, framework):
    """The municipality's newest accepted whole-framework assessment of `framework`, else its
    newest closed one, else None: what a re-assessment is compared with."""
    accepted_first = Case(
        When(status=Assessment.Status.ACCEPTED, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    return (
        Assessment.objects.filter(
            municipality=municipality,
            framework=framework,
            status__in=BASELINE_STATUSES,
            scope=[],
        )
        .select_related("framework", "municipality")
        .order_by(accepted_first, "-period_end", "-id")
        .first()
    )


def _require_in_scope(assessment, subcriterion):
    if assessment.scope and subcriterion.code not in assessment.scope:
        raise AssessmentError(
            _("This re-assessment does not cover subcriterion %(code)s.")
            % {"code": subcriterion.code}
        )


def save_entry(assessment, user, subcriterion, values, expected_version=None):
    """An assessor's score and texts for one subcriterion; nobody else's entry is ever touched."""
    if assessment.status != Assessment.Status.SCORING:
        raise AssessmentError(_("Individual scoring is closed for this assessment."))
    member = assessment.members.filter(user=user).first()
    if member is None:
        raise AssessmentError(_("Only members of the self-assessment group can score."))
    if member.submitted_at:
        raise AssessmentError(_("You have submitted your scores; they can no longer change."))
    _require_in_scope(assessment, subcriterion)
    return save_or_create_versioned(
        Entry,
        {"assessment": assessment, "assessor": user, "subcriterion": subcriterion},
        values,
        expected_version,
    )


def submit(assessment, user):
    member = assessment.members.filter(user=user).first()
    if member is None or assessment.status != Assessment.Status.SCORING:
        raise AssessmentError(_("Individual scoring is closed for this assessment."))
    answered = set(
        Entry.objects.filter(assessment=assessment, assessor=user)
        .filter(models_answered())
        .values_list("subcriterion__code", flat=True)
    )
    missing = [s.code for s in subcriteria_of(assessment) if s.code not in answered]
    if missing:
        raise AssessmentError(
            _("Give a score or “don't know” for every subcriterion first. Missing: %(codes)s.")
            % {"codes": ", ".join(missing)}
        )
    member.submitted_at = timezone.now()
    member.save(update_fields=["submitted_at"])


def models_answered():
    return Q(dont_know=True) | Q(score__isnull=False)


def start_consensus(assessment):
    if assessment.status != Assessment.Status.SCORING:
        raise AssessmentError(_("Consensus can start only after individual scoring."))
    if not assessment.members.filter(submitted_at__isnull=False).exists():
        raise AssessmentError(_("At least one assessor must submit scores first."))
    assessment.status = Assessment.Status.CONSENSUS
    assessment.save(update_fields=["status"])


def record_consensus(assessment, subcriterion, values, user, expected_version):
    if assessment.status not in (Assessment.Status.SCORING, Assessment.Status.CONSENSUS):
        raise AssessmentError(_("The assessment is closed; the consensus can no longer change."))
    _require_in_scope(assessment, subcriterion)
    values = dict(values, updated_by=user)
    return save_or_create_versioned(
        Consensus,
        {"assessment": assessment, "subcriterion": subcriterion},
        values,
        expected_version,
    )


def close(assessment):
    if assessment.status != Assessment.Status.CONSENSUS:
        raise AssessmentError(_("Start and finish the consensus before closing."))
    agreed = set(
        assessment.consensus.filter(score__isnull=False).values_list(
            "subcriterion__code", flat=True
        )
    )
    missing = [s.code for s in subcriteria_of(assessment) if s.code not in agreed]
    if missing:
        raise AssessmentError(
            _("Record a consensus score for every subcriterion first. Missing: %(codes)s.")
            % {"codes": ", ".join(missing)}
        )
    assessment.status = Assessment.Status.CLOSED
    assessment.closed_at = timezone.now()
    assessment.save(update_fields=["status", "closed_at"])


def accept(assessment, user):
    if assessment.status != Assessment.Status.CLOSED:
        raise AssessmentError(_("Only a closed assessment's report can be accepted."))
    assessment.status = Assessment.Status.ACCEPTED
    assessment.accepted_at = timezone.now()
    assessment.accepted_by = user
    assessment.save(update_fields=["status", "accepted_at", "accepted_by"])


# ---------------------------------------------------------------- results


def consensus_scores(assessment):
    return dict(assessment.consensus.values_list("subcriterion__code", "score"))


def results(assessment):
    """Everything the report shows, computed with a fixed number of queries."""
    framework = assessment.framework.data
    subcriteria = subcriteria_of(assessment)
    consensus = {c.subcriterion_id: c for c in assessment.consensus.all()}
    scores = {s.code: consensus[s.pk].score if s.pk in consensus else None for s in subcriteria}
    previous = compared_with(assessment)
    previous_scores = consensus_scores(previous) if previous else {}
    if assessment.scope:
        # criterion roll-ups compare like with like: the baseline over the same subcriteria
        previous_scores = {c: v for c, v in previous_scores.items() if c in scores}
    by_criterion = scoring.criterion_scores(framework, scores, assessment.method)
    previous_by_criterion = (
        scoring.criterion_scores(framework, previous_scores, assessment.method) if previous else {}
    )
    return {
        "subcriteria": subcriteria,
        "consensus": consensus,
        "scores": scores,
        "criterion_scores": by_criterion,
        "total": scoring.total_score(framework, scores, assessment.method),
        "previous": previous,
        "previous_scores": previous_scores,
        "previous_criterion_scores": previous_by_criterion,
        "deltas": scoring.deltas(scores, previous_scores) if previous else {},
        "criterion_deltas": scoring.deltas(by_criterion, previous_by_criterion) if previous else {},
    }


def compared_with(assessment):
    """The assessment a report compares with: the baseline of a re-assessment, else the last
    accepted whole-framework assessment before it."""
    if assessment.baseline_id:
        return assessment.baseline
    return assessment.previous()


def proposed_profile(assessment):
    return scoring.propose_profile(
        assessment.framework.data, consensus_scores(assessment), assessment.method
    )


def ensure_profile(assessment):
    if assessment.status != Assessment.Status.ACCEPTED:
        raise AssessmentError(_("The learning profile is made from an accepted assessment."))
    if assessment.scope:
        # a profile describes needs and strengths across the whole framework; grouping and the
        # workspaces' baselines read the newest profile, which a partial one would replace
        raise AssessmentError(
            _(
                "A re-assessment of some subcriteria makes no learning profile; the profile "
                "comes from an assessment of the whole framework."
            )
        )
    profile = LearningProfile.objects.filter(assessment=assessment).first()
    if profile is None:
        proposal = proposed_profile(assessment)
        profile = LearningProfile.objects.create(
            assessment=assessment,
            municipality_id=assessment.municipality_id,
            needs=proposal["needs"],
            strengths=proposal["strengths"],
        )
    return profile


# ---------------------------------------------------------------- improvement plan and profile


def save_action(assessment, action, fields, expected_version):
    """Create an improvement action of `assessment`, or save the edited `fields` of an existing
    one under optimistic locking (EditConflict when someone saved it meanwhile)."""
    if action.pk is None:
        action.assessment = assessment
        action.save()
        return action
    save_versioned(action, list(fields), expected_version)
    return action


def save_profile(profile, needs, strengths, sharing, expected_version):
    """Save the municipality's choice of needs, offers and sharing under optimistic locking."""
    profile.needs, profile.strengths, profile.sharing = needs, strengths, sharing
    save_versioned(profile, ["needs", "strengths", "sharing"], expected_version)
    return profile
