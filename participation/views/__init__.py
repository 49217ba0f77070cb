"""Pages of participation, in two parts: `verkiezing` (the kinderburgemeester election) and
`jeugdstem` (youth voices), each with its staff pages and its public pages (`*_publiek`), plus
what they share (`common`). participation/urls.py names the module of every view."""
