"""The built catalog site in a real headless Chromium, as a person uses it.

The example catalog is built once (``eventcontracts catalog build --out <tmp>``) and opened from
``file://``, as someone opens a CI artifact, and once from a local HTTP server, as from an S3
bucket. The tests rely only on the DOM contract of the design (ids, classes, data attributes),
not on the look. Every page must log no console error, throw no error and violate no line of its
own Content-Security-Policy. Screenshots of each state land in test-output/catalog/.
"""

from __future__ import annotations

import functools
import json
import re
import shutil
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest
import yaml
from playwright.sync_api import expect

import browser as chromium_launcher
from browser import SCREENSHOTS, Browser, WatchedPage, launch
from conftest import EXAMPLE_BUS_RULES, EXAMPLE_CONFIG, EXAMPLE_REGISTRY, REPO_ROOT, run_cli

ORDER_PLACED = "com.mystore.checkout@OrderPlaced"
ORDER_CREATED = "com.mycompany.orders@OrderCreated"
ORDER_SHIPPED = "com.mycompany.orders@OrderShipped"
CHECKOUT = REPO_ROOT / "registry" / "com.mystore.checkout" / "OrderPlaced"
SHIPPING_CONSUMER = (
    REPO_ROOT / "registry" / "com.mycompany.orders" / "OrderCreated" / "consumers"
) / "shipping-service.yaml"

# Hostile schema text: a script element and an inline handler, as a PR could put them in a
# description, a title or an enum value. Shown as text, neither may run.
SCRIPT_PAYLOAD = "<script>window.__pwned=1</script>"
HANDLER_PAYLOAD = '<img src=x onerror="window.__pwned=2">'
HOSTILE_DESCRIPTION = f"Refund issued {SCRIPT_PAYLOAD} then {HANDLER_PAYLOAD} done."
HOSTILE_ENUM = '"><svg onload="window.__pwned=3">'


def build_catalog(project: Path, out: Path) -> Path:
    result = run_cli(["catalog", "build", "--out", str(out)], project, timeout=300)
    assert result.code == 0, result.out + result.err
    assert (out / "index.html").is_file(), result.out
    return out


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with launch() as chromium:
        yield chromium


@pytest.fixture(scope="session")
def example_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's example catalog, built as `make demo` builds it."""
    return build_catalog(REPO_ROOT, tmp_path_factory.mktemp("example-site") / "site")


@pytest.fixture(scope="session")
def extended_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example project plus a third OrderPlaced version (so that there are three pairs to
    switch between) and a schema whose texts are script injections."""
    project = tmp_path_factory.mktemp("extended-project")
    shutil.copytree(EXAMPLE_REGISTRY, project / "registry")
    shutil.copy2(EXAMPLE_CONFIG, project / "eventcontracts.toml")
    for folder in EXAMPLE_BUS_RULES:
        shutil.copytree(REPO_ROOT / folder, project / folder)
    placed = project / "registry" / "com.mystore.checkout" / "OrderPlaced"
    v3 = json.loads((placed / "v2.json").read_text(encoding="utf-8"))
    v3["definitions"]["OrderPlaced"]["properties"]["giftMessage"] = {
        "type": "string",
        "maxLength": 200,
        "description": "A note printed on the packing slip.",
    }
    (placed / "v3.json").write_text(json.dumps(v3, indent=2) + "\n", encoding="utf-8")
    hostile = project / "registry" / "com.example.hostile" / "RefundIssued"
    hostile.mkdir(parents=True)
    (hostile / "v1.json").write_text(json.dumps(_hostile_schema(), indent=2) + "\n")
    return build_catalog(project, project / "site")


def _hostile_schema() -> dict[str, Any]:
    return {
        "$schema": "http://json-schema.org/draft-04/schema#",
        "title": f"RefundIssued {SCRIPT_PAYLOAD}",
        "type": "object",
        "x-amazon-events-source": "com.example.hostile",
        "x-amazon-events-detail-type": "RefundIssued",
        "properties": {
            "source": {"type": "string"},
            "detail-type": {"type": "string"},
            "detail": {
                "type": "object",
                "description": HOSTILE_DESCRIPTION,
                "required": ["refundId"],
                "properties": {
                    "refundId": {"type": "string", "description": HANDLER_PAYLOAD},
                    "reason": {"type": "string", "enum": ["damaged", HOSTILE_ENUM]},
                },
            },
        },
    }


@pytest.fixture
def page(browser: Browser) -> Iterator[WatchedPage]:
    """A new tab; the test fails if anything on it logged an error or broke the CSP."""
    with browser.page() as watched:
        yield watched
        watched.assert_clean()


def slug_page(site: Path, schema: str) -> str:
    """The file:// URL of a schema's page, found from the index as a visitor would."""
    index = (site / "index.html").read_text(encoding="utf-8")
    short = schema.partition("@")[2]
    links = re.findall(r'<a class="event-link" href="(schemas/[^"]+\.html)">([^<]+)</a>', index)
    hrefs = [href for href, text in links if text == short]
    assert len(hrefs) == 1, (short, links)
    return (site / hrefs[0]).as_uri()


