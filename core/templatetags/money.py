"""{% load money %}: {{ amount|euro }} → € 1.234,56 (see core.money)."""

from django import template

from core.money import format_euro

register = template.Library()


@register.filter
def euro(value):
    return format_euro(value)
