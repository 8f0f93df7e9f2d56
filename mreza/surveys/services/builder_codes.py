"""One-time codes of a codes-only wave: made, handed out once, stored only as hashes."""

import hashlib
import secrets

from django.db import transaction
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from mreza.surveys.models import AccessCode, Wave
from mreza.surveys.services.builder_common import SurveyRefused

# one-time codes: no 0/O, 1/I/L, so a code read off paper is typed right; 32**10 ≈ 10**15
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 10
MAX_CODES = 5000


def normalize_code(code: str) -> str:
    """A code as typed ("abcd-efgh 23", lower case, spaces, dashes) in its stored form."""
    return "".join(ch for ch in code.upper() if ch.isalnum())


def hash_code(code: str) -> str:
    """The SHA-256 of a normalised code: all that AccessCode stores."""
    return hashlib.sha256(normalize_code(code).encode("ascii", "ignore")).hexdigest()


def _random_code():
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return f"{raw[:5]}-{raw[5:]}"


def generate_codes(wave: Wave, count: int) -> list[str]:
    """`count` (1–MAX_CODES) new one-time codes for a codes-only wave, grouped "ABCDE-FGH23".
    Only their hashes are stored: the caller hands them out now or never."""
    if wave.access != Wave.Access.CODES:
        raise SurveyRefused(_("This wave is open to anyone with the link; it needs no codes."))
    if wave.status == Wave.Status.CLOSED:
        raise SurveyRefused(_("This wave is closed; its codes can no longer be used."))
    if not 1 <= count <= MAX_CODES:
        raise SurveyRefused(
            _("Choose between 1 and %(max)d codes."), code="count", params={"max": MAX_CODES}
        )
    codes: dict[str, str] = {}
    with transaction.atomic():
        while len(codes) < count:
            fresh = {hash_code(c): c for c in (_random_code() for _ in range(count - len(codes)))}
            taken = set(
                AccessCode.objects.filter(code_hash__in=list(fresh)).values_list(
                    "code_hash", flat=True
                )
            )
            codes.update({h: c for h, c in fresh.items() if h not in taken})
        AccessCode.objects.bulk_create(
            [AccessCode(wave=wave, code_hash=h) for h in codes], batch_size=500
        )
    return list(codes.values())


def code_counts(waves) -> dict[int, dict[str, int]]:
    """{wave id: {"issued": n, "used": n}} for the given waves (one query)."""
    rows = (
        AccessCode.objects.filter(wave__in=waves)
        .values("wave_id")
        .annotate(issued=Count("id"), used=Count("id", filter=Q(used=True)))
        .order_by()
    )
    return {r["wave_id"]: {"issued": r["issued"], "used": r["used"]} for r in rows}
