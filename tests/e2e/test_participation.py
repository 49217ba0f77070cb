"""Youth participation in a real browser: a pupil applies with a vlog, the jury scores, the
beleidsmedewerker confirms five candidates and prints voting codes, a child votes with a code,
the window closes and the result names the kinderburgemeester and the loco. And a child's idea is
answered and followed with its tracking code. axe-core checks every child-facing page."""

import datetime
import io
import re

import pytest
from django.utils import timezone

from core.models import User
from participation import services
from participation.models import Aanmelding, Kandidaat, Uitslag, Verkiezing
from tests.e2e.helpers import assert_accessible, login, screenshot
from tests.participation import helpers
from tests.participation.media import video

pytestmark = pytest.mark.e2e


def _move(v, **fields):
    Verkiezing.objects.filter(pk=v.pk).update(**fields)
    v.refresh_from_db()


def test_election_from_application_to_result(new_page, tmp_path, groningen):
    now = timezone.now()
    v = helpers.verkiezing(groningen, "aanmelding", jaar=2040)
    school = helpers.school(groningen)
    base = f"/groningen/kinderburgemeester/{v.jaar}"

    # A pupil applies with a vlog and a parent's consent.
    child = new_page()
    child.goto(f"{base}/")
    assert_accessible(child, "the public election page")
    with child.expect_navigation():
        child.get_by_role("link", name="Meld je aan").first.click()
    assert_accessible(child, "the application form")
    vlog = tmp_path / "mijn-vlog.mp4"
    vlog.write_bytes(video(size=64_000))
    child.get_by_label("Je voornaam").fill("Noor")
    child.get_by_label("Je achternaam").fill("Bakker")
    child.get_by_label("In welke groep zit je?").select_option("7")
    child.get_by_label("Op welke school zit je?").select_option(label=school.naam)
    child.get_by_label("Waarom wil jij kinderburgemeester worden?").fill(
        "Ik wil dat er meer plekken komen om te spelen.")
    child.get_by_label("Je vlog").set_input_files(str(vlog))
    child.get_by_label("Naam van je vader, moeder of verzorger").fill("R. Bakker")
    child.get_by_label("E-mailadres van je vader, moeder of verzorger").fill("ouder@example.org")
    child.get_by_label("Mijn vader, moeder of verzorger vindt het goed dat ik meedoe.").check()
    child.get_by_label(re.compile("Als ik kandidaat word")).check()
    with child.expect_navigation():
        child.get_by_role("button", name="Verstuur mijn aanmelding").click()
    assert "Je aanmelding is binnen" in child.content()
    assert_accessible(child, "the thank-you page")
    noor = Aanmelding.objects.get(verkiezing=v, voornaam="Noor")
    assert noor.vlog.name.endswith(".mp4")
    others = [helpers.aanmelding(v, f"Kind {i}") for i in range(1, 6)]

    # The jury phase: the juror scores Noor in the browser (the others through the service).
    _move(v, aanmelding_eind=timezone.localdate() - datetime.timedelta(days=1))
    juror = User.objects.get(username="groningen-jury")
    juror_page = new_page()
    login(juror_page, "groningen-jury")
    juror_page.goto(f"/groningen/participatie/aanmeldingen/{noor.pk}/")
    for criterium in v.criteria.all():
        juror_page.get_by_role("group", name=criterium.naam).get_by_label("5").check()
    with juror_page.expect_navigation():
        juror_page.get_by_role("button", name="Scores opslaan").click()
    assert "Je scores zijn opgeslagen" in juror_page.content()
    for i, a in enumerate(others):
        services.geef_scores(juror, a, {c: 4 - i // 2 for c in v.criteria.all()})

    # The beleidsmedewerker confirms the jury's top 5.
    staff = new_page()
    login(staff, "groningen-beleid")
    staff.goto(f"/groningen/participatie/verkiezingen/{v.pk}/kandidaten-kiezen/")
    assert staff.get_by_label(re.compile(r"Noor B\., groep 7")).is_checked()
    with staff.expect_navigation():
        staff.get_by_role("button", name="Deze 5 kandidaten bevestigen").click()
    assert "De 5 kandidaten zijn bevestigd" in staff.content()
    kandidaten = Kandidaat.objects.filter(verkiezing=v)
    assert kandidaten.count() == 5 and kandidaten.filter(aanmelding=noor).exists()

    # Voting opens; the beleidsmedewerker prints codes for a class.
    _move(v, stemmen_start=now - datetime.timedelta(minutes=1))
    staff.goto(f"/groningen/participatie/verkiezingen/{v.pk}/stemcodes/")
    staff.get_by_label("Voor").select_option("school")
    staff.get_by_label("School").select_option(label=helpers.school(groningen).naam)
    staff.get_by_label("Klas of omschrijving").fill("groep 7a")
    staff.get_by_label("Aantal codes").fill("4")
    with staff.expect_download() as download_info:
        staff.get_by_role("button", name="Codes maken en PDF downloaden").click()
    pdf_path = tmp_path / "codes.pdf"
    download_info.value.save_as(pdf_path)
    from pypdf import PdfReader

    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf_path.read_bytes())).pages)
    code = re.findall(r"[0-9A-Z]{5}-[0-9A-Z]{5}-[0-9A-Z]{5}", text)[0]

    # A child votes with the code from the sheet (the QR code opens the page with it filled in).
    voter = new_page()
    voter.goto(f"{base}/stemmen/?code={code}")
    assert voter.get_by_label("Je stemcode").input_value() == code
    assert_accessible(voter, "the ballot")
    noor_k = kandidaten.get(aanmelding=noor)
    voter.get_by_label(noor_k.naam).check()
    with voter.expect_navigation():
        voter.get_by_role("button", name="Verder").click()
    assert "Klopt je stem?" in voter.content()
    assert_accessible(voter, "the confirmation screen")
    screenshot(voter, "participation-confirm")
    # A second tab with the same code waits on its confirmation screen ...
    twin = new_page()
    twin.goto(f"{base}/stemmen/?code={code}")
    twin.get_by_label(noor_k.naam).check()
    with twin.expect_navigation():
        twin.get_by_role("button", name="Verder").click()
    with voter.expect_navigation():
        voter.get_by_role("button", name="Ja, dit is mijn stem").click()
    assert "Bedankt voor je stem" in voter.content()
    assert_accessible(voter, "the thank-you page after voting")
    # ... and confirms after the vote counted: a clear message, nothing counted twice.
    with twin.expect_navigation():
        twin.get_by_role("button", name="Ja, dit is mijn stem").click()
    assert "Met deze code is al gestemd" in twin.content()
    assert_accessible(twin, "the refused vote")
    # The same code again: a clear message, nothing counted twice.
    voter.goto(f"{base}/stemmen/?code={code}")
    voter.get_by_label(noor_k.naam).check()
    with voter.expect_navigation():
        voter.get_by_role("button", name="Verder").click()
    assert "Met deze code is al gestemd" in voter.content()
    assert_accessible(voter, "the ballot with an error")
    # More votes so that the order is clear: Noor first, Kind 1's candidate second.
    _r, plain = services.maak_stemcodes(None, v, kanaal="brief", aantal=3, omschrijving="b",
                                        check_permission=False)
    second = kandidaten.exclude(aanmelding=noor).order_by("nummer").first()
    for c, k in zip(plain, [noor_k, second, second], strict=True):
        services.stem_met_code(v, c, k.pk)
    _r, (extra,) = services.maak_stemcodes(None, v, kanaal="brief", aantal=1, omschrijving="c",
                                           check_permission=False)
    services.stem_met_code(v, extra, noor_k.pk)
    assert helpers.stemmen(v) == 5

    # The window closes; the result is established and published.
    _move(v, stemmen_eind=timezone.now() - datetime.timedelta(seconds=1))
    staff.goto(f"/groningen/participatie/verkiezingen/{v.pk}/uitslag/")
    with staff.expect_navigation():
        staff.get_by_role("button", name="Uitslag vaststellen").click()
    uitslag = Uitslag.objects.get(verkiezing=v)
    assert uitslag.kinderburgemeester == noor_k and uitslag.loco == second

    voter.goto(f"{base}/uitslag/")  # established, but not yet the announced date
    assert "De uitslag is bekend op" in voter.content()
    assert noor_k.naam not in voter.content()
    _move(v, uitslag_datum=timezone.localdate())
    voter.goto(f"{base}/uitslag/")
    body = voter.content()
    assert f"{noor_k.aanmelding.voornaam} is de nieuwe kinderburgemeester!" in body
    assert f"Kinderburgemeester: <strong>{noor_k.naam}</strong>" in body
    assert f"Loco-kinderburgemeester: <strong>{second.naam}</strong>" in body
    assert_accessible(voter, "the public result")
    screenshot(voter, "participation-result")


