"""Classification-metrics exercises: a binary story (screening, spam, fraud), a binary matrix
with F-beta or label vectors to count, a 3-class matrix with its averages.

Exam-friendly means: counts whose ratios are short decimals (predicted and actual positives
from 5, 10, 20, 25, 40, 50; 100 or 200 cases in all), F-beta with β = 2 or 0.5, label vectors
of 10 to 16 samples, 3-class matrices with 3 to 9 samples per class.
"""

from __future__ import annotations

from typing import NamedTuple

from dlsolve.core.derivation import line
from dlsolve.practice.draw import Draw, first
from dlsolve.practice.exercise import Generated, Question

TITLE = "Classification metrics"
SIZES = (5, 10, 20, 25, 40, 50)


class Story(NamedTuple):
    """A binary classifier and what its classes are called."""

    task: str  # "A screening test for a disease"
    cases: str  # "people"
    positive: str  # "sick"
    negative: str  # "healthy"
    flagged: str  # "flags"


STORIES = (
    Story("A screening test for a disease", "people", "sick", "healthy", "flags"),
    Story("A spam filter", "e-mails", "spam", "ham", "moves to the spam folder"),
    Story("A fraud detector", "card payments", "fraudulent", "genuine", "blocks"),
)
WORDS = (("dog", "cat"), ("ham", "spam"), ("no", "yes"))  # (negative, positive)
THREE = (("cat", "dog", "rabbit"), ("A", "B", "C"), ("low", "medium", "high"))


def _counts(draw: Draw) -> dict[str, int]:
    """TP, FP, FN, TN: TP + FN and TP + FP from SIZES, N = 100 or 200, every count > 0."""
    def make() -> dict[str, int]:
        n = draw.choice((100, 200))
        actual, predicted = draw.choice(SIZES), draw.choice(SIZES)
        tp = draw.integer(max(1, min(actual, predicted) // 2), min(actual, predicted) - 1)
        return {"tp": tp, "fp": predicted - tp, "fn": actual - tp, "tn": n - actual - predicted + tp}

    return first(make, lambda c: all(v > 0 for v in c.values()))


def _binary_questions(fbeta: bool) -> tuple[Question, ...]:
    questions = [Question(line("Compute the accuracy."), ("accuracy",)),
                 Question(line("Compute the precision and the recall (sensitivity)."), ("precision", "recall")),
                 Question(line("Compute the specificity."), ("specificity",)),
                 Question(line("Compute the F1 score."), ("f1",))]
    if fbeta:
        questions.append(Question(line(r"Compute the F-beta score $F_\beta = (1 + \beta^2) P R / (\beta^2 P + R)$."), ("fbeta",)))
    return tuple(questions)


def _story(draw: Draw) -> Generated:
    s = draw.choice(STORIES)
    c = _counts(draw)
    n = sum(c.values())
    statement = (line(f"{s.task} is tried on {n} {s.cases}: {c['tp'] + c['fn']} are {s.positive} and {c['fp'] + c['tn']} are {s.negative}. "
                      f"It {s.flagged} {c['tp']} of the {s.positive} ones and {c['fp']} of the {s.negative} ones."),
                 line(f"Take {s.positive} as the positive class."))
    problem = {**c, "labels": [s.negative, s.positive]}
    return Generated(problem, statement, _binary_questions(False), f"binary counts, {n} {s.cases}")


def _fbeta(draw: Draw) -> Generated:
    c = _counts(draw)
    beta = draw.choice((2.0, 0.5))
    matrix = [[c["tn"], c["fp"]], [c["fn"], c["tp"]]]
    statement = (line(f"A binary classifier's confusion matrix (rows = actual class, columns = predicted, negative first) is {_rows(matrix)}."),
                 line(f"Use β = {beta:g} for F-beta."))
    problem = {"matrix": matrix, "beta": beta}
    return Generated(problem, statement, _binary_questions(True), f"binary matrix, β = {beta:g}")


def _vectors(draw: Draw) -> Generated:
    negative, positive = draw.choice(WORDS)
    n = draw.integer(10, 16)

    def make() -> tuple[list[str], list[str]]:
        actual = [draw.choice((negative, positive)) for _ in range(n)]
        predicted = [a if draw.chance(3, 4) else (positive if a == negative else negative) for a in actual]
        return actual, predicted

    actual, predicted = first(make, lambda ap: len(set(ap[0])) == 2 and 0 < sum(a != p for a, p in zip(*ap)) and positive in ap[1])
    statement = (line(f"A classifier labels {n} samples. Actual: {', '.join(actual)}."),
                 line(f"Predicted: {', '.join(predicted)}."),
                 line(f"Take {positive} as the positive class."))
    problem = {"actual": actual, "predicted": predicted, "positive": positive}
    questions = (Question(line("Build the confusion matrix (rows = actual class, columns = predicted, classes in alphabetical order)."), ("matrix",)),
                 *_binary_questions(False))
    return Generated(problem, statement, questions, f"binary label vectors, {n} samples")


def _rows(matrix: list[list[int]]) -> str:
    """``[[78, 12], [2, 8]]``: a matrix in prose, row by row."""
    return "[" + ", ".join("[" + ", ".join(map(str, row)) + "]" for row in matrix) + "]"


def _three_classes(draw: Draw) -> Generated:
    names = draw.choice(THREE)

    def make() -> list[list[int]]:
        rows = []
        for i in range(3):
            row = [draw.integer(0, 2) for _ in range(3)]
            row[i] = draw.integer(3, 9)
            rows.append(row)
        return rows

    matrix = first(make, lambda m: all(sum(m[i][j] for i in range(3)) > 0 for j in range(3)))
    statement = (line(f"A classifier for the classes {', '.join(names)} has the confusion matrix (rows = actual, columns = predicted, "
                      f"in that order) {_rows(matrix)}."),)
    questions = (Question(line("Compute the accuracy."), ("accuracy",)),
                 Question(line("Compute each class's precision, recall and F1."), ("per_class.precision", "per_class.recall", "per_class.f1")),
                 Question(line("Compute the macro averages of precision, recall and F1."), ("macro.precision", "macro.recall", "macro.f1")),
                 Question(line("Compute the micro-averaged F1."), ("micro.f1",)),
                 Question(line("Compute the weighted average of F1 (weights: each class's support)."), ("weighted.f1",)))
    problem = {"matrix": matrix, "labels": list(names)}
    return Generated(problem, statement, questions, f"3 classes, {sum(map(sum, matrix))} samples")


def generate(draw: Draw, level: str) -> Generated:
    if level == "easy":
        return _story(draw)
    if level == "exam":
        return draw.choice((_fbeta, _vectors))(draw)
    return _three_classes(draw)

