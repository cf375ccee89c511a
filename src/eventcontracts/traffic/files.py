"""Which files a list of paths names, how each is shown, and opening one as text (gzip or not)."""

from __future__ import annotations

import gzip
import io
import os
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import IO

from eventcontracts.traffic.model import TrafficError

# What a folder is searched for. A file named on the command line is read whatever its name:
# Firehose writes objects without a suffix, and the user who names one means it.
SUFFIXES = (".json", ".jsonl", ".ndjson", ".gz")

_GZIP_MAGIC = b"\x1f\x8b"


def capture_files(paths: Sequence[Path]) -> Iterator[Path]:
    """Each file to read, in order: a file as given, a folder's files recursively, sorted.

    Symbolic links to folders are not followed inside a folder (a link cycle would never end);
    the order is by path so that two runs over the same folder report alike.
    """
    for path in paths:
        if path.is_dir():
            yield from _folder_files(path)
        elif path.exists():
            yield path
        else:
            raise TrafficError(f"{path}: no such file or folder; name captured event files")


def _folder_files(folder: Path) -> Iterator[Path]:
    found: list[tuple[tuple[str, ...], Path]] = []
    for directory, _, names in os.walk(folder):
        for name in names:
            if name.endswith(SUFFIXES):
                path = Path(directory, name)
                found.append((path.relative_to(folder).parts, path))
    for _, path in sorted(found):
        yield path


def display_name(path: Path, display_root: Path) -> str:
    """The path relative to ``display_root`` when it is inside it, else as given."""
    try:
        return path.resolve().relative_to(display_root.resolve()).as_posix()
    except (ValueError, OSError):
        return path.as_posix()


@contextmanager
def open_text(path: Path, shown: str) -> Iterator[IO[str]]:
    """The file as UTF-8 text, decompressed when it is gzip (by its magic bytes, not its name)."""
    with ExitStack() as stack:
        try:
            raw = stack.enter_context(path.open("rb"))
            # peek, not read and seek back: a pipe (``drift <(aws s3 cp s3://... -)``) cannot seek.
            compressed = raw.peek(2)[:2] == _GZIP_MAGIC
        except OSError as error:
            reason = error.strerror or str(error)
            raise TrafficError(f"{shown}: cannot be read ({reason}); check it") from None
        binary: IO[bytes] = raw
        if compressed:
            binary = stack.enter_context(gzip.GzipFile(fileobj=raw, mode="rb"))  # type: ignore[arg-type]
        # newline="" keeps "\r\n" as it is: JSON counts "\r" as whitespace, lines stay lines.
        yield io.TextIOWrapper(binary, encoding="utf-8", errors="strict", newline="")
