"""``eventcontracts catalog build``: the event catalog site, read as a user reads it (no browser;
tests/test_catalog_browser.py drives the pages in Chromium).

The example project's site must show what a team looks for (owners, latest versions, the
diff between two versions with rule IDs, the consumers and the fields they read, the bus rules
and their targets), be the same bytes on every build, never let schema text become markup, and
never replace a folder that is not a catalog.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from conftest import EXAMPLE_BUS_RULES, EXAMPLE_CONFIG, EXAMPLE_REGISTRY, REPO_ROOT, CliRunner
from corpus import CORPUS, adopt
from eventcontracts.catalog.site import MARKER
from eventcontracts.catalog.slugs import page_slugs
from synthetic_source import SOURCE as SYNTHETIC_SOURCE
from synthetic_source import write_project

ORDER_CREATED = "com.mycompany.orders@OrderCreated"
OUR_SCRIPTS = {"assets/search-index.js", "assets/catalog.js"}
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "base-uri 'none'; form-action 'none'"
)


# --- reading pages --------------------------------------------------------------------------


class Element:
    def __init__(self, tag: str, attrs: dict[str, str | None], parent: Element | None) -> None:
        self.tag, self.attrs, self.parent = tag, attrs, parent
        self.children: list[Element] = []
        self.texts: list[str] = []

    @property
    def classes(self) -> set[str]:
        return set((self.attrs.get("class") or "").split())

    def text(self) -> str:
        return "".join(self.texts) + "".join(child.text() for child in self.children)

    def iter(self) -> Iterator[Element]:
        yield self
        for child in self.children:
            yield from child.iter()

    def find_all(
        self, tag: str | None = None, cls: str | None = None, **attrs: str
    ) -> list[Element]:
        return [
            element
            for element in self.iter()
            if (tag is None or element.tag == tag)
            and (cls is None or cls in element.classes)
            and all(
                element.attrs.get(name.replace("_", "-")) == value for name, value in attrs.items()
            )
        ]

    def one(self, tag: str | None = None, cls: str | None = None, **attrs: str) -> Element:
        found = self.find_all(tag, cls, **attrs)
        assert len(found) == 1, (tag, cls, attrs, len(found))
        return found[0]


VOID = {"meta", "link", "input", "br", "img", "hr", "source", "wbr", "area", "col", "embed"}


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {}, None)
        self.current = self.root

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, dict(attrs), self.current)
        self.current.children.append(element)
        if tag not in VOID:
            self.current = element

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.current.children.append(Element(tag, dict(attrs), self.current))

    def handle_endtag(self, tag: str) -> None:
        node: Element | None = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data: str) -> None:
        self.current.texts.append(data)


def page(path: Path) -> Element:
    parser = _Parser()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return parser.root


def words(element: Element) -> str:
    return " ".join(element.text().split())


# --- building -------------------------------------------------------------------------------


def project_copy(folder: Path) -> Path:
    """The example project: its registry, settings and bus-rule files."""
    folder.mkdir(parents=True)
    shutil.copytree(EXAMPLE_REGISTRY, folder / "registry")
    shutil.copy2(EXAMPLE_CONFIG, folder / "eventcontracts.toml")
    for name in EXAMPLE_BUS_RULES:
        shutil.copytree(REPO_ROOT / name, folder / name)
    return folder


def build(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``eventcontracts catalog build`` in a fresh process, as a CI job runs it."""
    env = {key: value for key, value in os.environ.items() if key != "EVENTCONTRACTS_DEBUG"}
    return subprocess.run(
        [sys.executable, "-m", "eventcontracts", "catalog", "build", *args],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env=env,
    )


def one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    (line,) = result.stderr.strip().splitlines()
    return line


