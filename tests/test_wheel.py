"""The wheel carries everything a user needs: built from a copy of the checkout, installed
into a fresh virtual environment and run from an empty folder, it lists, solves and copies
the worked examples and checks a shipped answers file.

Offline and quick (about 15 s on an idle machine, 30 s on a busy one): the wheel is built without build isolation, installed with
``pip --no-index``, and the new environment borrows the running interpreter's site-packages
(NumPy, SciPy, Typer, Rich) through a ``.pth`` file — which adds those folders to
``sys.path`` without running their own ``.pth`` files, so an editable install of this
checkout stays out of sight. Skipped when setuptools cannot build a wheel here.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import site
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ("pyproject.toml", "README.md", "dlsolve", "worked_examples")


def _can_build_wheels() -> bool:
    """setuptools ≥ 70.1 (its own bdist_wheel), or an older one with the wheel package."""
    return importlib.util.find_spec("setuptools") is not None and (
        importlib.util.find_spec("setuptools.command.bdist_wheel") is not None or importlib.util.find_spec("wheel") is not None)


pytestmark = pytest.mark.skipif(not _can_build_wheels(), reason="setuptools cannot build a wheel here (pip install '.[test]')")


def _run(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "PYTHONSAFEPATH")}
    return subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A fresh venv with the wheel installed; returns its bin folder."""
    base = tmp_path_factory.mktemp("wheel")
    source = base / "src"  # a copy: building writes build/ and *.egg-info next to the sources
    source.mkdir()
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(ROOT / name, source / name)
    built = _run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-q", "-w", base / "dist", source)
    assert built.returncode == 0, built.stderr
    venv = base / "venv"
    made = _run(sys.executable, "-m", "venv", "--without-pip", venv)
    assert made.returncode == 0, made.stderr
    python = venv / "bin" / "python"
    (wheel,) = (base / "dist").glob("dlsolve-*.whl")
    done = _run(sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "--no-index", "-q", wheel)
    assert done.returncode == 0, done.stderr
    # only now borrow the dependencies: pip must not see this checkout's own dlsolve as installed
    purelib = Path(_run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])").stdout.strip())
    (purelib / "borrowed-dependencies.pth").write_text("\n".join(site.getsitepackages()) + "\n", encoding="utf-8")
    (base / "work").mkdir()
    return venv / "bin"


@pytest.fixture(scope="module")
def wheel_files(installed) -> set[str]:
    (wheel,) = (installed.parent.parent / "dist").glob("dlsolve-*.whl")
    return set(zipfile.ZipFile(wheel).namelist())


def dlsolve(installed: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The installed console script, run from an empty folder."""
    return _run(installed / "dlsolve", *args, cwd=installed.parent.parent / "work")


def test_the_installed_copy_is_the_wheels(installed):
    where = _run(installed / "python", "-c", "import dlsolve, numpy; print(dlsolve.__file__)", cwd=installed.parent.parent / "work")
    assert where.returncode == 0, where.stderr
    assert Path(where.stdout.strip()).is_relative_to(installed.parent)


def test_the_wheel_holds_every_module_and_worked_example_and_nothing_else(wheel_files):
    modules = {p.relative_to(ROOT).as_posix() for p in (ROOT / "dlsolve").rglob("*.py")}
    examples = {f"dlsolve/worked_examples/{p.name}" for p in (ROOT / "worked_examples").iterdir()
                if p.suffix in (".toml", ".json", ".md") or p.name == "__init__.py"}
    packaged = {name for name in wheel_files if ".dist-info/" not in name}
    assert packaged == modules | examples | {"dlsolve/py.typed"}


def test_examples_lists_the_shipped_examples(installed):
    result = dlsolve(installed, "examples", "-f", "json")
    assert result.returncode == 0, result.stderr
    listed = {e["name"] for e in json.loads(result.stdout)}
    assert {"ttest-notes-b", "backprop-notes", "som-train-notes"} <= listed
    assert all(Path(e["file"]).is_relative_to(installed.parent) for e in json.loads(result.stdout))


def test_solve_an_example_by_name(installed):
    result = dlsolve(installed, "solve", "ttest-notes-b", "-f", "json")
    assert result.returncode == 0, result.stderr
    answers = json.loads(result.stdout)["answers"]
    # the notes' problem B by hand: x̄ = (22 + 24 + 26 + 32 + 28 + 20 + 23 + 34 + 30 + 43)/10 = 282/10 = 28.2,
    # "more than 28" is one-tailed (greater), and 28.2 is far too close to 28 to reject H₀
    assert answers["mean"] == pytest.approx(28.2) and answers["alternative"] == "greater" and answers["reject"] is False


def test_copy_and_check_a_shipped_answers_file(installed):
    copied = dlsolve(installed, "examples", "som-train", "--copy", "mine")
    assert copied.returncode == 0, copied.stderr
    checked = dlsolve(installed, "check", "mine/som-train-notes-answers.toml")
    # the course notes' own SOM answers: iteration 2 is wrong in the notes (the update's sign)
    assert checked.returncode == 1 and "the update's sign flipped" in checked.stdout, checked.stderr
