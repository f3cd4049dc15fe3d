"""The README's two commands are the project's contract with a new user and with CI."""
from __future__ import annotations

import re

from tests.conftest import REPO


def readme_commands() -> list[str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```sh\n(.+?)\n```", text, re.S)


def test_readme_opens_with_exactly_two_commands_run_app_and_run_tests():
    commands = readme_commands()
    assert len(commands[:2]) == 2
    run_app, run_tests = commands[0], commands[1]
    assert run_app.startswith("python3 -m venv .venv") and run_app.endswith(".venv/bin/searchapp")
    assert "pytest" in run_tests and "pip install" in run_tests
    # Nothing but the screenshot and prose between the title and the two commands.
    head = (REPO / "README.md").read_text(encoding="utf-8").split("```sh")[0]
    assert head.count("`") == 0 or "```" not in head


def test_ci_runs_the_readme_test_command():
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert readme_commands()[1] in ci
    assert "set -euo pipefail" in ci  # a failing pytest (or exit code 5: no tests) fails CI


def test_ci_stops_on_a_lint_or_type_error():
    """`set -e` ignores a failure inside `a && b && c` unless it is the last command: only
    the README's own command line (which ends with pytest) may chain commands."""
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    chained = [line.strip() for line in ci.splitlines()
               if "&&" in line and not line.lstrip().startswith(("#", "if "))]  # a condition may chain
    assert chained == [readme_commands()[1]]
    assert ".venv/bin/ruff check ." in ci.splitlines() and ".venv/bin/mypy" in ci.splitlines()
