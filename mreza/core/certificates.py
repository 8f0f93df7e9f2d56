"""Signed certificate codes: the part every app that issues certificates shares (the evaluation's
certificates of recognition, the events' attendance certificates), so the one /verify/<code>/
form reads every code and a signature is made and checked one way.

The code is random (`secrets`, 12 characters from an alphabet without look-alikes, in groups of
four); it only finds the row. What makes a certificate genuine is its signature: an HMAC-SHA256,
keyed with the site's secret and the app's own salt (Django's `salted_hmac`), of the code, the
statement as canonical JSON and the app's further fields, one per line. It is stored when issued
and recomputed on every check. Each app keeps its salt and its fields: signatures already issued
must go on verifying, so neither the message's layout nor the key derivation may change
(`core/tests/test_certificates.py` pins both).

No app is imported here (core sits below every app); the apps bind their salt and fields in
their `services/certificates.py`.
"""

from __future__ import annotations

import json
import re
import secrets
from collections.abc import Iterable
from typing import Any

import segno
from django.conf import settings
from django.utils.crypto import constant_time_compare, salted_hmac

#: no 0/O, 1/I/L, 5/S, 8/B: a code read aloud or typed from paper is not mistaken
ALPHABET = "ACDEFGHJKMNPQRTUVWXYZ234679"
GROUPS, GROUP_SIZE = 3, 4
CODE_RE = re.compile(rf"^[{ALPHABET}]{{{GROUPS * GROUP_SIZE}}}$")


def _grouped(raw: str) -> str:
    return "-".join(raw[i : i + GROUP_SIZE] for i in range(0, len(raw), GROUP_SIZE))


def new_code() -> str:
    """A fresh code in its stored form ("ACDE-FGHJ-KMNP")."""
    return _grouped("".join(secrets.choice(ALPHABET) for _ in range(GROUPS * GROUP_SIZE)))


def normalise_code(text: str) -> str | None:
    """A typed code in its stored form ("acde fghj-kmnp" -> "ACDE-FGHJ-KMNP"), or None when it
    cannot be one (wrong length or a character the alphabet lacks)."""
    raw = re.sub(r"[\s\-‐-―.]", "", str(text or "")).upper()
    if not CODE_RE.match(raw):
        return None
    return _grouped(raw)


def canonical(statement: dict[str, Any]) -> str:
    """The statement as signed: keys sorted, no spaces, non-ASCII letters as they are (so the
    order a JSON column gives the keys back in does not matter)."""
    return json.dumps(statement, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _line(field: object) -> str:
    # A str (also a str enum such as a model's choices) goes in as its characters, as
    # "\n".join always took it; only the other values (ids) are turned into text.
    return field if isinstance(field, str) else str(field)


def signature(
    salt: str, code: str, statement: dict[str, Any], fields: Iterable[object], secret: Any = None
) -> str:
    """The hex HMAC-SHA256 of the code, the canonical statement and `fields` (one per line),
    keyed with `secret` (by default the site's SECRET_KEY) and `salt`."""
    message = "\n".join([code, canonical(statement), *map(_line, fields)])
    return salted_hmac(salt, message, secret=secret, algorithm="sha256").hexdigest()


def signature_matches(
    stored: str, salt: str, code: str, statement: dict[str, Any], fields: Iterable[object]
) -> bool:
    """Whether `stored` is the signature of the data under the current secret or one being
    rotated out (SECRET_KEY_FALLBACKS), compared in constant time."""
    fields = tuple(fields)
    secrets_in_use = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return any(
        constant_time_compare(stored, signature(salt, code, statement, fields, secret=secret))
        for secret in secrets_in_use
    )


def qr_svg(url: str) -> str:
    """A QR code of `url` as an SVG element for an HTML page or a PDF."""
    return str(segno.make(url, error="m").svg_inline(scale=3, border=2))
