"""The layout the code is read by (issue 15): one folder per topic, found through one registry."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import dlsolve
from dlsolve import topics
from dlsolve.topics import TOPICS

PACKAGE = Path(dlsolve.__file__).parent


def test_the_registry_lists_every_topic_folder_and_only_them():
    folders = sorted(p.name for p in (PACKAGE / "topics").iterdir() if p.is_dir() and p.name != "__pycache__")
    assert folders == sorted(topic.replace("-", "_") for topic in TOPICS)


def test_every_topic_has_its_solver_slips_and_generator():
    for topic in TOPICS:
        assert topics.load(topic).FIELDS and callable(topics.load(topic).solve)
        assert callable(topics.slips(topic).analyse)
        assert topics.practice(topic).TITLE and callable(topics.practice(topic).generate)


def _imported(path: Path) -> set[str]:
    """Every module ``path`` imports, at its top or inside a function (``from a import b``
    counts as ``a`` and ``a.b``: b may be a module)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found |= {node.module} | {f"{node.module}.{alias.name}" for alias in node.names}
    return found


def _modules_under(*folders: str) -> list[Path]:
    return sorted(path for folder in folders for path in (PACKAGE / folder).rglob("*.py"))


def test_nothing_under_core_or_render_imports_a_topic_or_the_registry():
    for path in _modules_under("core", "render"):
        topics_imported = {m for m in _imported(path) if m == "dlsolve.topics" or m.startswith("dlsolve.topics.")}
        assert topics_imported == set(), path
        assert "dlsolve.topics" not in path.read_text(encoding="utf-8"), path  # nor by an importlib string


def test_the_engines_find_a_topic_only_through_the_registry():
    engines = _modules_under("checking", "practice", "commands") + [PACKAGE / "runner.py", PACKAGE / "cli.py"]
    for path in engines:
        reached = {m for m in _imported(path) if m.startswith("dlsolve.topics.")}
        assert reached <= {"dlsolve.topics.TOPICS"}, path
        assert not re.search(r"dlsolve\.topics\.\{", path.read_text(encoding="utf-8")), path
