"""--output is all or nothing: an error or an interrupt mid-write leaves no file behind."""

import os

import pytest

from dlsolve.core import output
from dlsolve.core.inputs import InputError


@pytest.mark.parametrize("interruption", [KeyboardInterrupt, OSError(28, "No space left on device")])
def test_an_interrupted_write_leaves_nothing(tmp_path, monkeypatch, interruption):
    def fail(fd):
        raise interruption

    monkeypatch.setattr(os, "fsync", fail)
    with pytest.raises((KeyboardInterrupt, InputError)):
        output.write_atomic(str(tmp_path / "sol.md"), "x" * 100_000, force=False)
    assert os.listdir(tmp_path) == []


def test_an_interrupted_overwrite_keeps_the_old_file(tmp_path, monkeypatch):
    target = tmp_path / "sol.md"
    target.write_text("old", encoding="utf-8")
    monkeypatch.setattr(os, "replace", lambda *a: (_ for _ in ()).throw(KeyboardInterrupt))
    with pytest.raises(KeyboardInterrupt):
        output.write_atomic(str(target), "new", force=True)
    assert os.listdir(tmp_path) == ["sol.md"] and target.read_text(encoding="utf-8") == "old"


def test_a_file_that_appears_meanwhile_is_not_overwritten(tmp_path, monkeypatch):
    target = tmp_path / "sol.md"
    monkeypatch.setattr(output, "check_destination", lambda path, force: None)  # the race: checked, then created
    target.write_text("someone else's", encoding="utf-8")
    with pytest.raises(InputError, match="exists; add --force"):
        output.write_atomic(str(target), "ours", force=False)
    assert target.read_text(encoding="utf-8") == "someone else's" and os.listdir(tmp_path) == ["sol.md"]
