"""Help to adopt a published practice: the author's municipality offers it, another municipality
asks for it, and the request becomes a step-2 partnership (mentor: the practice's municipality,
learner: the one asking) that the network coordinator confirms on the usual page
(/networks/rounds/<round>/partnerships/<id>/confirm/). Adoptions are recorded as replications.

Both sides' answers are set to "accepted" on the partnership: the open offer is the mentor's yes and
the request the learner's, so what is left is the coordinator's confirmation."""

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from mreza.assessment.models import Framework
from mreza.core.versioning import save_versioned
from mreza.networks.models import GroupingRound, Partnership, Response
from mreza.networks.services import round_coordinators
from mreza.practices.models import Practice, Replication, TransferOffer, TransferRequest
from mreza.practices.services.common import (
    NEWS,
    TO_DO,
    PracticeError,
    detail_path,
    managers,
    notify,
    reviewers,
)
from mreza.registry.models import Membership, Organisation

STANDING_ROUND_TITLE = "Transfers of good practices"
# marks the standing round of an organisation among its grouping rounds
STANDING_MARK = "practice_transfers"


def save_offer(practice, user, *, description: str, is_open: bool, version: int | None = None):
    """Create the offer, or change it from `version` (EditConflict if someone saved since)."""
    if practice.status != Practice.Status.PUBLISHED:
        raise PracticeError(_("Help can be offered only for a published practice."))
    description = description.strip()
    if not description:
        raise PracticeError(_("Describe the help you offer."))
    offer = TransferOffer.objects.filter(practice=practice).first()
    if offer is None:
        return TransferOffer.objects.create(
            practice=practice, description=description, is_open=is_open, created_by=user
        )
    offer.description, offer.is_open = description, is_open
    save_versioned(offer, ["description", "is_open"], offer.version if version is None else version)
    return offer


def _framework():
    framework = (
        Framework.objects.filter(code="caf2020").order_by("-version").first()
        or Framework.objects.order_by("code", "-version").first()
    )
    if framework is None:
        raise PracticeError(_("No assessment framework is installed; ask the administrator."))
    return framework


def standing_round(municipality):
    """The organisation's published round that holds transfer partnerships (made when first
    needed), for the association the practice's municipality belongs to. Two first requests at
    once make one round: the organisation's row is locked before the round is looked up (in the
    caller's transaction, if it has one)."""
    memberships = list(
        Membership.objects.filter(municipality=municipality).select_related("organisation")
    )
    memberships.sort(
        key=lambda m: (m.organisation.kind != Organisation.Kind.ASSOCIATION, m.organisation_id)
    )
    membership = memberships[0] if memberships else None
    if membership is None:
        raise PracticeError(
            _(
                "%(municipality)s is not a member of any association, so no network coordinator "
                "can confirm the partnership. Ask the association to register its membership."
            )
            % {"municipality": municipality.name}
        )
    organisation = membership.organisation
    with transaction.atomic():
        # the second of two concurrent first requests waits here until the first has committed,
        # then finds its round (PostgreSQL: SELECT ... FOR UPDATE). SQLite has no FOR UPDATE;
        # there every transaction begins IMMEDIATE (settings: transaction_mode), which already
        # makes the lookup and the creation one writer's at a time.
        Organisation.objects.select_for_update().get(pk=organisation.pk)
        round_ = (
            GroupingRound.objects.filter(organisation=organisation, filters__kind=STANDING_MARK)
            .order_by("pk")
            .first()
        )
        if round_ is not None:
            return round_
        return GroupingRound.objects.create(
            organisation=organisation,
            framework=_framework(),
            title=STANDING_ROUND_TITLE,
            areas=[],
            params={},
            filters={"kind": STANDING_MARK},
            status=GroupingRound.Status.PUBLISHED,
            proposal={"networks": [], "partnerships": []},
            published_at=timezone.now(),
        )


def _round_for(practice):
    if practice.network_id and practice.network.round_id:
        return practice.network.round
    return standing_round(practice.municipality)


def request_transfer(practice, user, municipality, message: str = "", request=None):
    """`municipality` asks for the offered help: a pending request and its partnership proposal."""
    offer = TransferOffer.objects.filter(practice=practice).first()
    if practice.status != Practice.Status.PUBLISHED or offer is None or not offer.is_open:
        raise PracticeError(_("This practice has no open offer of help now."))
    if municipality.pk == practice.municipality_id:
        raise PracticeError(_("A municipality cannot ask for help with its own practice."))
    area = practice.areas.order_by("position").values_list("code", flat=True).first() or "practice"
    now = timezone.now()
    try:
        with transaction.atomic():
            partnership = Partnership.objects.create(
                round=_round_for(practice),
                area=area,
                learner=municipality,
                mentor=practice.municipality,
                learner_status=Response.ACCEPTED,
                learner_responded_by=user,
                learner_responded_at=now,
                mentor_status=Response.ACCEPTED,
                mentor_responded_by=offer.created_by,
                mentor_responded_at=now,
            )
            transfer = TransferRequest.objects.create(
                offer=offer,
                municipality=municipality,
                message=message.strip(),
                partnership=partnership,
                requested_by=user,
            )
    except IntegrityError as error:
        raise PracticeError(
            _("%(municipality)s has already asked for this help; the request is waiting.")
            % {"municipality": municipality.name}
        ) from error
    _tell_about_request(practice, partnership, transfer, user, request)
    return transfer


