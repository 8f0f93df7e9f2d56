from django import template

from mreza.core.audit_display import present

register = template.Library()


@register.simple_tag
def audit_present(entries):
    """The entries with readable `rows` (one query per related model for the whole list)."""
    return present(entries)
