"""Rendering of monitor values (monitor.weergave) as small HTML fragments. Simple tags rather
than {% include %}s: a dashboard shows hundreds of values, and this keeps rendering cheap."""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag
def cel(c):
    """A weergave.Cel: the number, marked when CBS-rounded; else the status in words."""
    if c is None:
        return ""
    if c.heeft_getal:
        if c.afgerond:
            return format_html('<span class="mon-getal">{}</span> <span class="mon-afgerond">'
                               '({})</span>', c.tekst, _("afgerond"))
        return format_html('<span class="mon-getal">{}</span>', c.tekst)
    return format_html('<span class="mon-geen mon-status-{}">{}</span>', c.status or "leeg",
                       c.tekst)


@register.simple_tag
def trend(t):
    """A weergave.trend_weergave dict: the arrow only repeats the words (CSS content)."""
    if not t:
        return format_html('<span class="og-muted">{}</span>', _("geen trend"))
    return format_html('<span class="mon-trend mon-trend-{}"><span aria-hidden="true" '
                       'class="mon-pijl" data-pijl="{}"></span> {}</span>', t["soort"],
                       t["pijl"], t["tekst"])


@register.simple_tag
def streef(s):
    """A weergave.streef_weergave dict: reached or not, and the target itself."""
    if not s:
        return format_html('<span class="og-muted">{}</span>', _("geen streefwaarde"))
    return format_html('<span class="mon-streef mon-streef-{}">{}</span><br><span '
                       'class="og-muted mon-klein">{}</span>', s["soort"], s["tekst"],
                       s["doel"])
