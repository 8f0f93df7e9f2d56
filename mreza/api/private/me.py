"""Who the token is: its user and its own limits (a client's first call, to check its setup)."""

import datetime

from ninja import Field, Schema

from mreza.api.private.common import READ_ERRORS
from mreza.api.private.common import router as make_router
from mreza.core import access
from mreza.registry.models import Municipality

router = make_router("private: the token")


class MunicipalRoleOut(Schema):
    municipality: str = Field(description="The municipality's code.")
    roles: list[str]


class MeOut(Schema):
    name: str = Field(description="The token user's full name.")
    token: str = Field(description="The token's name and shown prefix, e.g. `mrz_1a2b3c4d`.")
    token_name: str
    read_only: bool
    expires_at: datetime.datetime | None
    municipal_roles: list[MunicipalRoleOut]


@router.get("", response={200: MeOut, **READ_ERRORS}, summary="The token and its user")
def me(request):
    token, user = request.api_token, request.user
    held = access.roles_of(user).municipal
    codes = dict(Municipality.objects.filter(pk__in=list(held)).values_list("pk", "code"))
    return {
        "name": str(user),
        "token": token.shown_prefix,
        "token_name": token.name,
        "read_only": token.read_only,
        "expires_at": token.expires_at,
        "municipal_roles": [
            {"municipality": codes[m], "roles": sorted(r)}
            for m, r in sorted(held.items())
            if m in codes
        ],
    }
