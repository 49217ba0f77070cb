"""Template helpers: permission checks through the one policy module."""

from django import template

from core import policy

register = template.Library()


@register.simple_tag(takes_context=True)
def can(context, action, obj):
    return policy.can(context["request"].user, action, obj)


@register.simple_tag(takes_context=True)
def can_any(context, action, model_label):
    from django.apps import apps

    request = context["request"]
    model = apps.get_model(model_label)
    return policy.can_any(request.user, action, model, request.gemeente)
