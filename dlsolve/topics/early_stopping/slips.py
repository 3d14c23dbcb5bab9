"""early-stopping: the wait counter continued from the student's own earlier counts, the stop
and the restore from the student's own counter and best epoch, and the slips a marker sees in
early-stopping exercises.

Carried forward:
  wait.t          0 if epoch t improves, else the student's wait.(t − 1) + 1
  stop_epoch      the first epoch that does not improve and whose wait (the student's) ≥ patience
  best_loss       the loss of the student's best epoch
  restored_epoch  the student's best epoch

Slips (each Keras' rule run another way, every answer from it): improvement judged against the
previous epoch instead of the best; wait never reset on an improvement; patience counted from
the first rise (every later epoch counting); min_delta ignored, or added (loss < best +
min_delta); a tie counted as an improvement (≤); stopping when wait > patience (one epoch
late); the last epoch's weights restored instead of the best.
"""

from __future__ import annotations

from typing import Any

from dlsolve.checking.keys import Path
from dlsolve.checking.slips import Analysis, Carried, Slip, Work
from dlsolve.topics.early_stopping.rule import KERAS, Run, Variant, run

CHOICES = frozenset({"best_epoch", "stop_epoch", "restored_epoch"})  # picks among the epochs, not amounts

VARIANTS = {
    "previous-epoch": (Variant(against="previous"), "each loss compared with the previous epoch's instead of the best so far"),
    "no-reset": (Variant(counting="no-reset"), "wait not reset to 0 on an improvement (every epoch without one counted since the start)"),
    "from-first-rise": (Variant(counting="from-first-rise"),
                        "patience counted from the first rise: every epoch after the first that did not improve counted, "
                        "improvements included"),
    "min-delta-sign": (Variant(delta_sign=1), "min_delta with the wrong sign: improvement when loss < best + min_delta"),
    "ties-improve": (Variant(strict=False), "a tie counted as an improvement: loss ≤ best − min_delta instead of <"),
    "stop-late": (Variant(stop_late=True), "training stopped when wait > patience (one epoch late) instead of wait ≥ patience"),
}


def _answers(r: Run) -> dict[Path, Any]:
    """A miscounted run's answers; not restored_epoch, which follows the student's best_epoch
    (carried forward), so a right best epoch is never blamed on a miscount."""
    return {("best_epoch",): r.best_epoch, ("best_loss",): r.best_loss, ("stop_epoch",): r.stop_epoch,
            ("wait",): [e.wait for e in r.epochs]}


def _whole(value: Any) -> int | None:
    """A student's epoch number as an int (None when it is not one)."""
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _carried(work: Work, losses: list[float], patience: int, right: Run) -> dict[Path, Carried]:
    carried: dict[Path, Carried] = {}
    wait = work.given(("wait",), [e.wait for e in right.epochs])
    for i, e in enumerate(right.epochs[1:], 1):
        before = _whole(wait[i - 1])
        if before is not None:
            carried[("wait", i)] = Carried(0 if e.improved else before + 1, (("wait", i - 1),))
    counts = [_whole(w) for w in wait]
    if None not in counts:
        stops = [e.number for e, w in zip(right.epochs, counts) if not e.improved and w >= patience]
        if stops:
            carried[("stop_epoch",)] = Carried(stops[0], (("wait",),))
    best = _whole(work.given(("best_epoch",), right.best_epoch))
    if best is not None:
        carried[("restored_epoch",)] = Carried(best, (("best_epoch",),))
        if 1 <= best <= len(losses):
            carried[("best_loss",)] = Carried(losses[best - 1], (("best_epoch",),))
    return carried


def analyse(work: Work) -> Analysis:
    losses = [float(x) for x in work.inputs["val_loss"]]
    patience, min_delta = int(work.inputs["patience"]), float(work.inputs["min_delta"])
    right = run(losses, patience, min_delta, KERAS)
    slips = [Slip(name, text, _answers(run(losses, patience, min_delta, variant))) for name, (variant, text) in VARIANTS.items()]
    if min_delta > 0:
        slips.append(Slip("min-delta-ignored", "min_delta ignored: improvement when loss < best",
                          _answers(run(losses, patience, 0.0, KERAS))))
    last = right.stop_epoch or right.epochs[-1].number
    slips.append(Slip("restore-last", f"the weights of the last epoch trained ({last}) restored instead of the best epoch's",
                      {("restored_epoch",): last}))
    return Analysis(_carried(work, losses, patience, right), slips)
