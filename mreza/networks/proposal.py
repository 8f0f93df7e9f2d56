"""Evaluate and explain a grouping proposal (pure Python, no Django).

The engine (`mreza.grouping`) finds a proposal; this module re-computes its objective after the
coordinator's edits, lists broken constraints in words a coordinator understands, and explains
each membership. Messages are untranslated templates (`gettext_noop`) with parameters.
"""

import math


def gettext_noop(message):
    return message


EARTH_KM = 6371.0088

TOO_SMALL = gettext_noop(
    "Network %(index)s (%(area)s) has %(size)s members; at least %(min)s are needed."
)
TOO_BIG = gettext_noop(
    "Network %(index)s (%(area)s) has %(size)s members; at most %(max)s are allowed."
)
NO_NEED = gettext_noop("%(name)s has no need in %(area)s, the area of network %(index)s.")
TWICE_IN_AREA = gettext_noop("%(name)s is in two networks of area %(area)s.")
TOO_MANY_NETWORKS = gettext_noop("%(name)s is in %(count)s networks; at most %(max)s are allowed.")
PARTNER_NO_NEED = gettext_noop(
    "Partnership %(learner)s ← %(mentor)s: the learner has no need in %(area)s."
)
PARTNER_NO_STRENGTH = gettext_noop(
    "Partnership %(learner)s ← %(mentor)s: the mentor has no strength in %(area)s."
)
TOO_MANY_MENTEES = gettext_noop(
    "%(name)s mentors %(count)s municipalities; at most %(max)s are allowed."
)

REASON_FEW = gettext_noop(
    "Too few municipalities share its areas (%(areas)s): at least %(min)s are needed for a network."
)
REASON_NO_NEEDS = gettext_noop("Its learning profile names no need in the areas of this round.")
REASON_TRADE_OFF = gettext_noop(
    "Networks in its areas (%(areas)s) were full or too far away; including it "
    "would lower the total."
)
ALTERNATIVE = gettext_noop(
    "Network %(index)s (%(area)s, meeting in %(host)s): need %(need)s, %(km)s km to the host"
)


def km(a, b):
    lat1, lon1, lat2, lon2 = map(math.radians, (a["lat"], a["lon"], b["lat"], b["lon"]))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_KM * math.asin(min(1.0, math.sqrt(h)))


def best_host(people, members):
    """The member minimising the members' total distance to it (where the network meets)."""
    best = None
    for h in sorted(members):
        total = sum(km(people[m], people[h]) for m in members)
        if best is None or total < best[1] - 1e-9:
            best = (h, total)
    return best


