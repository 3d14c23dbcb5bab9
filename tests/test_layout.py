"""The layout the code is read by (issue 15): one folder per topic, found through one registry."""

from __future__ import annotations

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
