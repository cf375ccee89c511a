"""Reading the registry as it was at a git ref: no checkout, the working tree untouched."""

from __future__ import annotations

import difflib
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from eventcontracts.errors import EventContractsError

# Regular files, executable or not. A symbolic link (120000) is never followed: its target
# may lie outside the repository. A submodule (160000) is another repository.
REGULAR_FILE_MODES = frozenset({"100644", "100755"})
_OBJECT_ID = re.compile(r"[0-9a-f]{40}|[0-9a-f]{64}")


class GitError(EventContractsError):
    """git cannot give what --against asks for; the message says what to run."""


@dataclass(frozen=True)
class TreeEntry:
    """One line of ``git ls-tree -r -z``: what is at ``path`` at a commit."""

    mode: str
    kind: str
    object_id: str
    path: str


def _tree_entries(listing: str) -> list[TreeEntry]:
    """The entries of NUL-separated ``ls-tree`` output: ``<mode> SP <type> SP <id> TAB
    <path> NUL``, the path taken verbatim (newlines and all)."""
    entries = []
    for record in listing.split("\0"):
        if not record:
            continue
        info, tab, path = record.partition("\t")
        fields = info.split(" ")
        if not tab or len(fields) != 3 or not _OBJECT_ID.fullmatch(fields[2]):
            raise GitError(f"git ls-tree printed {record[:80]!r}, which is no tree entry")
        entries.append(TreeEntry(fields[0], fields[1], fields[2], path))
    return entries


def _safe_path(path: str) -> bool:
    """A path that stays under the folder it is written to (git refuses others in its index,
    but a crafted tree object may still hold one)."""
    parts = path.split("/")
    return bool(path) and all(part not in ("", ".", "..", ".git") for part in parts)


