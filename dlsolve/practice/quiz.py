"""``dlsolve practice --quiz``: the exercise's key values asked one at a time and marked by
the answer checker, exactly as ``dlsolve check`` marks an answers file.

Each answer typed is judged together with the student's earlier answers (an answers file
that grows by one key per question), so the tolerance, the diagnosis of a slip and the
verdict "right given your earlier answers" (error carried forward) are ``check``'s own.

At a question the student types the value (command-line syntax: ``0.72, 0.2`` for a
vector, ``a, b; c, d`` for a matrix, ``A | B`` between matrices; brackets also work), or
``?`` for a hint (the step's title and what the question asks), ``s`` to show the worked
step (the question then counts as not answered), an empty line to skip (the expected value
is shown, so the next steps can go on), ``q`` to stop. End of input (a pipe running dry,
Ctrl-D) stops the same way. A line that cannot be read as the answer asked for (a number
outside the usable range, 1e400, included) is explained in one line and the question asked
again, at most ``RETRIES`` times.

Prompts and colour only on a terminal: with piped input each line read is echoed after
``> `` so the transcript reads like a session. Exit code as ``check``'s: 0 when every
question was answered right, 1 otherwise (skipped, shown and unanswered questions — stopped
with q or at end of input — count as not right; the score is out of every question).

A word answer (the t-test's alternative) takes the words and symbols a student writes
(see :mod:`dlsolve.checking.words`); the prompt and ``?`` list them. ``s`` shows the step only
up to the line that gives away a later question's value.
"""

from __future__ import annotations

import json
import re
import sys
from typing import Any, NamedTuple, TextIO

from dlsolve.checking.answers_file import AnswersFile
from dlsolve.checking.compare import NOT_USABLE, Rule, Verdict, as_decimal, in_range, shape_text
from dlsolve.checking.judge import Checked, Solution, StepRef, judge, path_of
from dlsolve.checking.keys import locate
from dlsolve.checking.words import CHOICES_TEXT, Unclear, alternative
from dlsolve.core.derivation import Derivation
from dlsolve.core.inputs import one_line
from dlsolve.practice.exercise import Exercise

RETRIES = 3  # unreadable lines accepted for one question before it is skipped
WHERE = "quiz"
HINT, SHOW, QUIT = "?", "s", "q"
_TRUE, _FALSE = ("true", "yes", "y", "t"), ("false", "no", "n", "f")
_MINUS_SIGNS = str.maketrans({"−": "-", "–": "-"})
_TOKEN = re.compile(r"[^\[\],\s]+")

Segment = tuple[str, str]  # (text, rich style)


class BadAnswer(ValueError):
    """A line that is not the kind of value the question asks for (one-line reason)."""


class Outcome(NamedTuple):
    """One question's result: right, carried, wrong, skipped or shown (the step was shown)."""

    key: str
    status: str
    step: StepRef | None
    checked: Checked | None = None


# --- reading an answer ------------------------------------------------------------------------


def _depth(value: Any) -> int:
    """How deeply lists nest: 0 for a number, 1 for a vector, 2 for a matrix."""
    depth = 0
    while isinstance(value, list) and value:
        depth, value = depth + 1, value[0]
    return depth


def _split(text: str, depth: int) -> Any:
    """``a, b; c, d`` into nested lists of strings: ``|`` between matrices, ``;`` between
    rows, ``,`` (or spaces, when there is no comma) between numbers."""
    if depth == 0:
        return text.strip()
    separator = {1: ",", 2: ";", 3: "|"}.get(depth)
    if separator is None:
        raise BadAnswer("write an answer this deep with brackets, e.g. [[[1, 2], [3, 4]], [[5, 6], [7, 8]]]")
    parts = text.split(separator) if separator in text or depth > 1 else text.split()
    return [_split(part, depth - 1) for part in parts if part.strip() or depth == 1]


