"""Networks and network places (step 2), as their pages show them."""

import datetime
from typing import Literal

from django.db.models import Prefetch
from ninja import Field, Query, Schema

from mreza.api.conventions import Page, PageParams, paginate
from mreza.api.private.common import READ_ERRORS, get_visible, router
from mreza.api.scripts import shown
from mreza.core.access import network_places_visible_to, networks_visible_to
from mreza.networks.models import Network, NetworkMembership

networks = router("private: networks")
places = router("private: network places")

PlaceStatus = Literal["invited", "accepted", "declined"]


class PlaceOut(Schema):
    id: int
    network: int
    municipality: str = Field(description="The municipality's code.")
    status: PlaceStatus = Field(description="The municipality's answer.")
    responded_at: datetime.datetime | None


class NetworkOut(Schema):
    id: int
    title: str
    area: str = Field(description="The framework area (subcriterion code) the network works on.")
    host: str | None = Field(description="The host municipality's code.")
    organisation: str = Field(description="The coordinating organisation's code.")
    round: int = Field(description="The grouping round it came from.")
    confirmed_at: datetime.datetime | None
    places: list[PlaceOut]


def place_out(place: NetworkMembership) -> dict:
    return {
        "id": place.pk,
        "network": place.network_id,
        "municipality": place.municipality.code,
        "status": place.status,
        "responded_at": place.responded_at,
    }


def network_out(network: Network) -> dict:
    return {
        "id": network.pk,
        "title": shown(network.title),
        "area": network.area,
        "host": network.host.code if network.host_id else None,
        "organisation": network.round.organisation.code,
        "round": network.round_id,
        "confirmed_at": network.confirmed_at,
        # the network's page lists every member to whoever may see the network
        "places": [place_out(p) for p in network.memberships.all()],
    }


def _networks(request):
    memberships = NetworkMembership.objects.select_related("municipality").order_by(
        "municipality__name", "id"
    )
    return networks_visible_to(
        request.user,
        Network.objects.select_related("host", "round__organisation").prefetch_related(
            Prefetch("memberships", queryset=memberships)
        ),
    )


class NetworkFilters(PageParams):
    area: str | None = Field(None, max_length=40, description="A framework area code.")
    confirmed: bool | None = Field(None, description="Only confirmed (or only unconfirmed) ones.")


@networks.get("", response={200: Page[NetworkOut], **READ_ERRORS}, summary="Networks")
def network_list(request, filters: Query[NetworkFilters]):
    """The networks the token's user may see: those their municipalities are in, and those of
    the rounds their organisation coordinates. Newest first."""
    rows = _networks(request)
    if filters.area:
        rows = rows.filter(area=filters.area)
    if filters.confirmed is not None:
        rows = rows.filter(confirmed_at__isnull=not filters.confirmed)
    return paginate(request, rows.order_by("-created_at", "-id"), filters, network_out)


@networks.get("/{network_id}", response={200: NetworkOut, **READ_ERRORS}, summary="A network")
def network_detail(request, network_id: int):
    return network_out(get_visible(request, _networks(request), pk=network_id))


class PlaceFilters(PageParams):
    status: PlaceStatus | None = None


@places.get("", response={200: Page[PlaceOut], **READ_ERRORS}, summary="My network places")
def place_list(request, filters: Query[PlaceFilters]):
    """The places of the token's user's municipalities in networks, with their answers."""
    rows = network_places_visible_to(
        request.user, NetworkMembership.objects.select_related("municipality")
    )
    if filters.status:
        rows = rows.filter(status=filters.status)
    return paginate(request, rows.order_by("-network_id", "id"), filters, place_out)
