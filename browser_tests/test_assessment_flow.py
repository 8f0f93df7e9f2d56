"""The whole self-assessment in the browser: start, three assessors (one through Excel), divergence,
consensus, report PDF, acceptance, improvement plan, shared learning profile."""

import re

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from browser_tests.conftest import sign_in

pytestmark = pytest.mark.browser


def person(browser, live_server, who):
    context = browser.new_context(base_url=live_server.url, locale="en-GB", accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(15000)
    sign_in(page, who)
    with page.expect_navigation():
        page.select_option("#language-select", "en")
    return page


def choose(page, select, text):
    value = page.locator(f"{select} option", has_text=text).first.get_attribute("value")
    page.select_option(select, value)


def score_in_browser(page, assessment_url, value):
    page.goto(f"{assessment_url}score/1.1/")
    for _ in range(28):
        page.fill("input[name=score]", str(value))
        page.fill("textarea[name=strengths]", "Written procedures exist.")
        if page.locator("button[name=next]").count():
            page.click("button[name=next]")
        else:
            page.click("button[name=save]")
        page.wait_for_load_state()
    page.goto(f"{assessment_url}score/")
    expect(page.locator("main")).to_contain_text("28 of 28 subcriteria answered")
    page.click("form[action$='/do/submit/'] button")
    expect(page.locator(".messages")).to_contain_text("submitted")


def test_whole_self_assessment(browser, live_server, demo, tmp_path):
    alice = person(browser, live_server, "alice")
    alice.goto("/municipalities/BA-BANJA-LUKA/")
    alice.click("text=Start a self-assessment")
    choose(alice, "select[name=framework]", "CAF")
    alice.select_option("select[name=method]", "classic")
    alice.fill("input[name=title]", "CAF 2026 browser")
    alice.fill("input[name=period_start]", "2026-01-01")
    alice.fill("input[name=period_end]", "2026-12-31")
    alice.click("form.stacked button[type=submit]")
    expect(alice.locator("h1")).to_have_text("Self-assessment group")
    assessment_url = re.sub(r"group/$", "", alice.url.replace(live_server.url, ""))
    for name in ("Bojan", "Олга", "Tomo"):
        choose(alice, "select[name=user]", name)
        alice.select_option("select[name=role]", "assessor")
        alice.click("form.filters button[type=submit]")
    expect(alice.locator("table")).to_contain_text("Tomo")

    bob = person(browser, live_server, "bob")
    score_in_browser(bob, assessment_url, 30)
    tomo = person(browser, live_server, "tomo")
    score_in_browser(tomo, assessment_url, 70)

    olga = person(browser, live_server, "olga")
    olga.goto(f"{assessment_url}score/")
    with olga.expect_download() as download:
        olga.click("text=Download my scoring workbook")
    path = tmp_path / "scores.xlsx"
    download.value.save_as(path)
    workbook = load_workbook(path)
    sheet = workbook["Scores"]
    header = [c.value for c in sheet[1]]
    score_column = header.index("Score") + 1
    for row in range(2, 30):
        sheet.cell(row=row, column=score_column, value=50)
    workbook.save(path)
    olga.set_input_files("input[name=workbook]", str(path))
    olga.click("form[action$='/workbook/'] button")
    expect(olga.locator(".messages")).to_contain_text("28 subcriteria saved")
    olga.click("form[action$='/do/submit/'] button")
    expect(olga.locator(".messages")).to_contain_text("submitted")

    alice.goto(assessment_url)
    alice.click("text=End individual scoring and start consensus")
    alice.click("text=Divergence and consensus")
    expect(alice.locator("tbody tr").first).to_contain_text("40")  # 70 − 30
    alice.goto(f"{assessment_url}consensus/1.1/")
    for index in range(28):
        alice.fill("input[name=score]", "80" if index >= 24 else "45")
        alice.fill("textarea[name=improvements]", "Measure citizen satisfaction every year.")
        if alice.locator("button[name=next]").count():
            alice.click("button[name=next]")
        else:
            alice.click("button[name=save]")
        alice.wait_for_load_state()
    alice.goto(assessment_url)
    alice.click("text=Close the assessment")
    expect(alice.locator(".messages")).to_contain_text("report is ready")
    alice.click("text=Self-assessment report")
    expect(alice.locator("svg").first).to_be_visible()
    with alice.expect_download() as download:
        alice.click("text=Download PDF")
    from pypdf import PdfReader

    pdf_text = "".join(p.extract_text() for p in PdfReader(download.value.path()).pages)
    assert "Leadership" in pdf_text and "45.0" in pdf_text and "80.0" in pdf_text

    mara = person(browser, live_server, "mara")
    mara.goto(f"{assessment_url}report/")
    mara.click("text=Accept the report")
    expect(mara.locator(".messages")).to_contain_text("accepted")

    alice.goto(f"{assessment_url}plan/")
    alice.locator("text=make an action of it").first.click()
    alice.fill("input[name=owner]", "Кабинет градоначелника")
    alice.fill("input[name=deadline]", "2026-09-30")
    alice.fill("textarea[name=expected_result]", "Satisfaction measured yearly")
    alice.fill("input[name=indicator]", "Survey published")
    alice.fill("input[name=impact]", "5")
    alice.fill("input[name=feasibility]", "4")
    alice.click("form.stacked button[type=submit]")
    expect(alice.locator("table")).to_contain_text("20")

    alice.goto(assessment_url)
    alice.click("text=Learning profile and sharing")
    alice.check("input[name=sharing][value=coordinators]")
    alice.click("text=Save the profile")
    expect(alice.locator(".messages")).to_contain_text("saved")
    profile_url = alice.locator("text=See it as others will").get_attribute("href")

    dana = person(browser, live_server, "dana")
    dana.goto(profile_url)
    expect(dana.locator("h1")).to_contain_text("Learning profile")
    response = dana.goto(assessment_url)
    assert response.status == 404