def evaluate(people, params, proposal, names=None):
    """Objective, hosts, per-member facts and problems of a (possibly edited) proposal.

    people: {id: {"lat", "lon", "needs": {area: w}, "strengths": {area: w}}}
    proposal: {"networks": [{"area", "members", "locked"?}], "partnerships": [{"learner", "mentor",
    "area"}]}
    """
    names = names or {}
    name = names.get
    dw = params.get("distance_weight", 0.1)
    mdw = params.get("mentor_distance_weight", 0.05)
    problems, networks = [], []
    counts, areas_seen = {}, set()
    for index, net in enumerate(proposal.get("networks", []), start=1):
        area, members = net["area"], list(dict.fromkeys(net["members"]))
        host, total_km = best_host(people, members) if members else (None, 0.0)
        need_sum = sum(people[m]["needs"].get(area, 0) for m in members)
        value = need_sum - dw * total_km / 100
        rows = [
            {
                "id": m,
                "need": people[m]["needs"].get(area, 0),
                "km": round(km(people[m], people[host]), 1) if host else 0.0,
            }
            for m in members
        ]
        networks.append(
            {
                "index": index,
                "area": area,
                "host": host,
                "members": rows,
                "value": value,
                "locked": bool(net.get("locked")),
                "total_km": total_km,
            }
        )
        if len(members) < params.get("min_size", 6):
            problems.append(
                (
                    TOO_SMALL,
                    {
                        "index": index,
                        "area": area,
                        "size": len(members),
                        "min": params.get("min_size", 6),
                    },
                )
            )
        if len(members) > params.get("max_size", 12):
            problems.append(
                (
                    TOO_BIG,
                    {
                        "index": index,
                        "area": area,
                        "size": len(members),
                        "max": params.get("max_size", 12),
                    },
                )
            )
        for m in members:
            if people[m]["needs"].get(area, 0) <= 0:
                problems.append((NO_NEED, {"name": name(m, m), "area": area, "index": index}))
            if (m, area) in areas_seen:
                problems.append((TWICE_IN_AREA, {"name": name(m, m), "area": area}))
            areas_seen.add((m, area))
            counts[m] = counts.get(m, 0) + 1
    limit = params.get("max_networks_per_municipality", 1)
    for m, count in sorted(counts.items()):
        if count > limit:
            problems.append((TOO_MANY_NETWORKS, {"name": name(m, m), "count": count, "max": limit}))
    partnerships, mentees = [], {}
    for p in proposal.get("partnerships", []):
        learner, mentor, area = p["learner"], p["mentor"], p["area"]
        need = people[learner]["needs"].get(area, 0)
        strength = people[mentor]["strengths"].get(area, 0)
        distance = km(people[learner], people[mentor])
        partnerships.append(
            dict(
                p,
                need=need,
                strength=strength,
                km=round(distance, 1),
                value=need * strength - mdw * distance / 100,
            )
        )
        mentees[mentor] = mentees.get(mentor, 0) + 1
        if need <= 0:
            problems.append(
                (
                    PARTNER_NO_NEED,
                    {
                        "learner": name(learner, learner),
                        "mentor": name(mentor, mentor),
                        "area": area,
                    },
                )
            )
        if strength <= 0:
            problems.append(
                (
                    PARTNER_NO_STRENGTH,
                    {
                        "learner": name(learner, learner),
                        "mentor": name(mentor, mentor),
                        "area": area,
                    },
                )
            )
    for mentor, count in sorted(mentees.items()):
        if count > params.get("max_mentees_per_mentor", 2):
            problems.append(
                (
                    TOO_MANY_MENTEES,
                    {
                        "name": name(mentor, mentor),
                        "count": count,
                        "max": params.get("max_mentees_per_mentor", 2),
                    },
                )
            )
    objective_networks = sum(n["value"] for n in networks)
    objective_partnerships = sum(p["value"] for p in partnerships)
    return {
        "networks": networks,
        "partnerships": partnerships,
        "problems": problems,
        "objective": {
            "networks": objective_networks,
            "partnerships": objective_partnerships,
            "total": objective_networks + objective_partnerships,
        },
    }


def explain(people, params, evaluation, areas, names=None):
    """For each membership the best alternative it did not get; for each municipality left out,
    why."""
    names = names or {}
    dw = params.get("distance_weight", 0.1)
    networks = evaluation["networks"]
    alternatives = {}
    for net in networks:
        for row in net["members"]:
            m = row["id"]
            options = []
            for other in networks:
                if other is net or other["host"] is None:
                    continue
                need = people[m]["needs"].get(other["area"], 0)
                if need <= 0:
                    continue
                distance = km(people[m], people[other["host"]])
                options.append((need - dw * distance / 100, other, need, distance))
            if options:
                _score, other, need, distance = max(options, key=lambda o: (o[0], -o[1]["index"]))
                alternatives[(net["index"], m)] = (
                    ALTERNATIVE,
                    {
                        "index": other["index"],
                        "area": other["area"],
                        "host": names.get(other["host"], other["host"]),
                        "need": f"{need:.2f}",
                        "km": f"{distance:.0f}",
                    },
                )
    placed = {row["id"] for net in networks for row in net["members"]}
    needing = {}
    for m, person in people.items():
        for area in areas:
            if person["needs"].get(area, 0) > 0:
                needing.setdefault(area, set()).add(m)
    left_out = {}
    for m in sorted(set(people) - placed):
        wanted = [a for a in areas if people[m]["needs"].get(a, 0) > 0]
        if not wanted:
            left_out[m] = (REASON_NO_NEEDS, {})
        elif all(len(needing.get(a, ())) < params.get("min_size", 6) for a in wanted):
            left_out[m] = (
                REASON_FEW,
                {"areas": ", ".join(wanted), "min": params.get("min_size", 6)},
            )
        else:
            left_out[m] = (REASON_TRADE_OFF, {"areas": ", ".join(wanted)})
    return alternatives, left_out
