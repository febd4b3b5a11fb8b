"""The briefing page in headless Chromium (Debian's ``chromium`` package) with Playwright.

Skipped only when Playwright for Python or /usr/bin/chromium is missing (the
accessibility scan also needs axe-playwright-python, in the ``test`` extra). The
expected rankings are the hand computations of ``test_api.py``: at equal weights
beta is first; with most weight on benefit alpha is first. Layout, charts,
keyboard use and presenter mode are checked at 390, 1280 and 1920 px.
"""

from __future__ import annotations

import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from policyeval.io import load_workspace
from policyeval.weighting import compute_weights

from .helpers import running

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
READY = "body:not(.pending) #summary:not(:empty)"

sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright for Python is missing")
if not CHROMIUM.exists():
    pytest.skip(
        "Debian's chromium is missing (/usr/bin/chromium): apt-get install chromium",
        allow_module_level=True,
    )


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        yield b
        b.close()


def _top(page) -> str:
    return page.locator("#ranking tbody tr").first.get_attribute("data-option")


def test_briefing_page_end_to_end(browser, tiny: Path, tmp_path: Path) -> None:
    """Loads cleanly offline; sliders re-rank; a saved profile loads; the memo downloads."""
    with running(tiny) as server:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        problems: list[str] = []
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: problems.append(str(e)))
        hosts: set[str] = set()
        page.on("request", lambda r: hosts.add(urlsplit(r.url).hostname or urlsplit(r.url).scheme))

        page.goto(server.url)
        page.wait_for_selector(READY)
        assert page.locator("h1").inner_text() == "Tiny decision"
        assert _top(page) == "beta"
        assert page.locator("#profile").input_value() == "even"
        benefit = page.get_by_label("Benefit", exact=True)
        assert float(benefit.input_value()) == pytest.approx(1 / 3, abs=1e-3)
        assert page.locator("#w-benefit-value").inner_text() == "33.3%"

        # moving the benefit slider re-ranks: alpha first (hand computation)
        benefit.fill("0.9")
        page.wait_for_selector('#ranking tbody tr:first-child[data-option="alpha"]')
        page.wait_for_selector(READY)
        assert page.locator("#w-benefit-value").inner_text() == "90.0%"
        assert page.locator("#w-reach-value").inner_text() == "5.0%"  # the rest in proportion
        assert page.locator("#edited").is_visible()
        bars = page.locator("#ranking tbody tr .acc-value").all_inner_texts()
        assert all(t.endswith("%") for t in bars)

        # the group slider scales the criteria inside the group; cost takes the rest
        page.get_by_label("Impact (group)").fill("0.2")
        page.wait_for_selector('#ranking tbody tr:first-child[data-option="status_quo"]')
        assert page.locator("#w-cost-value").inner_text() == "80.0%"
        page.wait_for_selector(READY)
        page.screenshot(path=str(tmp_path / "briefing.png"), full_page=True)

        # save the weights as a profile: a valid file, selected on the page
        page.fill("#save-id", "room_1")
        page.fill("#save-name", "Briefing room")
        page.click("#save")
        page.wait_for_selector("#save-status:has-text('Saved')")
        saved = compute_weights(load_workspace(tiny), "room_1")
        assert saved.name == "Briefing room"
        expected = {"benefit": 0.2 * 0.9 / 0.95, "reach": 0.2 * 0.05 / 0.95, "cost": 0.8}
        assert saved.weights == pytest.approx(expected, abs=1e-6)
        page.wait_for_selector(READY)
        assert page.locator("#profile").input_value() == "room_1"
        assert not page.locator("#edited").is_visible()
        assert page.locator("#w-cost-value").inner_text() == "80.0%"

        # switching profiles sets the sliders and re-ranks
        page.select_option("#profile", "even")
        page.wait_for_selector('#ranking tbody tr:first-child[data-option="beta"]')
        assert page.locator("#w-cost-value").inner_text() == "33.3%"
        page.select_option("#profile", "room_1")
        page.wait_for_selector('#ranking tbody tr:first-child[data-option="status_quo"]')
        page.wait_for_selector(READY)

        # the memo downloads, for the saved profile
        with page.expect_download(timeout=120_000) as info:
            page.click("#memo-md")
        download = info.value
        assert download.suggested_filename == "memo-room_1.md"
        text = Path(download.path()).read_text(encoding="utf-8")
        assert text.startswith("# Tiny decision") and "Briefing room" in text

        assert problems == []
        assert hosts <= {"127.0.0.1", "blob", "data"}

        # a saved id cannot be taken twice without "overwrite" (the 400 is logged)
        page.click("#save")
        page.wait_for_selector("#save-status:has-text('Not saved')")
        assert "already exists" in page.locator("#save-status").inner_text()
        page.close()