def open_page(page: WatchedPage, url: str) -> Any:
    page.page.goto(url)
    page.page.wait_for_load_state("load")
    return page.page


def test_the_index_lists_sources_events_owners_and_the_drawing(
    page: WatchedPage, example_site: Path
) -> None:
    tab = open_page(page, (example_site / "index.html").as_uri())

    checkout = tab.locator('section.source[data-source="com.mystore.checkout"]')
    expect(checkout).to_be_visible()
    expect(checkout.locator(".owner").first).to_have_text("team-storefront")
    event = checkout.locator("tr", has=tab.locator("a.event-link", has_text="OrderPlaced"))
    expect(event.locator(".latest")).to_have_text("v2")
    expect(event.locator(".detail-type")).to_have_text("OrderPlaced")
    sources = {path.name for path in EXAMPLE_REGISTRY.iterdir() if path.is_dir()}
    shown = tab.locator("section.source").evaluate_all(
        "sections => sections.map(s => s.dataset.source)"
    )
    assert set(shown) == sources

    drawing = tab.locator("svg.flow").first
    expect(drawing).to_be_visible()
    assert drawing.locator(".node").count() >= len(sources)
    expect(drawing).to_contain_text("OrderPlaced")
    expect(drawing).to_contain_text("shipping-service")
    # Names are case-sensitive: the drawing shows them as written, not restyled.
    transforms = drawing.locator("text").evaluate_all(
        "texts => [...new Set(texts.map(t => getComputedStyle(t).textTransform))]"
    )
    assert transforms == ["none"], transforms
    page.screenshot("index")


def test_search_for_a_field_and_follow_the_result_to_its_schema(
    page: WatchedPage, example_site: Path
) -> None:
    tab = open_page(page, (example_site / "index.html").as_uri())
    results = tab.locator("ul#search-results")
    expect(results).to_be_hidden()

    tab.locator("input#search").press_sequentially("postalCode", delay=20)

    expect(results).to_be_visible()
    hit = results.locator("li a", has_text="OrderPlaced").filter(has_text="postalCode")
    expect(hit).to_have_count(1)
    expect(hit).to_contain_text("shippingAddress.postalCode")
    # Every field of the example registry named so, and no unrelated event.
    assert results.locator("li a").count() >= 2
    for text in results.locator("li a").all_inner_texts():
        assert "postalcode" in text.lower(), text
    page.screenshot("search-results")

    hit.click()
    tab.wait_for_load_state("load")

    assert re.search(r"/schemas/[^/]+\.html(#.*)?$", tab.url), tab.url
    expect(tab.locator("h1")).to_contain_text(ORDER_PLACED)
    field = tab.locator('li.prop[data-path="shippingAddress.postalCode"]:visible')
    assert field.count() >= 1
    expect(field.first).to_be_in_viewport()
    expect(field.first.locator(".prop-name").first).to_have_text("postalCode")
    expect(field.first.locator(".prop-type").first).to_contain_text("string")
    page.screenshot("search-followed")