def _bracketed(text: str) -> Any:
    """``[[1, 2], [3, 4]]`` (or with parentheses) into nested lists of strings."""
    source = _TOKEN.sub(lambda m: json.dumps(m.group()), text.replace("(", "[").replace(")", "]"))
    for whole in (source, f"[{source}]"):  # rows without an outer pair: (0.1, 0.2), (0.3, 0.4)
        try:
            return json.loads(whole)
        except json.JSONDecodeError:
            continue
    raise BadAnswer("the brackets do not match (write e.g. [[0.1, 0.2], [0.3, 0.4]] or 0.1, 0.2; 0.3, 0.4)")


def _fitted(given: Any, expected: Any) -> Any:
    """A one-element list typed without its brackets (``0.65`` for ``[0.65]``) wrapped to fit."""
    if isinstance(expected, list) and len(expected) == 1 and _depth(given) < _depth(expected):
        return [_fitted(given, expected[0])]
    if isinstance(expected, list) and isinstance(given, list) and len(given) == len(expected):
        return [_fitted(g, e) for g, e in zip(given, expected)]
    return given


def _same_shape(given: Any, expected: Any) -> bool:
    if isinstance(expected, list):
        return isinstance(given, list) and len(given) == len(expected) and all(_same_shape(g, e) for g, e in zip(given, expected))
    return not isinstance(given, list)


def _leaf(text: str, expected: Any) -> Any:
    """One typed value as the checker reads an answers file's: numbers as ``Decimal`` (the
    written precision kept), true/false, text for a text answer."""
    if isinstance(expected, bool):
        word = text.strip().lower()
        if word in _TRUE + _FALSE:
            return word in _TRUE
        raise BadAnswer(f"{text.strip()!r}: answer true or false (yes/no)")
    if isinstance(expected, str) or expected is None:  # an alternative, "inf", an unknown size (None)
        return text.strip()
    number = as_decimal(text.translate(_MINUS_SIGNS))
    if number is None:
        raise BadAnswer(f"{text.strip()!r} is not a number (write e.g. 0.25, −1.5 or 2e-3)")
    if in_range(number) is not number:  # 1e400, 1e-999999999: a slip of the keyboard, asked again
        raise BadAnswer(f"{text.strip()!r} is {NOT_USABLE}")
    return number


def _leaves(given: Any, expected: Any) -> Any:
    if isinstance(given, list):
        return [_leaves(g, e) for g, e in zip(given, expected)]
    return _leaf(given, expected)


def syntax(expected: Any) -> str:
    """How to type an answer of this shape."""
    depth = _depth(expected)
    if isinstance(expected, bool):
        return "true or false"
    if isinstance(expected, str):
        return "a number or inf" if expected == "inf" else "a word"
    if depth == 0:
        return "a whole number" if isinstance(expected, int) else "a number"
    what = shape_text(expected) if depth < 3 else f"{len(expected)} matrices"
    how = {1: "separated by commas", 2: "rows separated by ;", 3: "matrices separated by |, rows by ;"}[min(depth, 3)]
    return f"{what}, {how}"


def read_answer(text: str, expected: Any) -> Any:
    """The typed line as the value of an answers file, shaped like ``expected``. Raises
    BadAnswer (one line) for a line that is not that kind of value."""
    plain, depth = text.strip(), _depth(expected)
    if plain.startswith(("[", "(")) and depth:
        tree = _bracketed(plain)
    elif depth == 0 and re.search(r"[,;|]", plain):  # several values for one: said as a shape
        tree = _split(re.sub(r"[;|]", ",", plain), 1)
    else:
        tree = _split(plain, depth)
    given = _fitted(tree, expected)
    if not _same_shape(given, expected):
        _each_readable(tree, _first(expected))  # "x is not a number" says more than "got 1 value"
        raise BadAnswer(f"expected {syntax(expected)}; got {shape_text(given)}")
    return _leaves(given, expected)


def _first(value: Any) -> Any:
    while isinstance(value, list) and value:
        value = value[0]
    return value


def _each_readable(tree: Any, leaf: Any) -> None:
    for item in tree if isinstance(tree, list) else [tree]:
        if isinstance(item, list):
            _each_readable(item, leaf)
        else:
            _leaf(item, leaf)


# --- the screen -------------------------------------------------------------------------------


