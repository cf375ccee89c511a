"""Any EventBridge source as one registry folder: the encoding, and lint reading it back."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import CliRunner, write_schema
from eventcontracts.registry import load_registry
from eventcontracts.registry.sourcefolder import (
    NotASourceFolder,
    folder_of_source,
    source_of_folder,
)


@pytest.mark.parametrize(
    ("source", "folder"),
    [
        ("com.mycompany.orders", "com.mycompany.orders"),
        ("aws.partner/zendesk.com/123/default", "aws.partner%2Fzendesk.com%2F123%2Fdefault"),
        (
            "aws.partner/sailpoint.com/af6744db-3877-43a8-a793-2659a7dce7ef/idn/saved-search",
            "aws.partner%2Fsailpoint.com%2Faf6744db-3877-43a8-a793-2659a7dce7ef%2Fidn%2Fsaved-search",
        ),
        ("100%", "100%25"),
        ("_internal", "%5Finternal"),  # not a shared folder
        (".hidden", "%2Ehidden"),  # not a hidden folder
        ("{{resolve:ssm:/ns}}", "%7B%7Bresolve%3Assm%3A%2Fns%7D%7D"),
        ("café", "caf%C3%A9"),
    ],
)
def test_folder_names_are_the_documented_encoding(source: str, folder: str) -> None:
    assert folder_of_source(source) == folder
    assert source_of_folder(folder) == source


# Lone surrogates (category Cs) are not text a file or an event can hold.
@given(st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=256))
def test_every_source_round_trips_to_a_portable_folder_name(source: str) -> None:
    folder = folder_of_source(source)
    assert "/" not in folder and folder not in (".", "..")
    assert not folder.startswith(("_", ".", "~"))
    assert set(folder) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-~%")
    assert source_of_folder(folder) == source


@pytest.mark.parametrize(
    ("folder", "says"),
    [
        ("com%2Emycompany", "rename the folder to 'com.mycompany'"),
        ("aws.partner%2fzendesk.com", "upper-case hex"),
        ("100%", "upper-case hex"),
        ("has space", "rename the folder to 'has%20space'"),
        ("%FF", "not UTF-8"),
    ],
)
def test_a_folder_no_source_encodes_to_is_refused_with_the_name_to_use(
    folder: str, says: str
) -> None:
    with pytest.raises(NotASourceFolder, match=says):
        source_of_folder(folder)


def partner_schema(source: str) -> dict[str, object]:
    return {
        "$schema": "http://json-schema.org/draft-04/schema#",
        "x-amazon-events-source": source,
        "x-amazon-events-detail-type": "Ticket Created",
        "type": "object",
        "properties": {"detail": {"$ref": "#/definitions/TicketCreated"}},
        "definitions": {"TicketCreated": {"type": "object"}},
    }


def test_the_loader_gives_the_decoded_source_and_schema_name(tmp_path: Path) -> None:
    source = "aws.partner/zendesk.com/123/default"
    write_schema(
        tmp_path / "registry" / folder_of_source(source) / "TicketCreated" / "v1.json",
        partner_schema(source),
    )
    registry = load_registry(tmp_path / "registry")
    assert registry.problems == []
    (schema,) = registry.schemas.values()
    assert schema.name == f"{source}@TicketCreated"
    assert schema.source == schema.latest.source == source


def test_lint_accepts_a_partner_source_in_its_folder_and_names_the_folder_otherwise(
    tmp_path: Path, cli: CliRunner
) -> None:
    source = "aws.partner/zendesk.com/123/default"
    (tmp_path / "eventcontracts.toml").write_text("[registry]\n")
    good = tmp_path / "registry" / folder_of_source(source) / "TicketCreated" / "v1.json"
    write_schema(good, partner_schema(source))
    assert cli(["lint"], tmp_path).code == 0

    # Filed under the readable-looking but wrong folder: L203 says which folder to use.
    misplaced = tmp_path / "registry" / "aws.partner" / "TicketCreated" / "v1.json"
    write_schema(misplaced, partner_schema(source))
    result = cli(["lint"], tmp_path)
    assert result.code == 1
    (finding,) = [line for line in result.out.splitlines() if " L203 " in line]
    assert "move it to registry/aws.partner%2Fzendesk.com%2F123%2Fdefault/" in finding
