"""The token API: a user's own data, through a personal token (`mreza.api.auth`), decided by the
same access policy as the pages. One router module per domain; `api.py` mounts ROUTERS.

The writes (`plan_writes`) add their operations to the workspaces router, so that module is
imported here for its side effect."""

from mreza.api.private import assessments, me, networks, plan_writes, workspaces

ROUTERS: list = [  # (prefix, ninja.Router), filled by the private API
    ("/private/me", me.router),
    ("/private/profiles", assessments.profiles),
    ("/private/assessments", assessments.assessments),
    ("/private/networks", networks.networks),
    ("/private/network-places", networks.places),
    ("/private/workspaces", workspaces.workspaces),
]

__all__ = ["ROUTERS", "plan_writes"]
