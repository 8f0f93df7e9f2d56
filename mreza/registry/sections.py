"""What apps above the registry add to the municipality page, without the registry importing them.

The registry is below assessment and networks in the layering (docs/ARCHITECTURE.md), yet its
municipality page shows the municipality's self-assessments and learning profiles. An upper app
registers a section in its `AppConfig.ready()`; the page calls every section and merges the
context each returns. A section decides nothing about access itself: it asks `core.access`.
"""

_profile_sections = []
_profile_templates = []


def add_profile_section(section, template=None):
    """Register `section(request, municipality) -> dict` (template context for the page) and,
    optionally, the template of its card, which the page includes (so the registry's template
    names no upper app either)."""
    if section not in _profile_sections:
        _profile_sections.append(section)
    if template and template not in _profile_templates:
        _profile_templates.append(template)
    return section


def profile_context(request, municipality):
    context = {"profile_section_templates": _profile_templates}
    for section in _profile_sections:
        context.update(section(request, municipality))
    return context
