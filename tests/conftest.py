"""Shared test fixtures: golden-file snapshots (one reviewed file per rendering) and a CLI runner."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from syrupy.extensions.single_file import SingleFileSnapshotExtension, WriteMode
from typer.testing import CliRunner

from dlsolve.cli import app


class TextSnapshot(SingleFileSnapshotExtension):
    _write_mode = WriteMode.TEXT
    file_extension = "txt"


class MarkdownSnapshot(TextSnapshot):
    file_extension = "md"


class JsonSnapshot(TextSnapshot):
    file_extension = "json"


class HtmlSnapshot(TextSnapshot):
    file_extension = "html"


@pytest.fixture
def golden(snapshot):
    """``golden[fmt]`` is a snapshot stored as one readable file of that format."""
    return {"text": snapshot.use_extension(TextSnapshot), "markdown": snapshot.use_extension(MarkdownSnapshot),
            "json": snapshot.use_extension(JsonSnapshot), "html": snapshot.use_extension(HtmlSnapshot)}


@pytest.fixture
def cli():
    """``cli(*args)`` runs dlsolve in-process and returns the result (stdout, stderr, exit_code).
    Text is not wrapped here (COLUMNS is wide), so tests can find whole lines of wording;
    fitting to a width is tested in test_width.py and test_golden_width.py."""
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None):
        return runner.invoke(app, list(args), input=input, env={"COLUMNS": "100000"})

    return invoke


@pytest.fixture
def input_error():
    """``input_error(result, message)``: the bad-input contract — exit 2, one line on stderr
    that contains ``message``, no traceback, nothing on stdout."""

    def check(result, message: str) -> None:
        assert result.exit_code == 2, result.stdout
        assert message in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
        assert result.stdout == ""

    return check


_LIST_MODULES = """
import contextlib, io, json, sys
sys.argv = ["dlsolve", *json.loads(sys.argv[1])]
from dlsolve.cli import app  # main() would end the process before the modules are listed
with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):
    app()
print(json.dumps(sorted(sys.modules)))
"""


@pytest.fixture
def imported_modules():
    """``imported_modules(*args)``: the modules a fresh interpreter has imported after
    running ``dlsolve ARGS`` (``-X importtime`` misses modules loaded by importlib)."""

    def run(*args: str) -> list[str]:
        done = subprocess.run([sys.executable, "-c", _LIST_MODULES, json.dumps(args)], capture_output=True, text=True, check=True)
        return json.loads(done.stdout)

    return run


@pytest.fixture
def checked_file(tmp_path):
    """``checked_file(command, answers, inputs="", ecf_credit=1.0)``: an answers file made
    of those TOML lines, checked in written mode (the ``FileResult``)."""
    from dlsolve.checking.compare import Rule
    from dlsolve.checking.session import Checker

    def run(command: str, answers: str, inputs: str = "", ecf_credit: float = 1.0):
        text = f'command = "{command}"\n' + (f"[inputs]\n{inputs}\n" if inputs else "") + f"[answers]\n{answers}\n"
        path = tmp_path / "answers.toml"
        path.write_text(text, encoding="utf-8")
        return Checker(Rule(), ecf_credit).check_file(str(path))

    return run


@pytest.fixture
def checked_answers(checked_file):
    """``checked_answers(command, answers, inputs="", ecf_credit=1.0)``: the answers file of
    ``checked_file``, which must be checkable, and its judged answers by key."""

    def run(command: str, answers: str, inputs: str = "", ecf_credit: float = 1.0) -> dict:
        result = checked_file(command, answers, inputs, ecf_credit)
        assert result.error is None, result.error
        return {c.key: c for c in result.checked}

    return run
