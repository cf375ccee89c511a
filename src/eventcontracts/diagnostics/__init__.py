"""The output formats every checking command shares (``lint``, ``check``, ``rules check``,
``compat``): one writer per format over one :class:`Report` of
:class:`~eventcontracts.findings.Finding` s.

A command turns its result into a ``Report`` and calls :func:`render`. ``text`` and ``json``
are the command's own where it has a layout of its own (``check`` groups by schema,
``compat`` lists changes; their json shapes are documented); the rest is the same for all.
This package sits with ``findings`` and ``rules`` at the bottom of the tool: it imports no
engine, and a command passes the rules it reports in.
"""

from __future__ import annotations

import importlib
from pathlib import Path

import click

from eventcontracts.diagnostics.host import host_prefix
from eventcontracts.diagnostics.model import Case, Report, cases_by_file

# One module of this package per format, each with ``render(report) -> str``; imported when
# asked for, so that a command starts without the writers it does not use (junit's XML).
FORMATS = ("text", "json", "github", "junit", "markdown", "sarif")
# The formats a code host reads: they name files from the git root, as the host does.
HOST_FORMATS = frozenset({"github", "junit", "sarif"})


def render(report: Report, output_format: str) -> str:
    """The report in ``output_format`` (one of :data:`FORMATS`), ending in a newline."""
    if output_format not in FORMATS:
        raise ValueError(f"no output format {output_format!r}; one of {', '.join(FORMATS)}")
    writer = importlib.import_module(f"{__name__}.{output_format}")
    rendered: str = writer.render(report)
    return rendered


def write(report: Report, output_format: str) -> None:
    """Print the report in ``output_format`` on standard output."""
    click.echo(render(report, output_format), nl=False)


def files_prefix(output_format: str, project_root: Path) -> str:
    """How ``output_format`` names the files of the project at ``project_root``: from the
    git root for the formats a code host reads (the folder from there), else as they are."""
    return host_prefix(project_root) if output_format in HOST_FORMATS else ""


__all__ = [
    "FORMATS",
    "HOST_FORMATS",
    "Case",
    "Report",
    "cases_by_file",
    "files_prefix",
    "render",
    "write",
]
