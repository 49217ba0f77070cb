"""The inbox with its unread count, the e-mail preferences, the outbox and the jobs page in a
real browser, at phone width, by keyboard, and axe-core clean; and the attention list on the
home page."""

import re

import pytest
from playwright.sync_api import expect

from core.models import Gemeente, User
from core.notifications import notify
from tests.e2e.helpers import PHONE, assert_accessible, login

pytestmark = pytest.mark.e2e


def test_inbox_preferences_and_outbox_at_phone_width(new_page):
    groningen = Gemeente.objects.get(slug="groningen")
    beleid = User.objects.get(username="groningen-beleid")
    notify(gemeente=groningen, kind="participation.antwoord_herinnering", user=beleid,
           subject="Antwoord uiterlijk morgen: Een pannaveld", body="Een kind wacht.",
           url="/groningen/")
    page = new_page(PHONE)
    login(page, "groningen-beleid")
    assert "Wat vraagt uw aandacht" in page.locator("main").inner_text()
    assert_accessible(page, "home with attention list, phone")

    inbox = page.get_by_role("link", name="Berichten 1 ongelezen")
    expect(inbox).to_be_visible()
    inbox.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Berichten")
    expect(page.get_by_role("heading", name=re.compile("Een pannaveld"))).to_be_visible()
    assert_accessible(page, "inbox, phone")
    page.get_by_role("button", name=re.compile(r"^Gelezen\W+Antwoord uiterlijk")).press(
        "Enter")
    page.wait_for_load_state()
    expect(page.locator(".og-badge")).to_have_count(0)

    page.get_by_role("link", name="Kies welke berichten u per e-mail krijgt").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Instellingen voor berichten")
    assert_accessible(page, "preferences, phone")
    page.get_by_label("Herinnering: een kind wacht op antwoord").select_option("digest")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("Uw keuzes zijn bewaard.")).to_be_visible()

    page.goto("/groningen/berichten/verzonden/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Verzonden berichten")
    expect(page.get_by_role("cell", name="Antwoord uiterlijk morgen: Een pannaveld")
           ).to_be_visible()
    assert_accessible(page, "outbox, phone")
    page.goto("/groningen/taken/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Geplande taken")
    assert_accessible(page, "jobs, phone")