def test_a_schema_page_shows_versions_tree_and_samples(
    page: WatchedPage, example_site: Path
) -> None:
    tab = open_page(page, slug_page(example_site, ORDER_PLACED))

    expect(tab.locator("h1")).to_contain_text(ORDER_PLACED)
    expect(tab.locator(".mode").first).to_contain_text("BACKWARD")
    for number in (1, 2):
        expect(tab.locator(f'section#versions .version[data-version="{number}"]')).to_have_count(1)
    v2 = tab.locator('section#versions .version[data-version="2"]')
    currency = v2.locator('li.prop[data-path="currency"]')
    expect(currency.locator(".enum").first).to_contain_text("CAD")
    expect(currency.locator(".required").first).to_be_visible()
    address = v2.locator('li.prop[data-path="shippingAddress"]')
    expect(address.locator(".ref").first).to_be_visible()  # reached through #/definitions/Address
    expect(v2.locator('li.prop[data-path="orderId"] .constraints').first).to_contain_text("ORD-")
    # The version's own sample event, shown as written.
    sample = v2.locator('div.samples pre.event[data-label="canadian-mobile-order.json"]')
    expect(sample).to_be_visible()
    shown = json.loads(sample.inner_text())
    written = json.loads((CHECKOUT / "examples/v2/canadian-mobile-order.json").read_text())
    assert shown == written


def test_the_breaking_forward_change_of_order_placed_with_its_counterexample(
    page: WatchedPage, example_site: Path
) -> None:
    tab = open_page(page, slug_page(example_site, ORDER_PLACED))

    # The two latest versions are compared by default.
    expect(tab.locator("select#compare-old")).to_have_value("1")
    expect(tab.locator("select#compare-new")).to_have_value("2")
    diff = tab.locator('div.diff[data-old="1"][data-new="2"]')
    expect(diff).to_be_visible()
    # BACKWARD is what the schema's mode guards: v2 is compatible, yet old readers reject CAD.
    expect(diff.locator(".verdict")).to_have_text("compatible")
    widened = diff.locator('li.change[data-rule="C500"]')
    expect(widened).to_be_visible()
    expect(widened.locator(".rule-id")).to_have_text("C500")
    expect(widened.locator(".breaks")).to_contain_text("FORWARD")
    assert "BACKWARD" not in widened.locator(".breaks").inner_text()
    assert widened.get_attribute("data-breaking") == "false"
    counterexample = widened.locator("pre.counterexample")
    expect(counterexample).to_be_visible()
    assert _counterexample_detail(counterexample.inner_text())["currency"] == "CAD"
    # The compatible addition breaks no direction.
    added = diff.locator('li.change[data-rule="C302"]')
    expect(added.locator(".breaks")).not_to_contain_text("FORWARD")
    expect(added.locator("pre.counterexample")).to_have_count(0)

    tab.locator("section#compare").scroll_into_view_if_needed()
    page.screenshot("order-placed-diff")
    _readme_screenshot(tab)


def _counterexample_detail(text: str) -> dict[str, Any]:
    """The detail of the event a counterexample shows (the event itself, or under "event")."""
    shown = json.loads(text)
    event = shown.get("event", shown)
    assert isinstance(event.get("detail"), dict), shown
    return dict(event["detail"])


def _readme_screenshot(tab: Any) -> None:
    """The README's picture: one 1280 x 900 screen of the compared versions."""
    tab.evaluate(
        "window.scrollTo(0, document.querySelector('section#compare')"
        ".getBoundingClientRect().top + window.scrollY - 80)"
    )
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    tab.screenshot(path=str(SCREENSHOTS / "readme.png"), full_page=False)


def test_switching_the_compared_versions_shows_that_diff_only(
    page: WatchedPage, extended_site: Path
) -> None:
    tab = open_page(page, slug_page(extended_site, ORDER_PLACED))
    diffs = tab.locator("div.diff")
    expect(diffs).to_have_count(3)  # 1->2, 1->3, 2->3
    expect(tab.locator('div.diff[data-old="2"][data-new="3"]')).to_be_visible()

    tab.locator("select#compare-old").select_option("1")
    tab.locator("select#compare-new").select_option("2")

    shown = tab.locator('div.diff[data-old="1"][data-new="2"]')
    expect(shown).to_be_visible()
    for old, new in (("1", "3"), ("2", "3")):
        expect(tab.locator(f'div.diff[data-old="{old}"][data-new="{new}"]')).to_be_hidden()
    change = shown.locator("li.change", has=tab.locator(".breaks", has_text="FORWARD"))
    expect(change).to_have_count(1)
    expect(change.locator("pre.counterexample")).to_be_visible()
    page.screenshot("compare-switched")

    tab.locator("select#compare-new").select_option("3")
    expect(tab.locator('div.diff[data-old="1"][data-new="3"]')).to_be_visible()
    expect(shown).to_be_hidden()
    expect(tab.locator('div.diff[data-old="2"][data-new="3"]')).to_be_hidden()