def test_shipped_case_shows_the_value_tree(browser, shipped: Path) -> None:
    """One slider per criterion and per group of the shipped case; no console error."""
    ws = load_workspace(shipped)
    with running(shipped) as server:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        problems: list[str] = []
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.goto(server.url)
        page.wait_for_selector(READY)
        assert page.locator("#sliders input[type=range]").count() == len(ws.criteria) + len(
            ws.groups
        )
        for c in ws.criteria:
            assert page.get_by_label(c.name, exact=True).count() == 1
        assert page.locator("#ranking tbody tr").count() == len(ws.options)
        page.check("#packages")  # packages, with the baseline as a reference row
        page.wait_for_selector(f'#ranking tbody tr[data-option="{ws.packages[0].id}"]')
        page.wait_for_selector(READY)
        assert page.locator("#ranking tbody tr").count() == len(ws.packages) + 1
        assert problems == []
        page.close()


# ---------- layout, charts, keyboard, accessibility, presenter mode ----------

WIDTHS = {390: 844, 1280: 800, 1920: 1080}
HEADER_SHARE = 0.15  # the sticky header may take at most this share of the screen's height


def _open(browser, server, width: int, query: str = ""):
    page = browser.new_page(viewport={"width": width, "height": WIDTHS[width]})
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.goto(server.url + query)
    page.wait_for_selector(READY, state="attached")
    return page, problems


def _until(page, predicate: str, arg, seconds: float = 20) -> None:  # noqa: ANN001
    """Poll ``predicate(arg)`` from the test (``page.evaluate`` is not bound by the page's
    Content-Security-Policy, which forbids the eval that polling a string inside it needs)."""
    end = time.monotonic() + seconds
    while not page.evaluate(predicate, arg):
        assert time.monotonic() < end, f"still false after {seconds} s: {predicate}"
        page.wait_for_timeout(100)


def _overflow(page) -> list[str]:
    """Elements reaching past the window's right edge outside a scrolling container."""
    return page.evaluate(
        """() => {
          const clipped = (e) => { for (let p = e.parentElement; p; p = p.parentElement) {
            const s = getComputedStyle(p);
            if (["auto", "scroll", "hidden"].includes(s.overflowX)) return true; } return false; };
          return [...document.querySelectorAll("body *")]
            .filter((e) => e.getBoundingClientRect().right > innerWidth + 0.5 && !clipped(e))
            .map((e) => `${e.tagName}#${e.id}.${e.className}`); }"""
    )