class Screen:
    """Where the quiz talks and listens: colour and prompts on a terminal only; piped input
    is echoed after ``> `` instead, so the output reads as a session."""

    def __init__(self, stdin: TextIO, stdout: TextIO, width: int = 0) -> None:
        self.stdin, self.stdout, self.width = stdin, stdout, width
        self.interactive = stdin.isatty() and stdout.isatty()
        self.console = None
        if stdout.isatty():
            from rich.console import Console

            self.console = Console(file=stdout, highlight=False, markup=False, emoji=False)

    def say(self, *segments: Segment) -> None:
        """One line, fitted to the width (rows continue two columns past its indent)."""
        from dlsolve.render.wrap import fit

        for row in fit(list(segments), self.width):
            if self.console is None:
                self.stdout.write("".join(text for text, _ in row).rstrip() + "\n")
                continue
            from rich.text import Text

            self.console.print(Text.assemble(*row), no_wrap=True, overflow="ignore", crop=False)

    def ask(self) -> str | None:
        """The next line, or None at end of input (or Ctrl-C on a terminal)."""
        if self.interactive:
            try:
                return input("> ")
            except (EOFError, KeyboardInterrupt):
                self.stdout.write("\n")
                return None
        self.stdout.flush()
        line = self.stdin.readline()
        if not line:
            return None
        line = line.rstrip("\r\n")
        self.say(("> " + one_line(line), "dim"))  # echoed escaped: a pasted control sequence stays text
        return line


# --- the quiz ---------------------------------------------------------------------------------