def _tell_about_request(practice, partnership, transfer, user, request):
    round_ = partnership.round
    coordinators = round_coordinators(round_)
    values = {
        "title": practice.title,
        "municipality": transfer.municipality.name,
        "message": transfer.message or "—",
    }
    notify(
        [*coordinators, *reviewers(practice)],
        TO_DO,
        lambda: _("A partnership to confirm: %(municipality)s asks to adopt “%(title)s”"),
        lambda: _(
            "%(municipality)s asks for help to adopt the good practice “%(title)s”. Its "
            "partnership waits for your confirmation.\n\nMessage: %(message)s"
        ),
        values,
        reverse("networks:round", args=[round_.pk]) + "#answers",
        exclude=user,
    )
    notify(
        managers(practice.municipality_id),
        NEWS,
        lambda: _("%(municipality)s asks for help to adopt “%(title)s”"),
        lambda: _(
            "%(municipality)s asks for the help you offered with “%(title)s”. The network "
            "coordinator confirms the partnership.\n\nMessage: %(message)s"
        ),
        values,
        detail_path(practice),
        exclude=user,
    )


def partnership_confirmed(partnership):
    """Mark the transfer request of a confirmed partnership confirmed, and tell both
    municipalities (a post_save hook of networks.Partnership, and called by the pages that show
    requests)."""
    if partnership.confirmed_at is None:
        return
    for transfer in TransferRequest.objects.filter(
        partnership=partnership, status=TransferRequest.Status.PENDING
    ).select_related("offer__practice__municipality", "municipality", "requested_by"):
        transfer.status = TransferRequest.Status.CONFIRMED
        transfer.save(update_fields=["status"])
        _tell_about_confirmation(transfer, partnership)


def _tell_about_confirmation(transfer, partnership):
    practice = transfer.offer.practice
    notify(
        [
            transfer.requested_by,
            *managers(transfer.municipality_id),
            *managers(practice.municipality_id),
        ],
        NEWS,
        lambda: _("Partnership confirmed: %(learner)s adopts “%(title)s”"),
        lambda: _(
            "The network coordinator confirmed the partnership in which %(municipality)s helps "
            "%(learner)s adopt the good practice “%(title)s”. Its workspace is open to both "
            "municipalities."
        ),
        {
            "title": practice.title,
            "municipality": practice.municipality.name,
            "learner": transfer.municipality.name,
        },
        detail_path(practice),
        exclude=partnership.confirmed_by,
        # the post_save hook and sync_requests may both see the confirmation
        dedupe_key=f"practices:transfer-confirmed:{transfer.pk}",
    )


def sync_requests(practice):
    """Requests of this practice whose partnership the coordinator has confirmed meanwhile."""
    for transfer in TransferRequest.objects.filter(
        offer__practice=practice,
        status=TransferRequest.Status.PENDING,
        partnership__confirmed_at__isnull=False,
    ).select_related(
        "offer__practice__municipality", "municipality", "requested_by", "partnership"
    ):
        transfer.status = TransferRequest.Status.CONFIRMED
        transfer.save(update_fields=["status"])
        _tell_about_confirmation(transfer, transfer.partnership)


def record_replication(practice, user, municipality, year: int, note: str = ""):
    """“Adopted by X in 2027”, once per municipality."""
    if practice.status != Practice.Status.PUBLISHED:
        raise PracticeError(_("Adoptions are recorded for published practices."))
    if municipality.pk == practice.municipality_id:
        raise PracticeError(_("The practice's own municipality cannot adopt it."))
    transfer = (
        TransferRequest.objects.filter(offer__practice=practice, municipality=municipality)
        .exclude(status=TransferRequest.Status.DECLINED)
        .order_by("-requested_at")
        .first()
    )
    try:
        with transaction.atomic():
            return Replication.objects.create(
                practice=practice,
                municipality=municipality,
                year=year,
                note=note.strip(),
                request=transfer,
                recorded_by=user,
            )
    except IntegrityError as error:
        raise PracticeError(
            _("The adoption by %(municipality)s is already recorded.")
            % {"municipality": municipality.name}
        ) from error
