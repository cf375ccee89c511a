"""The README's "Adopt it in your repository", followed command by command in a new repository.

The steps are read from the README itself, so the documentation and this test cannot drift
apart: every ```console block of the section is run (``$ `` lines are commands, the lines after
a command are output it must print), and every block whose info string says ``file=PATH`` is
written to that path, in the order the section shows them. The repository is an empty git
repository called ``shop`` under ``tmp_path``, outside this checkout, and the virtualenv is the
one the README's commands create in it.

What differs from a newcomer's machine, and nothing else:

- the tool is not on an index: the wheels of this checkout (``pip wheel --no-deps ./runtime .``)
  are in a wheelhouse, and every ``pip install`` gets ``--find-links`` to it (dependencies come
  from the machine's index and pip's cache as usual);
- the moto server is the project's fixture (tests/moto_server.py), not one the README's
  ``moto_server`` starts, and the README's address of it is replaced by the fixture's;
- the shell: each command runs in its own ``bash -c``; ``. .venv/bin/activate`` and ``export``
  are applied to the environment the next commands get.

The GitHub Actions workflow the section shows is then run as CI would run it: in a full clone
(``fetch-depth: 0``), its ``run`` steps on a pull request that adds a compatible version (all
pass) and on one that adds a breaking version (``check`` fails with annotations).

It installs the tool with its dependencies into a fresh virtualenv, which takes most of its
time: 40-65 s in all on 2 shared cores with pip's cache warm (the install about 20 s of it),
hence the ``slow`` mark; it runs in ``make test``, and ``-m "not slow"`` leaves it out.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import REPO_ROOT
from moto_server import Aws
from service_env import IGNORED

pytest_plugins = ["moto_server"]

SECTION = "## Adopt it in your repository"
REPOSITORY_NAME = "shop"  # the README's examples are from a repository of this name
FENCE = re.compile(r"^```(?P<info>.*)$")

# README lines the project's moto server fixture stands in for, and the README's address of it.
STARTS_MOTO = ('pip install "moto[server]"', "moto_server -p 5000 &")
README_MOTO_ENDPOINT = "http://127.0.0.1:5000"

# What a newcomer must be shown, whatever else the section says.
REQUIRED_COMMANDS = (
    'pip install "eventcontracts[codegen]"',
    "eventcontracts init",
    "eventcontracts import",
    "eventcontracts lint",
    "eventcontracts generate",
    "pip install ./generated",
    "MYPYPATH=generated mypy --strict services",
    "python try_locally.py",
)

# The credentials and endpoint the README's `export` gives; the test's own environment (which
# the fixture points at the server) must not supply them instead.
AWS_VARIABLES = (
    "AWS_ENDPOINT_URL",
    "AWS_DEFAULT_REGION",
    "AWS_REGION",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_PROFILE",
)


@dataclass(frozen=True)
class Command:
    """A ``$`` line of a console block and the output lines the README shows under it."""

    line: str
    shown: tuple[str, ...]


@dataclass(frozen=True)
class File:
    """A block whose info string names the file it is (``python file=services/orders.py``)."""

    path: str
    text: str


Step = Command | File


def adoption_section(readme: str) -> str:
    start = readme.index(f"\n{SECTION}\n")
    end = readme.index("\n## ", start + 1)
    return readme[start:end]


def _console_commands(lines: list[str]) -> list[Command]:
    commands: list[Command] = []
    for line in lines:
        if line.startswith("$ "):
            commands.append(Command(line[2:], ()))
        else:
            assert commands, f"a console block must start with a `$ ` command: {line!r}"
            commands[-1] = Command(commands[-1].line, (*commands[-1].shown, line))
    return commands


def _file(info: str, lines: list[str]) -> File:
    attributes = dict(word.split("=", 1) for word in info.split()[1:] if "=" in word)
    path = attributes.get("file")
    assert path, f"a block of the adoption section is neither console nor file=: {info!r}"
    assert not Path(path).is_absolute() and ".." not in Path(path).parts, path
    return File(path, "\n".join(lines) + "\n")


def adoption_steps(readme: str) -> list[Step]:
    """The section's commands and files, in the order it shows them."""
    steps: list[Step] = []
    info: str | None = None
    body: list[str] = []
    for line in adoption_section(readme).splitlines():
        fence = FENCE.match(line)
        if info is None:
            if fence:
                info, body = fence["info"].strip(), []
        elif fence and not fence["info"]:
            if info == "console":
                steps.extend(_console_commands(body))
            else:
                steps.append(_file(info, body))
            info = None
        else:
            body.append(line)
    assert info is None, "the adoption section ends inside a fenced block"
    return steps