class Quiz:
    """One exercise's questions, asked in step order and judged as ``check`` judges."""

    def __init__(self, exercise: Exercise, derivation: Derivation, screen: Screen, decimals: int, rule: Rule = Rule()) -> None:
        self.exercise, self.screen, self.decimals, self.rule = exercise, screen, decimals, rule
        self.solution = Solution(derivation)
        self.typed: dict[str, Any] = {}  # the student's answers so far: an answers file growing key by key
        self.outcomes: list[Outcome] = []

    # the questions

    def questions(self) -> list[tuple[int, str]]:
        """(part of the exercise, answer key), in the order asked."""
        return [(part, key) for part, question in enumerate(self.exercise.questions) for key in question.answers]

    def expected(self, key: str) -> Any:
        return locate(self.solution.derivation.answers, key, WHERE)[1]

    def step_of(self, key: str) -> StepRef | None:
        return self.solution.steps.of(path_of(key), Verdict(True))

    def _is_word(self, key: str) -> bool:
        """An answer that is a word with synonyms (the t-test's alternative)."""
        return self.exercise.command == "ttest" and key == "alternative"

    def _syntax(self, key: str) -> str:
        return CHOICES_TEXT if self._is_word(key) else syntax(self.expected(key))

    def _read(self, line: str, key: str) -> Any:
        """The typed line as the answer to ``key`` (BadAnswer when it cannot be read as one)."""
        if self._is_word(key):
            try:
                return alternative(line, self.solution.derivation.inputs.get("mu0"))
            except Unclear as unclear:
                raise BadAnswer(str(unclear)) from None
        return read_answer(line, self.expected(key))

    # asking

    def run(self) -> int:
        """Ask every question (until q or end of input), then the score; the exit code."""
        from dlsolve.practice.render import label

        questions = self.questions()
        self.screen.say(("Quiz", "bold cyan"), (f": {len(questions)} answers, one at a time, in the order of the solution's steps.", ""))
        self.screen.say(("Answer as on the command line: a vector 0.72, 0.2, 0.88; a matrix 0.1, 0.2; 0.3, 0.4.", "dim"))
        self.screen.say(("Type ? for a hint, s to see the worked step, an empty line to skip, q to stop.", "dim"))
        self.screen.say((f"Marking: {self.rule.describe()}.", "dim"))
        for number, (part, key) in enumerate(questions, 1):
            self.screen.say()
            self.screen.say((f"{label(part)} {number}/{len(questions)}  ", "bold"), (key, "bold yellow"),
                            (f"  ({self._syntax(key)})", "dim"))
            if not self._ask(part, key, [k for _, k in questions[number:]]):
                break
        return self._score()

    def _ask(self, part: int, key: str, later: list[str]) -> bool:
        """One question, until answered, skipped or shown; False when the student stops.
        ``later``: the keys asked after it (a shown step stops before their values)."""
        hints, bad = 0, 0
        while True:
            line = self.screen.ask()
            if line is None or line.strip().lower() == QUIT:
                return False
            command = line.strip().lower()
            if command == HINT:
                self._hint(part, key, hints)
                hints += 1
            elif command == SHOW:
                self._show_step(key, later)
                self.outcomes.append(Outcome(key, "shown", self.step_of(key)))
                return True
            elif not command:
                self._skip(key, "skipped")
                return True
            else:
                try:
                    self._judge(key, self._read(line, key))
                    return True
                except BadAnswer as problem:
                    bad += 1
                    if bad >= RETRIES:
                        self.screen.say((f"  {problem}", "yellow"))
                        self._skip(key, f"skipped after {RETRIES} unreadable answers")
                        return True
                    self.screen.say((f"  {problem} — try again (? a hint, empty line skip)", "yellow"))

    def _hint(self, part: int, key: str, given: int) -> None:
        from dlsolve.render.plain import plain_line

        if given:
            self.screen.say(("  No more hints: s shows the worked step.", "cyan"))
            return
        step = self.step_of(key)
        if step is not None:
            self.screen.say(("  Hint: ", "cyan"), (f"Step {step.number}. {step.title}", "bold"))
        self.screen.say(("  ", ""), (plain_line(self.exercise.questions[part].text, self.decimals), "cyan"))
        if self._is_word(key):
            self.screen.say(("  Answer " + CHOICES_TEXT + ", or H₁ written out (mu > μ₀, mu < μ₀ or mu != μ₀, with μ₀'s value); "
                             "\"one-tailed\" alone does not say which tail.", "cyan"))
        else:
            self.screen.say((f"  Answer {self._syntax(key)}.", "cyan"))

    def _show_step(self, key: str, later: list[str]) -> None:
        """The worked step that derives ``key``, as the solution prints it, up to the line
        where the answer asked is complete (every number of it shown), else up to the line
        that would show the value of a later question of the same step."""
        from dlsolve.render.to_text import step_lines

        ref = self.step_of(key)
        if ref is not None:
            lines = [(segments, "".join(t for t, _ in segments))
                     for segments in step_lines(ref.number, self.solution.derivation.steps[ref.number - 1], self.decimals, self.screen.width)]
            for segments, _ in lines[: self._shown_lines(key, ref, later, [text for _, text in lines])]:
                self.screen.say(*segments)
            self.screen.say(("  …", "dim"))
        self._say_expected(key)

    def _shown_lines(self, key: str, ref: StepRef, later: list[str], texts: list[str]) -> int:
        own = self._value_patterns(key)
        missing = set(own)
        for i, text in enumerate(texts):
            missing -= {pattern for pattern in missing if pattern.search(text)}
            if own and not missing:
                return i + 1
        # the later answers' numbers that this step brings (not those carried over from an earlier step)
        before = {p for _, k in self.questions() if (step := self.step_of(k)) is not None and step < ref for p in self._value_patterns(k)}
        others = {p for k in later if self.step_of(k) == ref for p in self._value_patterns(k)} - set(own) - before
        return next((i for i, text in enumerate(texts) if any(p.search(text) for p in others)), len(texts))

    def _value_patterns(self, key: str) -> list[re.Pattern[str]]:
        """How the step writes each decimal of ``key``'s value (a whole number or a word is
        too short to find reliably)."""
        from dlsolve.core.numbers import format_number

        def flat(value: Any) -> list[Any]:
            return [x for v in value for x in flat(v)] if isinstance(value, list) else [value]

        texts = {format_number(abs(v), self.decimals, latex=False) for v in flat(self.expected(key)) if type(v) is float and v != round(v)}
        return [re.compile(rf"(?<![\d.]){re.escape(text)}(?!\d)") for text in sorted(texts)]

    def _say_expected(self, key: str) -> None:
        from dlsolve.checking.report import value_text

        self.screen.say(("  ", ""), (key, "bold"), (f" = {value_text(self.expected(key), None, self.decimals)}", ""))

    def _skip(self, key: str, why: str) -> None:
        self.screen.say((f"  – {why}.", "yellow"))
        self._say_expected(key)
        self.outcomes.append(Outcome(key, "skipped", self.step_of(key)))

    # marking

    def _judge(self, key: str, given: Any) -> None:
        """Judge ``given`` with the earlier answers, as ``check`` judges a file holding them all."""
        from dlsolve.checking.report import remarks, tolerance_text, value_text

        self.typed[key] = given
        file = AnswersFile(WHERE, self.exercise.command, None, None, dict(self.typed))
        checked = next(c for c in judge(file, self.solution, self.rule, 1.0, WHERE) if c.key == key)
        expected = value_text(checked.expected, checked.given, self.decimals)
        tolerance = tolerance_text(checked.verdict)
        tolerance = "must match exactly" if tolerance == "exact" else f"tolerance {tolerance}"
        notes = remarks(checked, self.decimals)
        if checked.verdict.right:
            self.screen.say(("  ✓ right", "bold green"), (f"  ({key} = {expected}; {tolerance})", "dim"))
        elif checked.carried and checked.carried.verdict.right:  # the verdict that counts first
            text, style = notes[0]
            self.screen.say(("  " + text, "bold " + style))
            self.screen.say(("    ✗ not the solution's value", "red"), (f": {expected} ({tolerance})", ""))
            notes = notes[1:]
        else:
            self.screen.say(("  ✗ wrong", "bold red"), (f": expected {expected} ({tolerance})", ""))
        for text, style in notes if not checked.verdict.right else ():
            self.screen.say(("    " + text, style))
        self.outcomes.append(Outcome(key, checked.status, checked.step, checked))

    def _score(self) -> int:
        """The score line, the first step gone wrong, how to repeat; the exit code."""
        from dlsolve.practice.render import invocation

        total = len(self.questions())
        count = {status: sum(o.status == status for o in self.outcomes) for status in ("right", "carried", "wrong", "skipped", "shown")}
        parts = [f"{count['right']} right"]
        if count["carried"]:
            parts.append(f"{count['carried']} right given your earlier answers (error carried forward)")
        parts += [f"{count[s]} {s}" for s in ("wrong", "skipped") if count[s]]
        if count["shown"]:
            parts.append(f"{count['shown']} shown")
        unanswered = total - len(self.outcomes)
        if unanswered:
            parts.append(f"{unanswered} unanswered")
        self.screen.say()
        self.screen.say(("Score ", "bold"), (f"{count['right'] + count['carried']}/{total}", "bold"), (f": {', '.join(parts)}.", ""))
        missed = [o.step for o in self.outcomes if o.status != "right" and o.step is not None]
        if missed:
            first = min(missed)
            self.screen.say(("First wrong step: ", "bold"), (f"Step {first.number}. {first.title}", ""))
        minimum = ("--min-sigfigs", str(self.rule.min_sigfigs)) if self.rule.min_sigfigs else ()
        self.screen.say((f"Same quiz again: {invocation(self.exercise, '--quiz', *minimum)}", "dim"))
        return 0 if not unanswered and all(o.status == "right" for o in self.outcomes) else 1


def run_quiz(exercise: Exercise, derivation: Derivation, decimals: int, width: int = 0, min_sigfigs: int | None = None) -> int:
    """The exercise's question on stdout, then the quiz on stdin, fitted to ``width`` and
    marked as ``check`` marks (with ``min_sigfigs`` when given); the exit code (0: every
    answer right)."""
    from dlsolve.practice.render import question_text

    sys.stdout.write(question_text(exercise, decimals, width) + "\n")
    return Quiz(exercise, derivation, Screen(sys.stdin, sys.stdout, width), decimals, Rule(min_sigfigs=min_sigfigs)).run()