def files_of(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example project with its catalog built into site/."""
    project = project_copy(tmp_path_factory.mktemp("catalog") / "project")
    result = build(project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip().startswith("catalog: 9 schemas, ")
    assert result.stdout.strip().endswith("-> site/index.html")
    return project


@pytest.fixture(scope="module")
def site(example: Path) -> Path:
    return example / "site"


def slug(name: str, project: Path) -> str:
    names = [
        f"{source.name}@{schema.name}"
        for source in (project / "registry").iterdir()
        if source.is_dir()
        for schema in source.iterdir()
        if schema.is_dir() and any(schema.glob("v*.*"))
    ]
    return page_slugs(names)[name]


# --- what the pages show ---------------------------------------------------------------------


def test_the_build_writes_the_layout_the_design_promises(site: Path) -> None:
    for name in (
        "index.html",
        "rules.html",
        "consumers.html",
        MARKER,
        "assets/catalog.css",
        "assets/catalog.js",
        "assets/search-index.js",
    ):
        assert (site / name).is_file(), name
    assert (site / MARKER).read_text().startswith("eventcontracts ")
    assert len(list((site / "schemas").glob("*.html"))) == 9


def test_every_page_has_the_header_search_box_and_csp_and_only_our_scripts(site: Path) -> None:
    for path in sorted(site.rglob("*.html")):
        document = page(path)
        root = "../" if path.parent.name == "schemas" else "./"
        assert document.one("body").attrs["data-root"] == root
        header = document.find_all("header")[0]
        assert header.find_all("a", href=f"{root}index.html"), path
        assert header.one("input", id="search").attrs["type"] == "search"
        assert header.one("ul", id="search-results")
        (csp,) = [m for m in document.find_all("meta") if m.attrs.get("http-equiv")]
        assert csp.attrs["content"] == CSP
        scripts = document.find_all("script")
        assert {s.attrs.get("src") for s in scripts} == {root + name for name in OUR_SCRIPTS}
        assert all(not s.text().strip() for s in scripts)  # no inline script


def test_index_lists_every_schema_with_its_owner_and_latest_version(
    site: Path, example: Path
) -> None:
    index = page(site / "index.html")
    owners = {
        "com.mycompany.orders": "team-orders",
        "com.mycompany.inventory": "team-inventory",
        "com.mycompany.payments": "team-finance",
        "com.mystore.checkout": "team-storefront",
        "eventcontracts.claimcheck": "team-platform",
    }
    for source, owner in owners.items():
        section = index.one("section", "source", data_source=source)
        assert words(section.find_all(cls="owner")[0]) == owner
        folders = sorted(p.name for p in (example / "registry" / source).iterdir())
        links = section.find_all("a", "event-link")
        assert sorted(words(link) for link in links) == folders
        for name in folders:
            href = f"schemas/{slug(f'{source}@{name}', example)}.html"
            assert section.find_all("a", "event-link", href=href), href
            assert (site / href).is_file()
    orders = index.one("section", "source", data_source="com.mycompany.orders")
    row = next(
        link.parent.parent
        for link in orders.find_all("a", "event-link")
        if words(link) == "OrderCreated"
    )
    assert words(row.one(cls="latest")) == "v2"
    assert words(row.one(cls="detail-type")) == "Order Created"
    assert index.find_all("svg", "flow")


def test_the_order_created_page_shows_versions_diff_consumers_and_rules(
    site: Path, example: Path
) -> None:
    schema = page(site / "schemas" / f"{slug(ORDER_CREATED, example)}.html")
    assert words(schema.one("h1")) == ORDER_CREATED
    assert "team-orders" in words(schema.find_all(cls="owner")[0])
    assert words(schema.one(cls="mode")) == "FULL, lenient"

    versions = schema.one("section", id="versions")
    for number in ("1", "2"):
        version = versions.one("section", "version", data_version=number)
        assert version.one("li", "prop", data_path="orderId").find_all(cls="required")
        country = version.one("li", "prop", data_path="shippingAddress.country")
        assert words(country.one(cls="prop-type")) == "string"
        assert "^[A-Z]{2}$" in words(country.one(cls="constraints"))
        assert version.one(cls="samples").find_all("pre", "event")
    v2 = versions.one("section", "version", data_version="2")
    assert v2.find_all("li", "prop", data_path="channel")  # added in v2
    assert not versions.one("section", "version", data_version="1").find_all(
        "li", "prop", data_path="channel"
    )
    labels = {pre.attrs["data-label"] for pre in v2.find_all("pre", "event")}
    assert {"mobile-app-order.json", "web-order-with-discount.json"} <= labels
    for pre in v2.find_all("pre", "event"):
        assert json.loads(pre.text())["detail-type"] == "Order Created"

    compare = schema.one("section", id="compare")
    assert compare.one("select", id="compare-old") and compare.one("select", id="compare-new")
    diff = compare.one("div", "diff", data_old="1", data_new="2")
    assert words(diff.one(cls="verdict")) in {"compatible", "breaking"}
    changes = diff.find_all("li", "change")
    assert changes
    for change in changes:
        assert change.attrs["data-rule"].startswith("C")
        assert words(change.one(cls="rule-id")) == change.attrs["data-rule"]
        assert words(change.one(cls="message"))
        assert change.attrs["data-breaking"] in {"true", "false"}

    consumers = schema.one("section", id="consumers")
    expected = {
        "shipping-service": (
            "team-fulfilment",
            {"orderId", "shippingAddress.country", "items[].quantity"},
        ),
        "analytics": ("team-data", {"orderId", "totalAmount", "channel"}),
    }
    for name, (owner, fields) in expected.items():
        consumer = consumers.one("div", "consumer", data_consumer=name)
        assert words(consumer.one(cls="owner")) == owner
        assert words(consumer.one(cls="versions")) == "v1, v2"
        assert fields <= {read.attrs["data-field"] for read in consumer.find_all("li", "read")}

    rules = schema.one("section", id="rules")
    rule = rules.one("div", "rule", data_rule="order-big-spender")
    assert json.loads(rule.one("pre", "pattern").text())["detail-type"] == ["Order Created"]
    assert {route.attrs["data-version"] for route in rule.find_all(cls="route")} == {"1", "2"}
    assert schema.find_all("svg", "flow")


def test_a_breaking_change_shows_its_counterexample(tmp_path: Path) -> None:
    """OrderCreated v3 narrows currency (a reader of v2 events breaks): the page says
    breaking, in red, with the event that proves it."""
    project = project_copy(tmp_path / "project")
    folder = project / "registry" / "com.mycompany.orders" / "OrderCreated"
    document = json.loads((folder / "v2.json").read_text())
    detail = document["components"]["schemas"]["OrderCreated"]
    detail["properties"]["currency"]["enum"] = ["USD", "EUR"]
    (folder / "v3.json").write_text(json.dumps(document, indent=2))
    assert build(project).returncode == 0

    schema = page(project / "site" / "schemas" / f"{slug(ORDER_CREATED, project)}.html")
    diff = schema.one("div", "diff", data_old="2", data_new="3")
    assert words(diff.one(cls="verdict")) == "breaking"
    assert "breaking" in diff.one(cls="verdict").classes
    breaking = [c for c in diff.find_all("li", "change") if c.attrs["data-breaking"] == "true"]
    assert breaking
    change = breaking[0]
    assert "BACKWARD" in words(change.one(cls="breaks"))
    event = json.loads(change.one("pre", "counterexample").text())
    assert "GBP" in json.dumps(event)  # v2 allows GBP, v3 does not
    # the two latest versions are compared first
    assert compare_defaults(schema) == ("2", "3")
    assert schema.one("div", "diff", data_old="1", data_new="3")


def compare_defaults(schema: Element) -> tuple[str, str]:
    chosen = []
    for select_id in ("compare-old", "compare-new"):
        select = schema.one("select", id=select_id)
        (option,) = [o for o in select.find_all("option") if "selected" in o.attrs]
        chosen.append(option.attrs["value"] or "")
    return chosen[0], chosen[1]


def test_rules_page_lists_every_rule_with_its_targets(site: Path) -> None:
    rules = page(site / "rules.html")
    shipments = rules.one("div", "rule", data_rule="InternationalShipmentRule")
    assert "CustomsQueue" in words(shipments.one("li", "target"))
    assert json.loads(shipments.one("pre", "pattern").text())["detail-type"] == ["Order Shipped"]
    refunds = rules.one("div", "rule", data_rule="RefundOnCancelRule")
    assert "RefundQueue" in words(refunds.one("li", "target"))
    assert refunds.find_all(cls="route", data_version="1")
    file_section = rules.one("section", "rule-file", data_file="infra/order-routing.yaml")
    assert {r.attrs["data-rule"] for r in file_section.find_all("div", "rule")} == {
        "InternationalShipmentRule",
        "RefundOnCancelRule",
    }


def test_a_rule_eventbridge_would_refuse_says_why_it_routes_nothing(tmp_path: Path) -> None:
    project = project_copy(tmp_path / "project")
    (project / "rules" / "order-big-spender.json").write_text(
        json.dumps(
            {"source": ["com.mycompany.orders"], "detail": {"total": [{"numeric": [">", "a"]}]}}
        )
    )
    assert build(project).returncode == 0  # the site is for showing; rules check fails on it
    rule = page(project / "site" / "rules.html").one("div", "rule", data_rule="order-big-spender")
    assert "would refuse this pattern" in words(rule.one("p", "problem"))
    assert "(at /detail/total/0/numeric)" in words(rule.one("p", "problem"))
    assert "match none" not in words(rule)  # not told as a pattern that targets no event


def test_consumers_page_lists_each_consumer_with_owner_events_and_fields(site: Path) -> None:
    consumers = page(site / "consumers.html")
    shipping = consumers.one("section", "consumer", data_consumer="shipping-service")
    assert words(shipping.one(cls="owner")) == "team-fulfilment"
    event = shipping.one("div", "consumer-event", data_schema=ORDER_CREATED)
    assert event.one("li", "read", data_field="shippingAddress.postalCode")


def test_the_search_index_finds_events_and_fields_and_links_to_their_anchors(site: Path) -> None:
    script = (site / "assets" / "search-index.js").read_text(encoding="utf-8")
    prefix = "window.EVENTCONTRACTS_SEARCH = "
    assert script.startswith(prefix) and script.endswith(";\n")
    data = json.loads(script[len(prefix) : -2])
    names = [event[0] for event in data["events"]]
    assert names == sorted(names) and ORDER_CREATED in names
    number = names.index(ORDER_CREATED)
    event_page = data["events"][number][4]
    assert (site / event_page).is_file()
    fields = {row[0]: row for row in data["fields"] if row[2] == number}
    # one row per field over both versions, linked to the latest version that has it
    assert fields["orderId"][3] == "v1-v2"
    assert fields["channel"][3] == "v2"
    anchor = fields["shippingAddress.country"][4]
    target = page(site / event_page).one(id=anchor)
    assert target.attrs["data-path"] == "shippingAddress.country"
    assert target.parent is not None
    assert len([row for row in data["fields"] if row[2] == number and row[0] == "orderId"]) == 1


# --- the same bytes on every build --------------------------------------------------------


def test_two_builds_and_any_number_of_workers_give_the_same_bytes(
    site: Path, tmp_path: Path
) -> None:
    project = project_copy(tmp_path / "again")
    assert build(project, "--jobs", "1").returncode == 0
    serial = files_of(project / "site")
    assert build(project, "--jobs", "2", "--out", "other").returncode == 0
    assert files_of(project / "other") == serial
    assert files_of(site) == serial  # the module's build, in another folder of another name


# --- hostile text ------------------------------------------------------------------------------

HOSTILE = (
    '<script>alert(1)</script>"onmouseover=alert(2) x="</script>]]><img src=x onerror=alert(3)>'
)


def hostile_project(folder: Path) -> Path:
    """The example project with hostile text everywhere a team (or a pull request) writes
    free text: the title, descriptions, enum values, a consumer's owner, a rule's name."""
    project = project_copy(folder)
    config = project / "eventcontracts.toml"
    config.write_text(
        config.read_text()
        .replace('title = "MyCompany events"', f"title = {json.dumps(HOSTILE)}")
        .replace(
            '"com.mycompany.payments" = "team-finance"',
            f'"com.mycompany.payments" = {json.dumps(HOSTILE)}',
        )
    )
    schema = project / "registry" / "com.mycompany.orders" / "OrderCreated" / "v2.json"
    document = json.loads(schema.read_text())
    detail = document["components"]["schemas"]["OrderCreated"]
    detail["title"] = HOSTILE
    detail["description"] = HOSTILE
    detail["properties"]["channel"]["description"] = HOSTILE
    detail["properties"]["channel"]["enum"] = ["web", HOSTILE]
    detail["properties"]["channel"]["pattern"] = HOSTILE
    schema.write_text(json.dumps(document, indent=2))
    consumer = schema.parent / "consumers" / "analytics.yaml"
    content = yaml.safe_load(consumer.read_text())
    content["owner"] = HOSTILE
    content["description"] = HOSTILE
    consumer.write_text(yaml.safe_dump(content))
    (project / "infra" / "hostile.yaml").write_text(
        yaml.safe_dump(
            {
                "Resources": {
                    HOSTILE: {
                        "Type": "AWS::Events::Rule",
                        "Properties": {
                            "EventPattern": {
                                "source": ["com.mycompany.orders"],
                                "detail-type": ["Order Created"],
                                "detail": {"channel": [HOSTILE]},
                            },
                            "Targets": [{"Id": HOSTILE, "Arn": HOSTILE}],
                        },
                    }
                }
            }
        )
    )
    return project


def test_hostile_text_is_shown_as_text_never_as_markup(tmp_path: Path) -> None:
    project = hostile_project(tmp_path / "project")
    result = build(project)
    assert result.returncode == 0, result.stdout + result.stderr
    site = project / "site"
    seen = 0
    for path in sorted(site.rglob("*.html")):
        document = page(path)
        root = "../" if path.parent.name == "schemas" else "./"
        for element in document.iter():
            assert element.tag not in {"img", "iframe", "object", "embed"}, (path, element.tag)
            assert not [name for name in element.attrs if name.lower().startswith("on")], path
            if element.tag == "script":
                assert element.attrs.get("src") in {root + name for name in OUR_SCRIPTS}
                assert not element.text().strip()
        raw = path.read_text(encoding="utf-8")
        assert "<script>alert" not in raw and "<img" not in raw
        seen += document.text().count("<script>alert(1)</script>")
    assert seen >= 6  # the title on every page, the description, the owners, the rule...
    schema = page(site / "schemas" / f"{slug(ORDER_CREATED, project)}.html")
    assert HOSTILE in schema.one("section", id="versions").text()
    assert HOSTILE in words(schema.one("div", "consumer", data_consumer="analytics"))
    rules = [r for r in schema.find_all("div", "rule") if HOSTILE in r.text()]
    assert rules
    script = (site / "assets" / "search-index.js").read_text(encoding="utf-8")
    assert "<" not in script and ">" not in script and "\u2028" not in script


# --- where the site may be written ------------------------------------------------------------


def test_a_folder_that_is_not_a_catalog_is_refused_and_left_intact(tmp_path: Path) -> None:
    project = project_copy(tmp_path / "project")
    (project / "src").mkdir()
    (project / "src" / "app.py").write_text("print('mine')\n")
    line = one_line_error(build(project, "--out", "src"))
    assert "src" in line and MARKER in line
    assert [p.name for p in (project / "src").iterdir()] == ["app.py"]
    assert (project / "src" / "app.py").read_text() == "print('mine')\n"
    assert not [p for p in project.iterdir() if ".tmp-" in p.name or ".old-" in p.name]

    (project / "notes.txt").write_text("mine\n")
    refused = build(project, "--out", "notes.txt")  # a usage error, told as click tells them
    assert refused.returncode == 2 and "is a file" in refused.stderr
    assert (project / "notes.txt").read_text() == "mine\n"


def test_an_out_folder_that_cannot_be_made_is_one_line_naming_it(tmp_path: Path) -> None:
    project = project_copy(tmp_path / "project")
    (project / "notes.txt").write_text("mine\n")
    line = one_line_error(build(project, "--out", "notes.txt/site"))
    assert "notes.txt/site: the catalog site cannot be written here" in line
    assert ".tmp-" not in line  # the staging folder beside it is not the user's to know
    assert (project / "notes.txt").read_text() == "mine\n"


def test_a_previous_catalog_is_replaced_whole(tmp_path: Path) -> None:
    project = project_copy(tmp_path / "project")
    (project / "site").mkdir()  # an empty folder is taken
    assert build(project).returncode == 0
    stale = project / "site" / "schemas" / "Removed.html"
    stale.write_text("old page")
    assert build(project).returncode == 0
    assert not stale.exists()
    assert (project / "site" / "index.html").is_file()
    assert sorted(p.name for p in project.iterdir() if p.name.startswith("site")) == ["site"]


def test_catalog_out_setting_is_the_default_folder(tmp_path: Path) -> None:
    project = project_copy(tmp_path / "project")
    config = project / "eventcontracts.toml"
    config.write_text(config.read_text().replace('out = "site"', 'out = "public/catalog"'))
    result = build(project)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("-> public/catalog/index.html")
    assert (project / "public" / "catalog" / "index.html").is_file()


# --- bad input: one line, exit 2 ---------------------------------------------------------------


def test_a_registry_file_that_does_not_load_is_one_line(tmp_path: Path) -> None:
    project = project_copy(tmp_path / "project")
    broken = project / "registry" / "com.mycompany.orders" / "OrderShipped" / "v2.json"
    broken.write_text('{"openapi": "3.0.0", ')
    line = one_line_error(build(project))
    assert "registry/com.mycompany.orders/OrderShipped/v2.json" in line
    assert not (project / "site").exists()


def test_an_unreadable_rule_file_is_one_line(tmp_path: Path) -> None:
    project = project_copy(tmp_path / "project")
    (project / "rules" / "broken.json").write_text('{"source": [')
    line = one_line_error(build(project))
    assert "rules/broken.json" in line
    assert not (project / "site").exists()


def test_a_wrong_catalog_setting_is_one_line(tmp_path: Path) -> None:
    project = project_copy(tmp_path / "project")
    config = project / "eventcontracts.toml"
    config.write_text(config.read_text().replace('out = "site"', 'ot = "site"'))
    line = one_line_error(build(project))
    assert "unknown key 'ot' in [catalog]; did you mean 'out'?" in line


def test_no_rules_configured_is_a_catalog_without_rules(tmp_path: Path, cli: CliRunner) -> None:
    project = tmp_path / "project"
    project.mkdir()
    shutil.copytree(EXAMPLE_REGISTRY, project / "registry")
    (project / "eventcontracts.toml").write_text('[registry]\npath = "registry"\n')
    result = cli(["catalog", "build"], project)
    assert result.code == 0, result.both
    assert ", 0 rules -> site/index.html" in result.out
    rules = page(project / "site" / "rules.html")
    assert not rules.find_all("div", "rule")
    assert "No bus rules" in words(rules)


# --- the real world ----------------------------------------------------------------------------


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is absent")
def test_the_real_world_corpus_builds_with_a_page_per_schema(tmp_path: Path) -> None:
    adopted = adopt(tmp_path / "adopter", generate=False)
    result = build(adopted.root)
    assert result.returncode == 0, result.stdout + result.stderr
    site = adopted.root / "site"
    names = [
        f"{source.name}@{schema.name}"
        for source in adopted.registry.iterdir()
        if source.is_dir()
        for schema in source.iterdir()
        if schema.is_dir() and any(schema.glob("v*.*"))
    ]
    assert len(names) >= 20
    for name, stem in page_slugs(names).items():
        schema = page(site / "schemas" / f"{stem}.html")
        assert words(schema.one("h1")) == name
        assert schema.one("section", id="versions").find_all("section", "version")
    print(f"\ncorpus catalog: {len(names)} schemas, {len(files_of(site))} files")


def test_a_large_catalog_is_drawn_by_source_and_still_lists_every_event(tmp_path: Path) -> None:
    """70 schemas (built on every core, the default above 50): the index's drawing shows the
    source with its counts, not 70 boxes; the table and the pages have every event."""
    project = write_project(tmp_path / "project", versions=140)
    result = build(project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("catalog: 70 schemas, 140 versions, 0 rules")
    index = page(project / "site" / "index.html")
    section = index.one("section", "source", data_source=SYNTHETIC_SOURCE)
    assert len(section.find_all("a", "event-link")) == 70
    drawing = index.one("svg", "flow")
    nodes = [g for g in drawing.find_all("g") if "node" in g.classes]
    assert len(nodes) == 2  # the producer, and "70 events"
    assert "70 events" in words(drawing)
    assert len(list((project / "site" / "schemas").glob("*.html"))) == 70
