"""Log in as each Groningen demo role, land on the gemeente home page, and check it in a real
browser: the module cards each role may use, the NL Design System CSS, keyboard use, and
axe-core (no serious or critical violations) on the main page types, desktop and phone."""

from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from network.models import Stuurgroep
from regions.models import Gebied
from tests.e2e.helpers import PHONE, assert_accessible, login, screenshot

pytestmark = pytest.mark.e2e

SHARED_MODULES = ["Gebieden", "Organisaties", "Stuurgroepen"]
BELEID_ONLY = "Gebruikers en rollen"
ROLES = ["beleid", "coordinator", "stuurgroep", "partner", "jury", "raad"]


def module_cards(page) -> list[str]:
    """Titles of the module cards on the gemeente home page; each title must be a link."""
    cards = page.locator("main .og-cards > li.og-card")
    titles = []
    for i in range(cards.count()):
        heading = cards.nth(i).get_by_role("heading", level=2)
        link = heading.get_by_role("link")
        assert link.count() == 1, f"card {i} has no link in its heading"
        titles.append(heading.inner_text().strip())
    return titles


@pytest.mark.parametrize("role", ROLES)
def test_role_logs_in_and_sees_its_modules(page, role):
    login(page, f"groningen-{role}")

    assert urlparse(page.url).path == "/groningen/"
    assert page.get_by_role("heading", level=1).inner_text().startswith("Groningen")
    titles = module_cards(page)
    for title in SHARED_MODULES:
        assert title in titles, f"{role} misses the card {title!r}: {titles}"
    assert (BELEID_ONLY in titles) == (role == "beleid"), titles
    # The card links work: each leads to a page of this gemeente, not to a 403/404.
    with page.expect_navigation():
        page.locator("main .og-cards").get_by_role("link", name="Stuurgroepen",
                                                    exact=True).click()
    assert urlparse(page.url).path == "/groningen/stuurgroepen/"
    assert page.get_by_role("heading", level=1).inner_text() == "Stuurgroepen"
    page.go_back()

    assert_accessible(page, f"/groningen/ as groningen-{role}")
    screenshot(page, f"home-{role}-desktop")


def test_stylesheets_load_and_style_the_page(page):
    """Guards the static files in live_server: a page without the Utrecht CSS still 'works'."""
    css = {}
    page.on("response", lambda r: css.__setitem__(r.url, r.status) if r.url.endswith(
        ".css") else None)
    page.goto("/inloggen/")
    page.wait_for_load_state("load")
    assert len(css) == 4 and set(css.values()) == {200}, css

    style = page.evaluate(
        """() => {
            const button = document.querySelector('main button[type=submit]');
            const probe = document.createElement('span');
            probe.style.backgroundColor = 'var(--utrecht-button-primary-action-background-color)';
            document.body.append(probe);
            const token = getComputedStyle(probe).backgroundColor;
            probe.remove();
            return {button: getComputedStyle(button).backgroundColor, token,
                    minHeight: getComputedStyle(button).minBlockSize,
                    font: getComputedStyle(document.body).fontFamily};
        }"""
    )
    # Utrecht's button takes its colour from the voorbeeld theme's token, not the UA grey.
    assert style["token"] not in ("", "rgba(0, 0, 0, 0)"), style
    assert style["button"] == style["token"], style
    assert float(style["minHeight"].removesuffix("px")) >= 44, style  # Utrecht's target size
    assert "Noto Sans" in style["font"], style  # the theme's basis font


@pytest.fixture
def spt(browser, e2e_db):
    gebied = Gebied.objects.get(gemeente__slug="groningen", afkorting="SPT")
    return gebied, Stuurgroep.objects.get(gebied=gebied)


def test_login_page_is_accessible(page):
    page.goto("/inloggen/")
    assert_accessible(page, "the login page")
    # The same page with the error a person sees after a wrong password.
    page.get_by_label("Gebruikersnaam").fill("groningen-beleid")
    page.get_by_label("Wachtwoord").fill("verkeerd-wachtwoord")
    with page.expect_navigation():
        page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("alert")).to_be_visible()
    assert urlparse(page.url).path == "/inloggen/"
    assert_accessible(page, "the login page with an error")


def test_pages_are_accessible_for_beleid(page, spt):
    gebied, stuurgroep = spt
    login(page, "groningen-beleid")
    pages = {
        "gebied SPT": f"/groningen/gebieden/{gebied.pk}/",
        "stuurgroep SPT": f"/groningen/stuurgroepen/{stuurgroep.pk}/",
        "organisaties": "/groningen/organisaties/",
        "new gebied form": "/groningen/gebieden/nieuw/",
    }
    for name, path in pages.items():
        response = page.goto(path)
        assert response.status == 200, (path, response.status)
        assert_accessible(page, f"{name} ({path})")
        screenshot(page, f"{name.replace(' ', '-')}-desktop")

    # The form again, now showing its validation errors.
    page.goto("/groningen/gebieden/nieuw/")
    with page.expect_navigation():
        page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("alert")).to_be_visible()
    assert_accessible(page, "new gebied form with errors")
    screenshot(page, "new-gebied-form-errors-desktop")


