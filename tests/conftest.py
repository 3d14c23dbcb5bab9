"""Shared test fixtures: golden-file snapshots (one reviewed file per rendering) and a CLI runner."""

from __future__ import annotations

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


@pytest.fixture
def golden(snapshot):
    """``golden[fmt]`` is a snapshot stored as one readable file of that format."""
    return {"text": snapshot.use_extension(TextSnapshot), "markdown": snapshot.use_extension(MarkdownSnapshot),
            "json": snapshot.use_extension(JsonSnapshot)}


@pytest.fixture
def cli():
    """``cli(*args)`` runs dlsolve in-process and returns the result (stdout, stderr, exit_code)."""
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None):
        return runner.invoke(app, list(args), input=input)

    return invoke
