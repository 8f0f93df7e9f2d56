"""What apps above the registry add to the municipality page, without the registry importing them.

The registry is below assessment and networks in the layering (docs/ARCHITECTURE.md), yet its
municipality page shows the municipality's self-assessments and learning profiles. An upper app
registers a section in its `AppConfig.ready()`; the page calls every section and merges the
context each returns. A section decides nothing about access itself: it asks `core.access`.
"""

_profile_sections = []


def add_profile_section(section):
    """Register `section(request, municipality) -> dict` (template context for the page)."""
    if section not in _profile_sections:
        _profile_sections.append(section)
    return section


def profile_context(request, municipality):
    context = {}
    for section in _profile_sections:
        context.update(section(request, municipality))
    return context