def test_stuurgroep_page_for_a_stuurgroeplid(page, spt):
    """The stuurgroep page as a member of that stuurgroep (reads, may not change)."""
    _gebied, stuurgroep = spt
    login(page, "groningen-stuurgroep")
    page.goto(f"/groningen/stuurgroepen/{stuurgroep.pk}/")
    expect(page.get_by_role("heading", level=2, name="Rollen en taken")).to_be_visible()
    assert page.get_by_role("link", name="Rol toevoegen").count() == 0
    assert_accessible(page, "stuurgroep SPT as groningen-stuurgroep")


def test_button_links_are_readable(page, spt):
    """Utrecht's html.css once coloured button links like text links: link-blue on purple."""
    _gebied, stuurgroep = spt
    login(page, "groningen-beleid")
    page.goto(f"/groningen/stuurgroepen/{stuurgroep.pk}/")
    button = page.get_by_role("link", name="Rol toevoegen")
    colours = button.evaluate(
        "el => [getComputedStyle(el).color, getComputedStyle(el).backgroundColor]")
    assert colours[0] != colours[1]
    assert contrast(*colours) >= 4.5, colours
    button.focus()
    focused = button.evaluate(
        "el => [getComputedStyle(el).color, getComputedStyle(el).backgroundColor]")
    assert contrast(*focused) >= 4.5, focused


def contrast(fg: str, bg: str) -> float:
    """WCAG contrast ratio of two computed 'rgb(r, g, b)' colours."""

    def luminance(rgb: str) -> float:
        parts = [float(x) for x in rgb[rgb.index("(") + 1:rgb.index(")")].split(",")[:3]]
        lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
               for c in (p / 255 for p in parts)]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    a, b = sorted((luminance(fg), luminance(bg)), reverse=True)
    return (a + 0.05) / (b + 0.05)


@pytest.mark.parametrize("username", ["groningen-beleid", "groningen-partner"])
def test_home_page_on_a_phone(new_page, username):
    page = new_page(viewport=PHONE)
    login(page, username)
    assert urlparse(page.url).path == "/groningen/"
    # Nothing sticks out sideways: the page never scrolls horizontally on a phone.
    width = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], width
    assert_accessible(page, f"/groningen/ on a phone as {username}")
    screenshot(page, f"home-{username}-phone")


def test_stuurgroep_page_on_a_phone(new_page, spt):
    _gebied, stuurgroep = spt
    page = new_page(viewport=PHONE)
    login(page, "groningen-beleid")
    page.goto(f"/groningen/stuurgroepen/{stuurgroep.pk}/")
    width = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], width
    # The history table may scroll sideways inside its own region, which a keyboard can reach.
    region = page.get_by_role("region", name="Wie wijzigde wat en wanneer")
    assert region.get_attribute("tabindex") == "0"
    assert_accessible(page, "stuurgroep SPT on a phone")
    screenshot(page, "stuurgroep-SPT-phone")


@pytest.mark.parametrize("path", ["/inloggen/", "/groningen/", "/groningen/organisaties/",
                                  "/groningen/gebieden/nieuw/"])
def test_skip_link_is_the_first_tab_stop(page, path):
    if path != "/inloggen/":  # the login page has no autofocus either
        login(page, "groningen-beleid")
    page.goto(path)
    skip = page.get_by_role("link", name="Naar de inhoud")
    box = skip.bounding_box()
    assert box["y"] + box["height"] <= 0, box  # Utrecht keeps it above the screen until focused

    page.keyboard.press("Tab")
    focused = page.evaluate(
        "() => [document.activeElement.className, document.activeElement.textContent.trim()]")
    assert "utrecht-skip-link" in focused[0] and focused[1] == "Naar de inhoud", focused
    box = skip.bounding_box()
    assert box["y"] >= 0 and box["width"] > 20, box  # now on screen, at the top
    colours = skip.evaluate(
        "el => [getComputedStyle(el).color, getComputedStyle(el).backgroundColor]")
    assert contrast(*colours) >= 4.5, colours

    page.keyboard.press("Enter")
    page.wait_for_function("() => document.activeElement.id === 'inhoud'", timeout=5_000)
    assert urlparse(page.url).fragment == "inhoud"
    # The next Tab continues inside the main content, not back in the header.
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.querySelector('main').contains(document.activeElement)")
