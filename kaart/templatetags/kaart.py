from django import template

from framework.models import leeftijd_label

register = template.Library()


@register.filter
def leeftijd(maanden):
    """-9 → 'zwangerschap (-9 maanden)', 54 → '4 jaar en 6 maanden'."""
    return leeftijd_label(maanden)