class GitBase:
    """A commit of the repository that holds ``project_root``."""

    def __init__(self, project_root: Path, ref: str) -> None:
        self.ref = ref
        try:
            top = self._git(["rev-parse", "--show-toplevel"], cwd=project_root)
        except GitError:
            raise GitError(
                f"{project_root}: not inside a git repository; --against needs one "
                "(run 'eventcontracts check' without --against to check versions against each "
                "other)"
            ) from None
        self.toplevel = Path(top.strip())
        try:
            tip = self._git(["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"]).strip()
        except GitError:
            raise GitError(self._unknown_ref_message()) from None
        # What this branch changed is measured from where it left the ref (as `git diff
        # REF...HEAD` does): a branch that is behind is not blamed for what the ref gained.
        try:
            self.commit = self._git(["merge-base", tip, "HEAD"]).strip() or tip
        except GitError:
            if self._is_shallow():
                # The history between the tips was not fetched: the ref's tip is no base (what
                # the ref gained since would read as deleted by the branch, a false K102).
                raise GitError(
                    f"--against {ref}: this shallow clone lacks the commit where HEAD left "
                    f"{ref}; deepen the clone (git fetch --deepen=100 or --unshallow, or "
                    "fetch-depth: 0 in actions/checkout)"
                ) from None
            self.commit = tip  # no common history (or no HEAD yet): the ref itself

    def _is_shallow(self) -> bool:
        try:
            return self._git(["rev-parse", "--is-shallow-repository"]).strip() == "true"
        except GitError:
            return False

    def _fetch_hint(self) -> str | None:
        """``git fetch origin main`` for ``origin/main`` (a remote's branch), ``git fetch
        origin main`` for ``main`` when there is an origin; None when no fetch can bring it."""
        remotes = self._remotes()
        remote, _, branch = self.ref.partition("/")
        if branch and remote in remotes:
            return f"git fetch {remote} {branch}"
        if not branch and remotes:
            name = "origin" if "origin" in remotes else sorted(remotes)[0]
            return f"git fetch {name} {self.ref}' and --against '{name}/{self.ref}"
        return None

    def _remotes(self) -> set[str]:
        try:
            return set(self._git(["remote"]).split())
        except GitError:
            return set()

    def _close_refs(self) -> list[str]:
        try:
            names = self._git(["for-each-ref", "--format=%(refname:short)"]).split()
        except GitError:
            return []
        return difflib.get_close_matches(self.ref, names, n=3, cutoff=0.5) or sorted(names)[:3]

    def _unknown_ref_message(self) -> str:
        shallow = self._is_shallow()
        hint = self._fetch_hint()
        if shallow and hint:
            return (
                f"--against {self.ref}: not in this shallow clone; fetch it first "
                f"('{hint}', or fetch-depth: 0 in actions/checkout)"
            )
        if hint:
            return (
                f"--against {self.ref}: no such branch, tag or commit here; fetch it first "
                f"('{hint}') or name an existing ref"
            )
        remote, _, branch = self.ref.partition("/")
        no_remote = f" (and there is no remote {remote!r})" if branch else ""
        close = self._close_refs()
        refs = f"; refs here: {', '.join(close)}" if close else ""
        return (
            f"--against {self.ref}: no such branch, tag or commit in this repository"
            f"{no_remote}{refs}"
        )

    def prefix(self, folder: Path) -> str:
        """``folder`` relative to the repository's top, "" for the top itself."""
        relative = self.relative(folder)
        return "" if relative == "." else relative

    def relative(self, path: Path) -> str:
        """``path`` relative to the repository's top, as git names it."""
        try:
            return path.resolve().relative_to(self.toplevel.resolve()).as_posix()
        except ValueError:
            raise GitError(f"{path}: outside the git repository at {self.toplevel}") from None

    def changed_files(self, *pathspecs: str) -> list[str]:
        """Files under ``pathspecs`` that differ between the ref and the working tree,
        untracked ones included (paths relative to the top)."""
        diff = self._git(
            ["diff", "--name-only", "--no-renames", "-z", self.commit, "--", *pathspecs]
        )
        untracked = self._git(
            ["ls-files", "--others", "--exclude-standard", "-z", "--", *pathspecs]
        )
        return sorted({name for name in (diff + untracked).split("\0") if name})

    def entries(self, folder: str) -> list[str]:
        """What ``folder`` holds at the ref, one level deep."""
        listing = self._git(["ls-tree", "--name-only", "-z", self.commit, "--", f"{folder}/"])
        return [name for name in listing.split("\0") if name]

    def files(self, pathspecs: list[str]) -> list[TreeEntry]:
        """The files under ``pathspecs`` at the ref: regular files only. A symbolic link
        (mode 120000) is not followed, a submodule (160000) not entered."""
        if not pathspecs:
            return []
        listing = self._git(
            ["--literal-pathspecs", "ls-tree", "-r", "-z", self.commit, "--", *pathspecs]
        )
        return [entry for entry in _tree_entries(listing) if entry.mode in REGULAR_FILE_MODES]

    def write_paths(self, paths: list[str], destination: Path) -> None:
        """Write the ref's version of the files at ``paths`` (exact names; those that are no
        regular file at the ref are left out)."""
        wanted = set(paths)
        found = [entry for entry in self.files(sorted(wanted)) if entry.path in wanted]
        self.write(found, destination)

    def write(self, entries: list[TreeEntry], destination: Path) -> None:
        """Write the blobs of ``entries`` under ``destination`` (one git process).

        Blobs are asked for by object id, one id a line: an id is hex, so no file name can
        turn one request into two (as ``<commit>:<path>`` lines let a name holding a newline
        do, feeding every later file another's content)."""
        entries = [entry for entry in entries if _safe_path(entry.path)]
        if not entries:
            return
        request = "".join(f"{entry.object_id}\n" for entry in entries).encode("ascii")
        try:
            output = subprocess.run(
                ["git", "cat-file", "--batch"],
                cwd=self.toplevel,
                input=request,
                capture_output=True,
                check=True,
            ).stdout
        except (OSError, subprocess.CalledProcessError) as exc:
            raise GitError(f"git cat-file failed: {exc}") from None
        offset = 0
        for entry in entries:
            header_end = output.index(b"\n", offset)
            header = output[offset:header_end].split()
            offset = header_end + 1
            if len(header) != 3 or header[0] != entry.object_id.encode() or header[1] != b"blob":
                raise GitError(
                    f"git cat-file gave no blob {entry.object_id} for {entry.path!r} at "
                    f"{self.ref}; fetch the ref again (the clone lacks the object)"
                )
            size = int(header[2])
            target = destination.joinpath(*entry.path.split("/"))
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(output[offset : offset + size])
            offset += size + 1

    def _git(self, args: list[str], cwd: Path | None = None) -> str:
        try:
            result = subprocess.run(
                ["git", *args],
                cwd=cwd or self.toplevel,
                capture_output=True,
                text=True,
                check=False,
            )
        except OSError as exc:
            raise GitError(f"cannot run git: {exc}; install git or drop --against") from None
        if result.returncode != 0:
            raise GitError(result.stderr.strip() or f"git {args[0]} failed")
        return result.stdout
