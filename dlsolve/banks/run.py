"""``dlsolve practice COMMAND --export moodle|gift|prairielearn``: options checked, bank built,
files written. Every bad option or destination is refused (an ``InputError``: one line,
exit 2) before anything is generated or written.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

from dlsolve.core.inputs import InputError

if TYPE_CHECKING:
    from dlsolve.banks.model import Bank
    from dlsolve.practice.run import Request

DEFAULT_COUNT = 10
FOLDER_FORMAT = "prairielearn"


def _check_options(request: Request) -> int:
    """The number of variants; InputError for options an export cannot take."""
    from dlsolve.banks.model import MAX_VARIANTS

    if request.export is None:
        raise InputError("--count", "sets the number of variants of a question bank: add --export moodle|gift|prairielearn")
    clash = ("--quiz" if request.quiz else "--solution" if request.solution else "--save-problem" if request.save_problem
             else "--min-sigfigs" if request.min_sigfigs is not None
             else f"--format {request.format}" if request.format != "text" else None)
    if clash:
        raise InputError("--export", f"cannot be combined with {clash} (a bank holds the questions, answers and worked solutions)")
    count = DEFAULT_COUNT if request.count is None else request.count
    if not 1 <= count <= MAX_VARIANTS:
        raise InputError("--count", f"must be 1 to {MAX_VARIANTS:,} variants, got {count:,}")
    return count


def _check_folder(path: str | None, force: bool) -> str:
    """A PrairieLearn export's folder: new, or existing with --force (files are replaced in it)."""
    if not path:
        raise InputError("--output", "a PrairieLearn export is a folder of questions: give it with -o FOLDER")
    if "\x00" in path:
        raise InputError("--output", f"{path!r} is not a valid folder name")
    if os.path.lexists(path):
        if not os.path.isdir(path) or os.path.islink(path):
            raise InputError("--output", f"{path} exists and is not a folder")
        if not force:
            raise InputError("--output", f"{path} exists; add --force to write the questions into it")
    elif not os.path.isdir(os.path.dirname(os.path.abspath(path))):
        raise InputError("--output", f"folder {os.path.dirname(path)!r} does not exist")
    return path


def _write_folder(path: str, files: dict[str, str]) -> None:
    from dlsolve.core.output import write_atomic

    for relative, text in files.items():
        target = os.path.join(path, relative)
        try:
            os.makedirs(os.path.dirname(target), exist_ok=True)
        except OSError as error:
            raise InputError("--output", f"cannot create {os.path.dirname(target)}: {error.strerror}") from None
        write_atomic(target, text, True)


def render(bank: Bank, export: str) -> str:
    """The bank as one Moodle XML or GIFT file."""
    if export == "moodle":
        from dlsolve.banks import moodle

        return moodle.render(bank)
    from dlsolve.banks import gift

    return gift.render(bank)


def export(request: Request, command: str | None) -> int:
    """Check, build, write; the exit code (0)."""
    from dlsolve.banks.model import build
    from dlsolve.core.output import check_destination, write_atomic
    from dlsolve.practice import command_for
    from dlsolve.practice.draw import new_seed

    count = _check_options(request)
    assert request.export is not None
    if request.export == FOLDER_FORMAT:
        _check_folder(request.output, request.force)
    elif request.output is not None:
        check_destination(request.output, request.force)
    seed = new_seed() if request.seed is None else request.seed
    bank = build(command or command_for(seed), request.level, seed, count, request.decimals)
    asked = sum(len(v.asked) for v in bank.variants)
    what = f"{count} variant{'s' if count > 1 else ''}, {asked} answers asked, bank seed {seed}"
    if request.export == FOLDER_FORMAT:
        from dlsolve.banks import prairielearn

        assert request.output is not None
        files = prairielearn.files(bank)
        _write_folder(request.output, files)
        folders = len({name.split("/")[0] for name in files})
        print(f"PrairieLearn questions written: {request.output} ({folders} question folder{'s' if folders > 1 else ''}; {what})",
              file=sys.stderr)
    elif request.output is not None:
        write_atomic(request.output, render(bank, request.export), request.force)
        print(f"{'Moodle XML quiz' if request.export == 'moodle' else 'GIFT file'} written: {request.output} ({what})", file=sys.stderr)
    else:
        sys.stdout.write(render(bank, request.export))
    return 0
