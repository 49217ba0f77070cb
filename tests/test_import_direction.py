"""The modules import each other only in DESIGN.md §2's direction (no cycles, nothing upward).

Every import statement in every app's Python files is read with `ast` (also imports inside
functions), so a lazy import cannot hide an arrow against the design.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# DESIGN.md §2: app → the apps it may import from directly. The order is
# core → regions → network → framework → plans → finance, with monitor, participation, kaart
# and toets on framework; plans links activiteiten to monitor's targets (plans → monitor) and
# kaart reads monitor ("aanbod against need"). monitor never imports plans: the higher one
# registers itself in the lower one's registry (monitor/koppelingen.py). api and demo sit on
# top; no app imports them.
DIRECT = {
    "core": set(),
    "regions": {"core"},
    "network": {"regions"},
    "framework": {"network"},
    "monitor": {"framework"},
    "participation": {"framework"},
    "plans": {"framework", "monitor"},
    "finance": {"plans"},
    "kaart": {"framework", "monitor"},
    "toets": {"framework"},
}
APPS = set(DIRECT) | {"api", "demo"}


def allowed(app: str) -> set[str]:
    """Everything reachable along the arrows (a layer may use every layer below it)."""
    if app in {"api", "demo"}:
        return set(DIRECT)
    seen, todo = set(), list(DIRECT[app])
    while todo:
        lower = todo.pop()
        if lower not in seen:
            seen.add(lower)
            todo.extend(DIRECT[lower])
    return seen


def imported_apps(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        for name in names:
            top = name.split(".")[0]
            if top in APPS:
                yield top, node.lineno


def test_the_table_is_a_dag_and_names_every_app():
    present = {p.parent.name for p in ROOT.glob("*/apps.py")}
    assert present <= APPS, f"apps missing from the table: {present - APPS}"
    for app in DIRECT:
        assert app not in allowed(app), f"{app} reaches itself: a cycle"


def test_no_import_against_the_design():
    wrong = []
    for app in sorted(APPS):
        folder = ROOT / app
        if not folder.is_dir():
            continue
        may = allowed(app) | {app}
        for path in sorted(folder.rglob("*.py")):
            for target, line in imported_apps(path):
                if target not in may:
                    wrong.append(f"{path.relative_to(ROOT)}:{line}: {app} imports {target}")
    assert wrong == [], "imports against DESIGN.md §2:\n" + "\n".join(wrong)


def test_the_scan_sees_an_arrow_against_the_design(tmp_path):
    """The scan itself works: an upward import (also inside a function) is found."""
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from plans import services\n    import api.urls\n")
    assert [t for t, _ in imported_apps(module)] == ["plans", "api"]
    assert "plans" not in allowed("monitor") and "network" not in allowed("regions")
    assert "api" not in allowed("finance") and "demo" not in allowed("core")