def test_the_section_shows_every_step_of_adoption() -> None:
    """The parser finds what the test relies on (and a README edit cannot drop a step)."""
    steps = adoption_steps((REPO_ROOT / "README.md").read_text(encoding="utf-8"))
    commands = [step.line for step in steps if isinstance(step, Command)]
    for required in REQUIRED_COMMANDS:
        assert [line for line in commands if line.startswith(required)], required
    for line in STARTS_MOTO:
        assert line in commands
    files = {step.path for step in steps if isinstance(step, File)}
    assert {".github/workflows/event-schemas.yml", "services/orders.py"} <= files


@dataclass
class Shell:
    """Runs the README's commands in ``cwd`` as a terminal would, one ``bash -c`` each."""

    cwd: Path
    env: dict[str, str] = field(repr=False)
    wheelhouse: Path
    moto_endpoint: str

    def offline(self, line: str) -> str:
        """``line`` with this checkout's wheelhouse for the tool's ``pip install``s."""
        find_links = f"--find-links {shlex.quote(str(self.wheelhouse))}"
        return re.sub(r"\bpip install ", f"pip install {find_links} ", line)

    def run(self, line: str, *, cwd: Path | None = None, expect: int = 0) -> str:
        """Run one command; returns its output (stdout and stderr, as a terminal shows them)."""
        words = shlex.split(line, comments=True)
        assert words and words[0] != "cd", f"commands run in the repository's folder: {line!r}"
        if words[0] in (".", "source"):
            # Activating the virtualenv: what bin/activate does to the environment.
            venv = ((cwd or self.cwd) / words[1]).parents[1]
            self.env["VIRTUAL_ENV"] = str(venv)
            self.env["PATH"] = f"{venv / 'bin'}{os.pathsep}{self.env['PATH']}"
            return ""
        if words[0] == "export":
            for assignment in words[1:]:
                name, _, value = assignment.partition("=")
                self.env[name] = value.replace(README_MOTO_ENDPOINT, self.moto_endpoint)
            return ""
        command = self.offline(line)
        done = subprocess.run(
            ["bash", "-c", command],
            cwd=cwd or self.cwd,
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            timeout=600,
            check=False,
        )
        assert done.returncode == expect, f"`{line}` exited {done.returncode}:\n{done.stdout}"
        return done.stdout


