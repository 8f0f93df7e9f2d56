"""What the practice services share: their error, who is told about a step, and how they are
told (the notifications of progress: each person's choice of e-mail at once, a weekly digest or
none, in their language, with the unsubscribe link)."""

from django.urls import NoReverseMatch, reverse

from mreza.accounts.models import MunicipalRole, OrganisationRole
from mreza.core.roles import MANAGING_ROLES, OrganisationRoleName
from mreza.core.templatetags.mreza import script
from mreza.progress.models import Notification
from mreza.progress.services import notifications
from mreza.registry.models import Membership

# Notification.Kind has no kind of its own for good practices (that is a progress model change,
# with its migration); these are the nearest: something waits for the recipient, a refusal, news.
TO_DO = Notification.Kind.ASSIGNED
REFUSED = Notification.Kind.DECLINED
NEWS = Notification.Kind.PRACTICE
# the values that are user or registry text: shown in each recipient's script
USER_TEXT = frozenset({"title", "municipality", "learner", "comment", "message", "note"})


class PracticeError(Exception):
    """A step that cannot be taken now (a translated sentence for the user)."""


def detail_path(practice) -> str:
    """The practice's page (the public portal's), or its history page while that is missing."""
    try:
        return reverse("practices:detail", args=[practice.pk])
    except NoReverseMatch:
        return reverse("practices:history", args=[practice.pk])


def _organisation_people(municipality_id, role):
    organisations = Membership.objects.filter(municipality_id=municipality_id).values(
        "organisation_id"
    )
    return [
        r.user
        for r in OrganisationRole.objects.filter(
            organisation_id__in=organisations, role=role
        ).select_related("user")
    ]


def reviewers(practice):
    """The network coordinators of the organisations the municipality is a member of."""
    return _organisation_people(practice.municipality_id, OrganisationRoleName.NETWORK_COORDINATOR)


def experts(practice):
    return _organisation_people(practice.municipality_id, OrganisationRoleName.EXPERT)


def managers(municipality_id):
    """The municipality's coordinators and management."""
    return [
        r.user
        for r in MunicipalRole.objects.filter(
            municipality_id=municipality_id, role__in=list(MANAGING_ROLES)
        ).select_related("user")
    ]


def authors(practice):
    """Who wrote it and who answers for the municipality."""
    people = managers(practice.municipality_id)
    if practice.created_by_id:
        people.append(practice.created_by)
    return people


def notify(users, kind, subject, body, values, url, *, exclude=None, dedupe_key=""):
    """Tell `users` (each once; not `exclude`, who took the step) through the notifications of
    progress: a row on their notifications page and the e-mail as each chose. `subject` and `body`
    are callables returning the translated text with %(name)s places filled from `values`, both
    evaluated in each recipient's language (user text in their script); `url` is the site path the
    notification links to; with `dedupe_key`, whoever already has it is not told again."""

    def filled(text):
        def evaluate(_user):
            local = {k: script(v) if k in USER_TEXT else v for k, v in values.items()}
            return text() % local

        return evaluate

    recipients = [u for u in users if u is not None and (exclude is None or u.pk != exclude.pk)]
    return notifications.notify(
        recipients, kind, None, filled(subject), filled(body), url, dedupe_key=dedupe_key
    )