def test_order_created_shows_its_consumers_fields_and_its_drawing(
    page: WatchedPage, example_site: Path
) -> None:
    tab = open_page(page, slug_page(example_site, ORDER_CREATED))
    declared = yaml.safe_load(SHIPPING_CONSUMER.read_text(encoding="utf-8"))

    consumer = tab.locator('section#consumers div.consumer[data-consumer="shipping-service"]')
    expect(consumer).to_be_visible()
    expect(consumer.locator(".owner").first).to_have_text(declared["owner"])
    versions = consumer.locator(".versions").first
    for number in declared["versions"]:
        expect(versions).to_contain_text(f"{number}")
    fields = [read["field"] for read in declared["reads"]]
    for name in fields:
        expect(consumer.locator(f'li.read[data-field="{name}"]')).to_be_visible()
    expect(consumer.locator("li.read")).to_have_count(len(fields))
    consumer.scroll_into_view_if_needed()
    page.screenshot("order-created-consumers")

    drawing = tab.locator("svg.flow").first
    expect(drawing).to_be_visible()
    assert drawing.locator(".node").count() >= 3  # producer, event, consumers
    expect(drawing).to_contain_text("OrderCreated")
    expect(drawing).to_contain_text("shipping-service")
    expect(drawing).to_contain_text("analytics")
    box = drawing.bounding_box()
    assert box is not None and box["width"] > 100 and box["height"] > 50, box
    drawing.scroll_into_view_if_needed()
    page.screenshot("order-created-flow")


def test_the_bus_rules_that_route_an_event_with_their_targets(
    page: WatchedPage, example_site: Path
) -> None:
    tab = open_page(page, slug_page(example_site, ORDER_SHIPPED))
    # infra/order-routing.yaml: InternationalShipmentRule sends Order Shipped to CustomsQueue.
    rule = tab.locator("section#rules div.rule", has_text="InternationalShipmentRule")
    expect(rule).to_have_count(1)
    expect(rule.locator("pre.pattern")).to_contain_text("anything-but")
    expect(rule.locator("li.target")).to_contain_text(["CustomsQueue"])
    expect(rule.locator('.route[data-version="1"]')).to_contain_text("matches")


def test_without_javascript_every_diff_is_shown(browser: Browser, extended_site: Path) -> None:
    """Progressive enhancement: the switcher only hides; with scripts off nothing is hidden."""
    with browser.without_javascript() as plain, plain.page() as page:
        tab = open_page(page, slug_page(extended_site, ORDER_PLACED))
        diffs = tab.locator("div.diff")
        expect(diffs).to_have_count(3)
        for index in range(3):
            expect(diffs.nth(index)).to_be_visible()
        expect(tab.locator("h1")).to_contain_text(ORDER_PLACED)
        page.assert_clean()


