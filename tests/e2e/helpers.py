"""Helpers for the browser tests: log in, run axe-core, keep screenshots."""

import os
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
AXE_JS = REPO / "node_modules" / "axe-core" / "axe.min.js"
DEMO_PASSWORD = "demo-opgroeien-2026"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def login(page, username: str, password: str = DEMO_PASSWORD) -> None:
    """Log in through the real login form, as a person would."""
    page.goto("/inloggen/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Inloggen").click()
    assert "/inloggen/" not in page.url, f"login as {username} failed: still on {page.url}"


def axe_problems(page) -> list[dict]:
    """Run axe-core on the page. Returns the serious and critical violations, plus colour
    contrast that axe could not confirm ("incomplete"): axe files text whose colour equals its
    background there, and nothing in Opgroeien puts text on an image, so a person would have to
    look at each one anyway."""
    page.add_script_tag(path=str(AXE_JS))
    return page.evaluate(
        """async () => {
            const r = await axe.run(document, {resultTypes: ['violations', 'incomplete']});
            const pick = (list, kind) => list.map(v => ({
                kind, id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                nodes: v.nodes.map(n => ({target: n.target.join(' '), html: n.html,
                                          summary: n.failureSummary || ''})),
            }));
            return pick(r.violations.filter(v => ['serious', 'critical'].includes(v.impact)),
                        'violation')
                .concat(pick(r.incomplete.filter(v => v.id === 'color-contrast'), 'incomplete'));
        }"""
    )


def format_axe(where: str, problems: list[dict]) -> str:
    lines = [f"axe-core found {len(problems)} problem(s) on {where}:"]
    for p in problems:
        lines.append(f"- [{p['kind']}, {p['impact']}] {p['id']}: {p['help']} ({p['helpUrl']})")
        for node in p["nodes"][:10]:
            lines.append(f"    {node['target']}: {node['html'][:200]}")
            if node["summary"]:
                lines.extend("      " + s for s in node["summary"].splitlines())
    return "\n".join(lines)


def assert_accessible(page, where: str | None = None) -> None:
    problems = axe_problems(page)
    assert not problems, format_axe(where or page.url, problems)


def screenshot(page, name: str) -> None:
    """Keep a full-page screenshot when E2E_SCREENSHOTS is set (for people to look at)."""
    target = os.environ.get("E2E_SCREENSHOTS")
    if target:
        Path(target).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(target) / f"{name}.png"), full_page=True)
