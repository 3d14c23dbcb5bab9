"""Early-stopping exercises: a list of validation losses, Keras' patience and min_delta, and
the questions an exam asks (wait after each epoch, where training stops, which weights are
restored).

Exam-friendly means: losses with two decimals that fall, then wander; at the easy level no
ties and min_delta 0; at the exam level a min_delta that makes a small improvement not count
(the answer changes if it is ignored); at the hard level a run that never stops, patience 0,
or a tie with best − min_delta (the answer changes if a tie improves).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from dlsolve.core.derivation import Line, line
from dlsolve.practice.draw import Draw, first
from dlsolve.practice.exercise import Generated, Question, counted, listed
from dlsolve.topics.early_stopping.rule import KERAS, Run, Variant, run

TITLE = "Early stopping"
TIES = Variant(strict=False)


class Setting(NamedTuple):
    losses: list[float]
    patience: int
    min_delta: float


def _losses(draw: Draw, epochs: int) -> list[float]:
    """A loss curve in hundredths: a start in 0.6–1.2, steps mostly down at first, then either way."""
    value = draw.integer(60, 120)
    out = [value]
    for i in range(1, epochs):
        step = draw.integer(-20, 4) if i < epochs // 2 else draw.integer(-8, 12)
        value = max(5, value + step)
        out.append(value)
    return [v / 100 for v in out]


def _keras(s: Setting) -> Run:
    """The setting run by Keras' rule."""
    return run(s.losses, s.patience, s.min_delta)


def _easy(draw: Draw) -> Setting:
    def make() -> Setting:
        return Setting(_losses(draw, draw.integer(6, 8)), draw.integer(2, 3), 0.0)

    def fair(s: Setting) -> bool:
        r = _keras(s)
        return r.stop_epoch is not None and r.best_epoch >= 2 and len(set(s.losses)) == len(s.losses)

    return first(make, fair)


def _exam(draw: Draw) -> Setting:
    def make() -> Setting:
        return Setting(_losses(draw, draw.integer(7, 10)), draw.integer(2, 4), draw.choice((0.02, 0.03, 0.05)))

    def fair(s: Setting) -> bool:
        r, ignored = _keras(s), run(s.losses, s.patience, 0.0)
        return r.stop_epoch is not None and r.best_epoch >= 2 and (ignored.stop_epoch, ignored.best_epoch) != (r.stop_epoch, r.best_epoch)

    return first(make, fair)


def _hard(draw: Draw) -> Setting:
    kind = draw.choice(("never", "zero", "tie"))
    accept: Callable[[Setting], bool]
    if kind == "never":
        def make() -> Setting:
            return Setting(_losses(draw, draw.integer(8, 10)), draw.integer(3, 4), draw.choice((0.0, 0.02)))

        def accept(s: Setting) -> bool:
            r = _keras(s)
            return r.stop_epoch is None and 2 <= r.best_epoch < len(s.losses) - 1
    elif kind == "zero":
        def make() -> Setting:
            return Setting(_losses(draw, draw.integer(6, 8)), 0, draw.choice((0.0, 0.01, 0.02)))

        def accept(s: Setting) -> bool:
            r = _keras(s)
            return r.stop_epoch is not None and r.stop_epoch >= 4
    else:
        def make() -> Setting:
            return Setting(_losses(draw, draw.integer(7, 9)), draw.integer(2, 3), draw.choice((0.0, 0.05)))

        def accept(s: Setting) -> bool:
            r, ties = _keras(s), run(s.losses, s.patience, s.min_delta, TIES)
            return r.best_epoch >= 2 and (ties.stop_epoch, ties.best_epoch) != (r.stop_epoch, r.best_epoch)
    return first(make, accept)


LEVELS = {"easy": _easy, "exam": _exam, "hard": _hard}


def generate(draw: Draw, level: str) -> Generated:
    s = LEVELS[level](draw)
    problem = {"val_loss": s.losses, "patience": s.patience, "min_delta": s.min_delta}
    r = run(s.losses, s.patience, s.min_delta, KERAS)
    outcome = f"stops after epoch {r.stop_epoch}" if r.stop_epoch else "never stops"
    summary = f"{len(s.losses)} epochs, patience {s.patience}, min_delta {s.min_delta:g}, {outcome}"
    return Generated(problem, _statement(s), _questions(r.stop_epoch is not None), summary)


def _statement(s: Setting) -> tuple[Line, ...]:
    return (line(f"A network is trained for at most {counted(len(s.losses), 'epoch')} with Keras' EarlyStopping(monitor='val_loss', "
                 f"patience={s.patience}, min_delta={s.min_delta:g}, restore_best_weights=True). The validation loss after each epoch, "
                 "epoch 1 first, would be $", *listed(s.losses), "$."),
            line("An epoch improves when its loss is less than the best so far minus min_delta; wait is reset to 0 by an "
                 "improvement and grows by 1 otherwise; training stops after the first epoch with wait ≥ patience."))


def _questions(stops: bool) -> tuple[Question, ...]:
    """Where training stops is asked as a number when it stops; when it does not (a null
    answer, which a quiz cannot ask for), as a question about the weights kept."""
    wait = Question(line("Give the value of wait after each epoch trained."), ("wait",))
    best = Question(line("Which epoch is the best (the last that improved), and with what loss?"), ("best_epoch", "best_loss"))
    if stops:
        return (wait, Question(line("After which epoch does training stop?"), ("stop_epoch",)), best,
                Question(line("Whose weights does the model have at the end?"), ("restored_epoch",)))
    return (wait, best, Question(line("Does training stop early? Whose weights does the model have at the end?"), ("restored_epoch",)))
