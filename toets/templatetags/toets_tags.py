import re

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

from toets import analyse

register = template.Library()

_WOORD = re.compile(r"[A-Za-zÀ-ÿ0-9]+(?:-[A-Za-zÀ-ÿ0-9]+)*")


@register.filter
def markeer(tekst: str, termen) -> str:
    """The passage, escaped, with every word that carries one of `termen` in <mark>."""
    stammen, vormen = set(), []
    for term in termen or []:
        for w in analyse.woorden(term):
            if len(w) >= 4:  # never mark "een" or "de" because a phrase has them
                stammen.add(analyse.stam(w))
                vormen.append(w)
    uit, laatste = [], 0
    for m in _WOORD.finditer(tekst):
        woord = m.group().lower().replace("-", "")
        raak = analyse.stam(woord) in stammen or any(v in woord for v in vormen)
        uit.append(escape(tekst[laatste:m.start()]))
        uit.append(f"<mark>{escape(m.group())}</mark>" if raak else escape(m.group()))
        laatste = m.end()
    uit.append(escape(tekst[laatste:]))
    return mark_safe("".join(uit))


@register.filter
def status_klasse(status: str) -> str:
    return {"aangetoond": "og-status--goed", "beperkt": "og-status--let-op",
            "ontbreekt": "og-status--fout"}.get(status, "")