@pytest.fixture
def hosted(example_site: Path) -> Iterator[str]:
    """The example site behind a plain static HTTP server on 127.0.0.1, as S3 would serve it."""
    handler = functools.partial(_QuietHandler, directory=str(example_site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def test_the_site_works_when_served_over_http(page: WatchedPage, hosted: str) -> None:
    tab = open_page(page, f"{hosted}/index.html")
    assert tab.evaluate("getComputedStyle(document.body).margin") != ""
    # The stylesheet is a same-origin file: the policy must let it in (no violation asserted
    # by the fixture) and it must apply.
    sheets = tab.evaluate("Array.from(document.styleSheets).map(s => s.href || '')")
    assert any(href.endswith("/assets/catalog.css") for href in sheets), sheets

    tab.locator("input#search").press_sequentially("OrderPlaced", delay=20)
    hit = tab.locator("ul#search-results li a").first
    expect(hit).to_contain_text("OrderPlaced")
    hit.click()
    tab.wait_for_load_state("load")
    assert tab.url.startswith(f"{hosted}/schemas/"), tab.url
    expect(tab.locator("h1")).to_contain_text(ORDER_PLACED)
    expect(tab.locator('div.diff[data-old="1"][data-new="2"]')).to_be_visible()
    page.screenshot("hosted-schema")


def test_hostile_schema_text_is_shown_as_text_and_runs_nothing(
    page: WatchedPage, extended_site: Path
) -> None:
    tab = open_page(page, slug_page(extended_site, "com.example.hostile@RefundIssued"))
    tab.wait_for_timeout(200)  # an injected image would have failed to load by now

    assert tab.evaluate("typeof window.__pwned") == "undefined"
    expect(tab.locator("h1")).to_contain_text("com.example.hostile@RefundIssued")
    version = tab.locator('section.version[data-version="1"]')
    expect(version.locator(".description").first).to_have_text(HOSTILE_DESCRIPTION)
    refund_id = version.locator('li.prop[data-path="refundId"] .prop-description').first
    expect(refund_id).to_have_text(HANDLER_PAYLOAD)
    # Enum values are shown as JSON values (quoted), escapes and all.
    reason = version.locator('li.prop[data-path="reason"] .enum')
    expect(reason).to_contain_text(json.dumps(HOSTILE_ENUM))
    # Nothing of the payloads became an element.
    for selector in ("main script", "main img", "main svg:not(.flow) [onload]", "[onerror]"):
        assert tab.locator(selector).count() == 0, selector
    page.screenshot("hostile-schema")

    # The index and the search results show it as text too.
    tab = open_page(page, (extended_site / "index.html").as_uri())
    tab.locator("input#search").press_sequentially("Refund issued", delay=20)
    hit = tab.locator("ul#search-results li a", has_text="RefundIssued").first
    expect(hit).to_be_visible()
    assert tab.locator("ul#search-results img, ul#search-results script").count() == 0
    assert tab.evaluate("typeof window.__pwned") == "undefined"
    page.screenshot("hostile-index")


def test_the_watch_sees_console_errors_page_errors_and_csp_violations(
    browser: Browser, tmp_path: Path
) -> None:
    """The other tests' "no problem on the page" means something only if a problem is seen."""
    policy = "default-src 'none'; script-src 'self'"
    (tmp_path / "broken.js").write_text('console.error("logged"); throw new Error("thrown");\n')
    (tmp_path / "broken.html").write_text(
        f'<!doctype html><meta http-equiv="Content-Security-Policy" content="{policy}">'
        '<script src="broken.js"></script><script>window.__inline = 1</script>'
        f"{HANDLER_PAYLOAD}\n"
    )
    with browser.page() as watched:
        open_page(watched, (tmp_path / "broken.html").as_uri())
        watched.page.wait_for_timeout(200)
        assert watched.page.evaluate("[typeof window.__inline, typeof window.__pwned]") == [
            "undefined",
            "undefined",
        ]
        assert any("logged" in text for text in watched.console_errors), watched.problems()
        assert any("thrown" in text for text in watched.page_errors), watched.problems()
        blocked = " ".join(watched.csp_violations)
        assert "script-src-elem blocked inline" in blocked, watched.problems()
        assert "script-src-attr blocked inline" in blocked, watched.problems()
        with pytest.raises(AssertionError, match="CSP violation"):
            watched.assert_clean()


def test_without_chromium_the_tests_skip_locally_and_fail_in_ci(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(chromium_launcher, "CHROMIUM", tmp_path / "no-chromium")
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="chromium-driver"):
        chromium_launcher.chromium_or_skip()
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI must run them"):
        chromium_launcher.chromium_or_skip()


def test_every_page_loads_clean_and_every_link_is_there(
    page: WatchedPage, example_site: Path
) -> None:
    """From file://, every page, stylesheet and script loads with no error, and every link
    of every page points to a file of the site (relative, so it works from any folder)."""
    pages = sorted(example_site.rglob("*.html"))
    assert len(pages) == 3 + len(list(EXAMPLE_REGISTRY.glob("*/*/v1.*")))
    for html in pages:
        tab = open_page(page, html.as_uri())
        assert tab.evaluate("document.styleSheets.length") >= 1, html
        assert tab.evaluate("typeof window.EVENTCONTRACTS_SEARCH") == "object", html
        hrefs = tab.locator("a[href]").evaluate_all(
            "links => links.map(a => new URL(a.getAttribute('href'), document.baseURI).href)"
        )
        for href in hrefs:
            assert href.startswith("file://"), (html, href)
            target = Path(unquote(urlsplit(href).path))
            assert target.is_file(), (html, href)
            assert example_site in target.parents, (html, href)
        page.assert_clean()