def test_idea_answered_and_followed_with_the_tracking_code(new_page):
    child = new_page()
    child.goto("/groningen/jouw-stem/")
    assert_accessible(child, "the youth voices page")
    with child.expect_navigation():
        child.get_by_role("link", name="Stuur je idee, vraag of advies").click()
    assert_accessible(child, "the submission form")
    child.get_by_label("Een idee").check()
    child.get_by_label("Waar gaat het over?").fill("Watertappunt")
    child.get_by_label("Vertel het ons").fill("Een watertappunt bij het sportveld.")
    child.get_by_label("Over welke buurt gaat het?").select_option(label="Beijum")
    with child.expect_navigation():
        child.get_by_role("button", name="Versturen").click()
    code = child.locator("#volgcode").inner_text()
    assert_accessible(child, "the page with the tracking code")

    staff = new_page()
    login(staff, "groningen-beleid")
    staff.goto("/groningen/participatie/inzendingen/?filter=zonder-antwoord")
    with staff.expect_navigation():
        staff.get_by_role("link", name="Idee: Watertappunt").click()
    staff.get_by_label("Openbaar antwoord").fill("Goed idee! In april komt er een watertappunt.")
    with staff.expect_navigation():
        staff.get_by_role("button", name="Antwoord publiceren").click()
    assert "Het antwoord is gepubliceerd" in staff.content()

    later = new_page()  # another day, another browser: only the code
    later.goto("/groningen/jouw-stem/volgen/")
    later.get_by_label("Je volgcode").fill(code)
    with later.expect_navigation():
        later.get_by_role("button", name="Bekijk").click()
    assert "In april komt er een watertappunt" in later.content()
    assert_accessible(later, "the tracking page with the answer")
    screenshot(later, "participation-tracking")