def build_wheelhouse(work: Path) -> Path:
    """The tool's and the runtime's wheels, built from a copy of this checkout (no build/ or
    egg-info lands in it) with this environment's setuptools, offline."""
    tree, wheelhouse = work / "checkout", work / "wheelhouse"
    tree.mkdir(parents=True)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(REPO_ROOT / name, tree / name)
    for folder in ("src", "runtime"):
        shutil.copytree(REPO_ROOT / folder, tree / folder, ignore=IGNORED)
    subprocess.run(
        [
            *(sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-index"),
            *("--no-build-isolation", "--wheel-dir", str(wheelhouse), "./runtime", "."),
        ],
        cwd=tree,
        check=True,
        capture_output=True,
        timeout=300,
    )
    assert sorted(path.name.split("-")[0] for path in wheelhouse.glob("*.whl")) == [
        "eventcontracts",
        "eventcontracts_runtime",
    ]
    return wheelhouse


def fresh_environment(tmp_path: Path) -> dict[str, str]:
    """The test's environment without its virtualenv, AWS settings or git configuration."""
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in AWS_VARIABLES and name not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME")
    }
    repo_bin = str(REPO_ROOT / ".venv" / "bin")
    env["PATH"] = os.pathsep.join(
        entry for entry in env.get("PATH", "").split(os.pathsep) if entry != repo_bin
    )
    (tmp_path / "gitconfig").write_text("")
    env.update(
        GIT_CONFIG_GLOBAL=str(tmp_path / "gitconfig"),
        GIT_CONFIG_NOSYSTEM="1",
        GIT_AUTHOR_NAME="Dev",
        GIT_AUTHOR_EMAIL="dev@example.com",
        GIT_COMMITTER_NAME="Dev",
        GIT_COMMITTER_EMAIL="dev@example.com",
        PIP_DISABLE_PIP_VERSION_CHECK="1",
        # No config or credential files of the machine's user: nothing can reach real AWS.
        AWS_CONFIG_FILE=str(tmp_path / "no-aws-config"),
        AWS_SHARED_CREDENTIALS_FILE=str(tmp_path / "no-aws-credentials"),
    )
    return env


def follow_the_readme(shell: Shell, steps: list[Step]) -> dict[str, str]:
    """Write each file and run each command of ``steps``; the output of each command run."""
    outputs: dict[str, str] = {}
    for step in steps:
        if isinstance(step, File):
            path = shell.cwd / step.path
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(step.text, encoding="utf-8")
            continue
        if step.line in STARTS_MOTO:
            continue  # the moto_server fixture runs the server
        output = shell.run(step.line)
        printed = {line.strip() for line in output.splitlines()}
        for shown in step.shown:
            assert shown.strip() in printed, (
                f"the README shows `{shown}` after `{step.line}`; it printed:\n{output}"
            )
        outputs[step.line] = output
    return outputs


# The detail of a second version of Order Placed in each pull request: one a FULL registry
# takes (an optional field), one it refuses (a new currency, which v1's readers reject).
COMPATIBLE_V2 = """{
  "title": "OrderPlaced", "type": "object",
  "required": ["orderId", "customerId", "total", "currency"],
  "properties": {
    "orderId": {"type": "string", "pattern": "^ORD-[0-9]+$"},
    "customerId": {"type": "string"},
    "total": {"type": "number", "minimum": 0},
    "currency": {"type": "string", "enum": ["EUR", "USD"]},
    "couponCode": {"type": "string"}
  }
}
"""
BREAKING_V2 = COMPATIBLE_V2.replace('["EUR", "USD"]', '["EUR", "USD", "GBP"]')


@dataclass(frozen=True)
class StepRun:
    """One ``run`` step of the workflow, as CI ran it."""

    run: str
    code: int
    output: str


def workflow_job(workflow: dict[str, Any]) -> dict[str, Any]:
    (job,) = workflow["jobs"].values()
    return job  # type: ignore[no-any-return]


def run_workflow(shell: Shell, workflow: dict[str, Any], clone: Path) -> list[StepRun]:
    """The job's ``run`` steps in ``clone`` (checked out as CI checks the pull request out),
    until one fails (the last one then)."""
    ran: list[StepRun] = []
    for step in workflow_job(workflow)["steps"]:
        if "uses" in step:
            action = step["uses"].partition("@")[0]
            assert action in ("actions/checkout", "actions/setup-python"), action
            if action == "actions/checkout":
                # The clone is a full one: what fetch-depth 0 checks out.
                assert step["with"]["fetch-depth"] == 0
            continue
        command = step["run"].replace("${{ github.base_ref }}", "main")
        done = subprocess.run(
            ["bash", "-c", shell.offline(command)],
            cwd=clone,
            env=shell.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            timeout=600,
            check=False,
        )
        ran.append(StepRun(step["run"], done.returncode, done.stdout))
        if done.returncode != 0:
            break
    return ran


