"""The eventcontracts pytest plugin: a :class:`ContractSuite` in a test module becomes tests.

Registered through the ``pytest11`` entry point, so installing eventcontracts is enough. It does
nothing until a test module assigns a ``ContractSuite`` to a name; that name is then collected
as a tree of tests, one branch per schema and version of the registry::

    test_catalog.py::catalog::com.mycompany.orders@OrderCreated::v2::generated-events
    test_catalog.py::catalog::com.mycompany.orders@OrderCreated::v2::example[web-order...]
    test_catalog.py::catalog::com.mycompany.orders@OrderCreated::v2::producer[order_created]
    test_catalog.py::catalog::com.mycompany.orders@OrderCreated::v1::consumer[shipping]

A failing check prints one paragraph (who broke the contract, how, and the event), not a
traceback through eventcontracts.
"""

from __future__ import annotations

import sys

import pytest

from eventcontracts.contract._collect_options import MAX_EXAMPLES_OPTION, RANDOMIZE_OPTION


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("eventcontracts", "eventcontracts contract tests")
    group.addoption(
        MAX_EXAMPLES_OPTION,
        type=int,
        default=None,
        metavar="N",
        help="events each property check draws (default: the ContractSuite's max_examples)",
    )
    group.addoption(
        RANDOMIZE_OPTION,
        action="store_true",
        help="draw different events on every run (default: the same ones, so a pull request's "
        "result does not depend on luck; randomize in a scheduled job to explore further)",
    )


def pytest_pycollect_makeitem(
    collector: pytest.Module | pytest.Class, name: str, obj: object
) -> pytest.Collector | None:
    # Only a module that imported ContractSuite can hold one: until then, nothing to import.
    suite_module = sys.modules.get("eventcontracts.contract._suite")
    if suite_module is None or not isinstance(collector, pytest.Module):
        return None
    if not isinstance(obj, suite_module.ContractSuite):
        return None
    from eventcontracts.contract._collect import SuiteCollector

    return SuiteCollector.from_parent(collector, name=name, suite=obj)