def _serious(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    result = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']]}"
        for v in result.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("case", ["tiny", "shipped"])
def test_fits_every_width_and_passes_axe(browser, request, case: str, width: int) -> None:
    """No horizontal scroll, a header of at most 15% of the height, no serious axe finding."""
    pytest.importorskip("axe_playwright_python", reason="pip install axe-playwright-python")
    with running(request.getfixturevalue(case)) as server:
        page, problems = _open(browser, server, width)
        assert page.evaluate("document.scrollingElement.scrollWidth <= innerWidth")
        assert _overflow(page) == []
        header = page.evaluate("document.querySelector('header').getBoundingClientRect().height")
        assert header <= HEADER_SHARE * WIDTHS[width]
        assert page.locator("#chart-scores .chart-row").count() >= 3
        assert _serious(page) == []
        assert problems == []
        page.close()


def _chart(page, name: str) -> dict:
    figure = page.locator(f"#chart-{name}")
    return {
        "values": figure.get_attribute("data-values"),
        "labels": figure.locator(".chart-label").all_inner_texts(),
        "svg": figure.locator(".chart-rows").inner_html(),
    }


def test_charts_and_bands_move_with_the_sliders(browser, tiny: Path) -> None:
    """Weights, scores by criterion (hand computation), acceptability and the bands all redraw."""
    with running(tiny) as server:
        page, problems = _open(browser, server, 1280)
        page.select_option("#sampler", "0.3")  # acceptability around the page's weights
        page.wait_for_selector(READY, state="attached")
        before = {n: _chart(page, n) for n in ("weights", "scores", "acceptability")}
        band = page.locator("#band-benefit")
        band_before = (band.get_attribute("data-low"), band.get_attribute("data-high"))
        text_before = page.locator("#band-benefit-text").inner_text()
        assert before["weights"]["values"] == "0.333333 0.333333 0.333333"
        assert before["scores"]["labels"] == ["Beta", "Status quo", "Alpha"]  # titles, not ids
        assert before["weights"]["labels"] == ["Benefit", "Reach", "Cost"]

        page.get_by_label("Benefit", exact=True).fill("0.9")
        page.wait_for_selector('#chart-scores .chart-row:first-child[data-id="alpha"]')
        page.wait_for_selector(READY, state="attached")
        page.wait_for_function(
            "t => document.getElementById('band-benefit-text').textContent !== t", arg=text_before
        )
        after = {n: _chart(page, n) for n in ("weights", "scores", "acceptability")}
        assert after["weights"]["values"] == "0.900000 0.050000 0.050000"
        # weight x value (tests/serve/test_api.py): alpha .745, beta .525, status quo .245
        assert after["scores"]["values"] == "0.745000 0.525000 0.245000"
        assert after["scores"]["labels"] == ["Alpha", "Beta", "Status quo"]
        assert after["acceptability"]["svg"] != before["acceptability"]["svg"]
        first = [float(x) for x in after["acceptability"]["values"].split()]
        assert first == sorted(first, reverse=True) and 0 < first[0] <= 1  # ranked-first shares
        assert (band.get_attribute("data-low"), band.get_attribute("data-high")) != band_before
        assert page.locator("#band-benefit-text").is_visible()
        assert page.locator("#band-help").inner_text().startswith("The green band")
        assert problems == []
        page.close()


def test_keyboard_moves_a_slider_with_visible_focus(browser, tiny: Path) -> None:
    """Tab reaches the sliders; arrows move one point, Page Up five, End and Home to the ends."""
    with running(tiny) as server:
        page, problems = _open(browser, server, 1280)
        benefit = page.get_by_label("Benefit", exact=True)
        for _ in range(30):  # from the top of the page, by keyboard only
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.id") == "w-benefit":
                break
        assert page.evaluate("document.activeElement.id") == "w-benefit"
        outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
        assert outline not in ("none", "")
        page.keyboard.press("ArrowRight")
        assert page.locator("#w-benefit-value").inner_text() == "34.3%"
        page.keyboard.press("PageUp")
        assert page.locator("#w-benefit-value").inner_text() == "39.3%"
        assert float(benefit.input_value()) == pytest.approx(1 / 3 + 0.06)
        page.wait_for_selector('#chart-weights[data-values^="0.393333"]')
        page.keyboard.press("End")
        assert page.locator("#w-benefit-value").inner_text() == "100.0%"
        page.keyboard.press("Home")
        assert page.locator("#w-benefit-value").inner_text() == "0.0%"
        assert page.locator("#w-cost-value").inner_text() == "50.0%"
        assert problems == []
        page.close()


@pytest.mark.parametrize("width", [1280, 1920])
def test_presenter_mode_shows_the_bottom_line_and_one_chart(browser, shipped: Path, width) -> None:
    """?present=1: large type, the memo's bottom line, one chart, no overflow; the button leaves."""
    import policyeval as pe
    from policyeval.reporting.context import bottom_line_of

    a = pe.analyze(pe.load(shipped))
    with running(shipped) as server:
        page, problems = _open(browser, server, width, "?present=1")
        assert page.locator("#present").get_attribute("aria-pressed") == "true"
        charts = [f for f in page.locator("figure.chart").all() if f.is_visible()]
        assert [f.get_attribute("id") for f in charts] == ["chart-scores"]
        assert not page.locator("#sliders").is_visible()
        assert not page.locator("#ranking").is_visible()
        memo = bottom_line_of(a)  # the memo's, at the page's settings (10,000 samples, seed 0)
        assert page.locator("#headline").inner_text() == memo["headline"]
        assert page.locator("#headline-rest").inner_text() == memo["headline_rest"]
        size = page.evaluate("getComputedStyle(document.getElementById('headline')).fontSize")
        assert float(size.removesuffix("px")) >= 24
        assert page.evaluate("document.scrollingElement.scrollWidth <= innerWidth")
        assert _overflow(page) == []
        # the bottom line names a package, so the one chart shows the packages too
        rows_within = (
            "ids => { const r = [...document.querySelectorAll('#chart-scores [data-id]')]"
            ".map(e => e.dataset.id); return r.length > 0 && r.every(id => ids.includes(id)); }"
        )
        packages = sorted({p.id for p in a.case.packages} | {a.case.baseline.id})
        _until(page, rows_within, packages)
        page.click("#present")
        assert page.locator("#sliders").is_visible()
        assert "present" not in page.url
        options = sorted(o.id for o in a.case.options)  # leaving restores the options' view
        _until(page, rows_within, options)
        assert not page.locator("#packages").is_checked()
        assert problems == []
        page.close()