def pull_request(shell: Shell, clone: Path, branch: str, detail: str) -> None:
    """Open ``branch`` from main in ``clone`` with version 2 of Order Placed, its package
    regenerated, as a developer would push it."""
    (clone / "v2.json").write_text(detail, encoding="utf-8")
    for line in (
        "git checkout -q main",
        f"git checkout -qb {branch}",
        "eventcontracts import v2.json --source com.example.shop --detail-type 'Order Placed'",
        "rm v2.json",
        "eventcontracts generate",
        "git add -A",
        "git commit -qm 'Order Placed v2'",
    ):
        shell.run(line, cwd=clone)


@pytest.mark.slow
def test_a_new_repository_adopts_the_tool_as_the_readme_says(tmp_path: Path, aws: Aws) -> None:
    steps = adoption_steps((REPO_ROOT / "README.md").read_text(encoding="utf-8"))
    repo = tmp_path / REPOSITORY_NAME
    repo.mkdir()
    shell = Shell(repo, fresh_environment(tmp_path), build_wheelhouse(tmp_path), aws.endpoint)
    shell.run("git init -q -b main")  # the reader's repository, which exists already

    outputs = follow_the_readme(shell, steps)

    # The service is typed against the generated package and passes mypy --strict ...
    (mypy,) = [out for line, out in outputs.items() if "mypy --strict" in line]
    assert "Success: no issues found" in mypy
    # ... and its producer's event went through the bus, the rule and the queue to its
    # consumer, which read it as the typed envelope: nothing dead-lettered.
    (run,) = [out for line, out in outputs.items() if line.startswith("python try_locally.py")]
    assert "published: True" in run.splitlines()
    assert "shipped: ['ORD-1001'] rejected: []" in run.splitlines()
    # The tool's wheels are what was installed, the generated package with the runtime.
    installed = shell.run("pip list --format freeze")
    for distribution in ("eventcontracts==0.1.0", "eventcontracts-runtime==0.1.0", "shop-events"):
        assert distribution in installed
    # What the steps left in the repository is committed or ignored (the virtualenv, the
    # package's build folders, caches), but for the service files written after the commit.
    status = shell.run("git status --porcelain --untracked-files=all").splitlines()
    written = {step.path for step in steps if isinstance(step, File)} | {"services/__init__.py"}
    assert {line[3:] for line in status if line.startswith("?? ")} <= written, status
    assert [line for line in status if not line.startswith("?? ")] == [], status

    # CI, as the README's workflow has it, in a full clone of the repository.
    (workflow_file,) = [
        step for step in steps if isinstance(step, File) and step.path.endswith(".yml")
    ]
    workflow = yaml.safe_load(workflow_file.text)
    clone = tmp_path / "ci"
    shell.run(f"git clone -q {shlex.quote(str(repo))} {shlex.quote(str(clone))}")

    pull_request(shell, clone, "optional-coupon", COMPATIBLE_V2)
    passed = run_workflow(shell, workflow, clone)
    run_steps = [step["run"] for step in workflow_job(workflow)["steps"] if "run" in step]
    assert [(step.run, step.code) for step in passed] == [(run, 0) for run in run_steps], passed

    pull_request(shell, clone, "pounds", BREAKING_V2)
    *_, check = run_workflow(shell, workflow, clone)
    assert check.run.startswith("eventcontracts check --against"), check
    assert check.code == 1, check.output
    annotations = [line for line in check.output.splitlines() if line.startswith("::error ")]
    assert annotations, check.output
    for annotation in annotations:
        assert "file=registry/com.example.shop/OrderPlaced/v2.json" in annotation

    # Why the README type-checks with MYPYPATH: mypy cannot see an editable install.
    shell.run("pip install -e ./generated")
    hidden = shell.run("mypy --strict services", expect=1)
    missing = 'Cannot find implementation or library stub for module named "shop_events.'
    assert missing in hidden
    assert "Success" in shell.run("MYPYPATH=generated mypy --strict services")
