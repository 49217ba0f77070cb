"""Rendering of monitor values as small HTML fragments (built in monitor.weergave). Simple
tags rather than {% include %}s: a table shows hundreds of values, and this keeps rendering
cheap. The dashboards go further and get every fragment ready-made (weergave.Dashboard)."""

from django import template

from monitor import weergave

register = template.Library()

register.simple_tag(weergave.cel_html, name="cel")
register.simple_tag(weergave.trend_html, name="trend")
register.simple_tag(weergave.streef_html, name="streef")
