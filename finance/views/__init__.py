"""Thin views: read through finance.selectors, write through finance.services. A package by
part of the subsidy work, each module named in finance/urls.py: `base` (the role check and the
page with a form about one object), `budgetten`, `regelingen`, `aanvragen`, `stappen` (the steps
of an aanvraag), `bestanden` (bijlagen, uploads, the beschikking letter) and
`wijkplanbegroting`."""
