"""Write the worked solution of every problem file in worked_examples/ as Markdown next to
it (X.toml → X.md).

    python scripts/render_worked_examples.py            rewrite every .md that differs
    python scripts/render_worked_examples.py --check    only list the ones that differ (exit 1 if any)

Each .md is exactly ``dlsolve solve X.toml -f markdown`` (4 decimals); tests/test_examples_golden.py
fails when one is out of date, so rerun this after changing a solver or the Markdown renderer
and read the diff. Answers files (with an [answers] table, for ``dlsolve check``) are skipped.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HERE = ROOT / "worked_examples"
sys.path.insert(0, str(ROOT))  # this checkout's dlsolve, installed or not

from dlsolve.commands.examples import read_examples  # noqa: E402
from dlsolve.runner import derive, rendered  # noqa: E402

DECIMALS = 4


def solution(path: Path, command: str) -> str:
    """The Markdown that ``dlsolve solve PATH -f markdown`` prints."""
    return rendered(derive(command, {}, str(path)), "markdown", DECIMALS)


def main(argv: list[str]) -> int:
    check = "--check" in argv
    stale = []
    for example in read_examples(HERE):
        target = example.path.with_suffix(".md")
        text = solution(example.path, example.command)
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            stale.append(target.name)
            if not check:
                target.write_text(text, encoding="utf-8", newline="\n")
    orphans = sorted(md.name for md in HERE.glob("*.md") if not md.with_suffix(".toml").exists())
    for name in stale:
        print(f"{'differs' if check else 'written'}: {name}")
    for name in orphans:
        print(f"no problem file for {name}")
    return 1 if check and (stale or orphans) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
