"""Rendering of monitor values as small HTML fragments (built in monitor.weergave). Simple
tags rather than {% include %}s: a table shows hundreds of values, and this keeps rendering
cheap. The dashboards go further: weergave.Dashboard makes every cell's HTML ready in one pass,
and `dashboard_rijen` only places them in rows."""

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

from monitor import weergave

register = template.Library()

register.simple_tag(weergave.cel_html, name="cel")


@register.simple_tag
def dashboard_rijen(rijen, kolommen):
    """The body rows of a dashboard table. Per row: the indicator (link, and its direction) as
    row header, then one cell per column. `kolommen`: [(key, label)]; a cell holds the row's
    HTML under `key` (made by weergave.Dashboard, already escaped) and carries the column's
    label in data-kop (the stacked layout on a phone shows it)."""
    koppen = [(key, conditional_escape(label)) for key, label in kolommen]
    delen = []
    for rij in rijen:
        delen.append(format_html(
            '<tr class="utrecht-table__row" role="row"><th scope="row" role="rowheader" '
            'class="utrecht-table__header-cell"><a class="utrecht-link" href="{}">{}</a><br>'
            '<span class="og-muted mon-klein">{}</span></th>', rij["url"], rij["naam"],
            rij["richting"]))
        delen.extend(f'<td role="cell" class="utrecht-table__cell" data-kop="{label}">'
                     f'{conditional_escape(rij[key])}</td>' for key, label in koppen)
        delen.append("</tr>\n")
    return mark_safe("".join(delen))  # noqa: S308 - every part is escaped above
