"""dlsolve.core.shallow_import: a module not loaded yet is imported from a fresh thread's
stack (CPython 3.11/3.12's frame chunks, see the module), and the caller sees exactly what
``importlib.import_module`` would give or raise."""

from __future__ import annotations

import importlib
import sys
import threading

import pytest

from dlsolve.core.shallow_import import import_module


def test_a_module_not_loaded_is_imported_in_another_thread_and_returned(tmp_path, monkeypatch):
    (tmp_path / "dlsolve_probe_fresh.py").write_text("import threading\nTHREAD = threading.current_thread().name\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    module = import_module("dlsolve_probe_fresh")
    try:
        assert module is sys.modules["dlsolve_probe_fresh"]
        assert module.THREAD == "import dlsolve_probe_fresh" != threading.current_thread().name
    finally:
        del sys.modules["dlsolve_probe_fresh"]


def test_a_loaded_module_is_returned_as_it_is():
    assert import_module("json") is importlib.import_module("json")


@pytest.mark.parametrize(("source", "error"), [
    ("raise ValueError('broken on purpose')", ValueError),
    ("import dlsolve_no_such_module_anywhere", ModuleNotFoundError),
    ("raise KeyboardInterrupt", KeyboardInterrupt),
])
def test_what_the_import_raises_is_raised_in_the_caller(tmp_path, monkeypatch, source, error):
    (tmp_path / "dlsolve_probe_broken.py").write_text(source + "\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(error):
        import_module("dlsolve_probe_broken")
    assert "dlsolve_probe_broken" not in sys.modules  # as after a failed import in this thread


def test_a_missing_module_raises_as_importlib_does():
    with pytest.raises(ModuleNotFoundError, match="dlsolve_absent"):
        import_module("dlsolve_absent")


def test_from_a_modules_top_level_it_imports_directly_instead_of_waiting_for_a_thread(tmp_path, monkeypatch):
    """The thread would wait for the import under way, which waits for the thread."""
    (tmp_path / "dlsolve_probe_inner.py").write_text("import dlsolve_probe_outer\nimport threading\nTHREAD = threading.current_thread().name\n", encoding="utf-8")
    (tmp_path / "dlsolve_probe_outer.py").write_text(
        "from dlsolve.core.shallow_import import import_module\nINNER = import_module('dlsolve_probe_inner')\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    try:
        outer = importlib.import_module("dlsolve_probe_outer")
        assert outer.INNER.THREAD == threading.current_thread().name
    finally:
        sys.modules.pop("dlsolve_probe_outer", None)
        sys.modules.pop("dlsolve_probe_inner", None)
