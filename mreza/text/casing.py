"""Letter classes and the "all-caps context" rule shared by the transliterators.

One Cyrillic capital can become several Latin letters (Љ → Lj/LJ, Щ → Sht/SHT). Which form is
right depends on the neighbours, so the transliterators first rewrite the capitals that stand in
an all-caps context with a regex, and let a translate table give every other capital the title
form.
"""

import re

# Serbian Gaj capitals and lower-case letters outside ASCII; listed because re has no \p{Lu}.
GAJ_UPPER = "ČĆĐŠŽ"
GAJ_LOWER = "čćđšž"

UPPER = rf"A-Z\u00C0-\u00D6\u00D8-\u00DE{GAJ_UPPER}\u0400-\u042F"
LOWER = rf"a-z\u00DF-\u00F6\u00F8-\u00FF{GAJ_LOWER}\u0430-\u045F"
LETTER = r"[^\W\d_]"
NOT_LETTER = rf"(?!{LETTER})"
NO_LETTER_BEFORE = rf"(?<!{LETTER})"


def caps_context_re(capitals: str) -> re.Pattern[str]:
    """Match each of `capitals` where it belongs to an all-caps word or to all-caps text.

    - a capital follows it (ЉУБ…);
    - a capital precedes it and no lower-case letter follows (…БЉАНА, КОЊ);
    - it stands alone (an initial) and the nearest word on the same line is in capitals
      (Љ. ПЕТРОВИЋ, ПЕТРОВИЋ Љ.).
    """
    # The class comes first so that re can skip to candidates; look-behinds therefore span
    # the capital itself.
    return re.compile(
        rf"[{capitals}](?:"
        rf"(?=[{UPPER}])"
        rf"|(?<=[{UPPER}].)(?![{LOWER}])"
        rf"|(?<!{LETTER}.){NOT_LETTER}(?=[^\w\n]{{1,3}}[{UPPER}]{{2}})"
        rf"|(?<=[{UPPER}]{{2}}[ \t].){NOT_LETTER}"
        rf"|(?<=[{UPPER}]{{2}}[,;:][ \t].){NOT_LETTER}"
        ")"
    )
