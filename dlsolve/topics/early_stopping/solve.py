"""Early stopping, Keras' way: EarlyStopping(monitor="val_loss", patience, min_delta,
restore_best_weights=True) followed epoch by epoch over a list of validation losses.

Improve   epoch t improves when L_t < best − min_delta (the first epoch always does)
Wait      0 after an improvement, else wait + 1
Stop      after the first epoch with wait ≥ patience (never, if no epoch reaches it)
Restore   the weights of the best epoch (the last that improved), also without a stop

The rule itself is in rule.py (shared with the slips); this module writes it out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from dlsolve.core.derivation import Block, Derivation, Line, Note, Num, Part, Step, Table, line
from dlsolve.core.inputs import Field, Integer, Number, Vector, count
from dlsolve.topics.early_stopping.rule import Epoch, Run, run

COMMAND = "early-stopping"
MAX_EPOCHS = 100_000  # validation losses (an exam gives 5–15; a long training log a few thousand)
DETAIL_MAX = 30  # up to this many epochs run: one written comparison per epoch; beyond, the key epochs only
TABLE_MAX = 12  # up to this many epochs: every row; beyond, the start, the best epoch and the end
SHORT_REPR = 10  # data written in up to this many characters are shown as given (not to --decimals)

# The course notes' story (NOTES-PROBLEMS §13): the loss falls for 3 epochs, rises for 3.
NOTES_LOSSES = (0.9, 0.7, 0.6, 0.65, 0.7, 0.8)
NOTES_PATIENCE = 3

FIELDS = (
    Field("val_loss", Vector(MAX_EPOCHS), NOTES_LOSSES),
    Field("patience", Integer(low=0), NOTES_PATIENCE),
    Field("min_delta", Number(low=0), 0.0),
)


def _value(x: float) -> Part:
    """A loss as written (0.65, not 0.6500) when it is short, else to --decimals."""
    return Num(x, exact=True) if len(repr(x)) <= SHORT_REPR else x


# --- the steps --------------------------------------------------------------------------------


def _rule_step(patience: int, min_delta: float) -> Step:
    delta = _value(min_delta)
    return Step(line("Keras' rule (EarlyStopping, restore_best_weights=True)"), (
        line("The first epoch sets the best (there is none before it). Epoch t improves when $L_{t} < \\mathrm{best} - \\delta$ "
             "with min_delta $\\delta = ", delta, "$, strictly: a tie does not improve."),
        line("wait: 0 after an epoch that improves, else wait + 1. Training stops after the first epoch with "
             "$\\mathrm{wait} \\ge \\mathrm{patience} = ", patience, "$."),
        line("restore_best_weights: at the end the weights of the best epoch (the last that improved) are restored, "
             "also when training never stops."),
    ))


def _epoch_line(e: Epoch, min_delta: float, patience: int, stop: int | None) -> Line:
    """``Epoch 4: 0.65 < 0.6 − 0 = 0.6? no → wait = 0 + 1 = 1`` and what follows from it."""
    head = f"Epoch {e.number}: "
    if e.reference is None:
        return line(head, "$L_{1} = ", _value(e.loss), "$, the first value: best $= ", _value(e.loss), "$ (epoch 1), wait $= 0$")
    test = ("$", _value(e.loss), " < ", _value(e.reference), " - ", _value(min_delta), " = ", _value(e.threshold), "$?")
    if e.improved:
        return line(head, *test, " yes → best $= ", _value(e.loss), f"$ (epoch {e.number}), wait $= 0$")
    counted = ("wait $= ", e.wait - 1, " + 1 = ", e.wait)
    if e.number == stop:
        return line(head, *test, " no → ", *counted, " \\ge ", patience, "$ = patience: stop")
    return line(head, *test, " no → ", *counted, " < ", patience, "$: go on")


def _key_epochs(r: Run) -> list[Epoch]:
    """The epochs written out in a long run: the first, the best, the one after it, the stop."""
    wanted = {1, r.best_epoch, r.best_epoch + 1, r.epochs[-1].number}
    return [e for e in r.epochs if e.number in wanted]


def _epochs_step(r: Run, min_delta: float, patience: int) -> Step:
    detailed = len(r.epochs) <= DETAIL_MAX
    shown = r.epochs if detailed else _key_epochs(r)
    body: list[Block] = [_epoch_line(e, min_delta, patience, r.stop_epoch) for e in shown]
    if not detailed:
        body.append(line(f"(Epochs 1, {r.best_epoch} (the best), the one after it and the last; every epoch is in the table below.)"))
    return Step(line("Epoch by epoch: the comparison, the best so far and wait"), tuple(body), ("wait",))


def _row(e: Epoch) -> tuple[Part, ...]:
    reference = "—" if e.threshold is None else _value(e.threshold)
    # epoch numbers as Keras prints them (15871, no thousands separator), like the lines above
    return (str(e.number), _value(e.loss), reference, "yes" if e.improved else "no", e.wait, str(e.best_epoch))


def _shown_rows(r: Run) -> list[tuple[Part, ...]]:
    """Every row of a short run; of a long one the start, around the best epoch and the end,
    with ⋮ for the epochs left out."""
    n = len(r.epochs)
    if n <= TABLE_MAX:
        return [_row(e) for e in r.epochs]
    b = r.best_epoch - 1
    keep = sorted(i for i in {0, 1, 2, b - 1, b, b + 1, n - 3, n - 2, n - 1} if 0 <= i < n)
    rows: list[tuple[Part, ...]] = []
    for previous, i in zip([-1, *keep], keep):
        if i - previous == 2:  # one epoch between: show it rather than a gap
            rows.append(_row(r.epochs[i - 1]))
        elif i - previous > 2:
            rows.append(("⋮",) * 6)
        rows.append(_row(r.epochs[i]))
    return rows


def _table_step(r: Run, losses: Sequence[float]) -> Step:
    caption = "each epoch trained: its loss, best − min_delta before it, improved?, wait and the best epoch after it"
    header = ("epoch", "val loss", "best − δ", "improved", "wait", "best epoch")
    body: list[Block] = [Table(line(caption), header, _shown_rows(r), elide=False)]
    if r.stop_epoch is not None and r.stop_epoch < len(losses):
        first, last = r.stop_epoch + 1, len(losses)
        if first == last:
            body.append(line(f"Epoch {first} is never trained: its loss in the list plays no part."))
        else:
            body.append(line(f"Epochs {first}–{last} are never trained: their {last - first + 1} losses in the list play no part."))
    return Step(line("The run in a table"), tuple(body))


def _stop_step(r: Run, patience: int, epochs: int) -> Step:
    if r.stop_epoch is not None:
        body = (line(f"wait reaches patience = {patience} at epoch {r.stop_epoch}: training stops after epoch {r.stop_epoch} "
                     f"(Keras prints \"Epoch {r.stop_epoch}: early stopping\")."),
                line(f"stop_epoch = {r.stop_epoch}"))
    else:
        highest = max(e.wait for e in r.epochs)
        body = (line(f"wait never reaches patience = {patience} (at most {highest}): all {epochs} epochs are trained, "
                     "no early stop."),
                line("stop_epoch = null"))
    return Step(line("Where training stops"), body, ("stop_epoch",))


def _restore_step(r: Run) -> Step:
    last = r.stop_epoch or r.epochs[-1].number
    body = (line(f"The best epoch is the last that improved: epoch {r.best_epoch}, $L_{{{r.best_epoch}}} = ", _value(r.best_loss),
                 "$ (best_loss)."),
            line(f"restore_best_weights: the weights of epoch {r.best_epoch} replace those of epoch {last} "
                 f"(Keras: \"Restoring model weights from the end of the best epoch: {r.best_epoch}.\")."
                 if r.best_epoch != last else "The best epoch is the last one trained: its weights are kept."),
            line(f"restored_epoch = {r.best_epoch}"))
    return Step(line("The best epoch and the weights restored"), body, ("best_epoch", "best_loss", "restored_epoch"))


# --- notes ------------------------------------------------------------------------------------


def _notes(losses: Sequence[float], patience: int, min_delta: float, r: Run) -> list[Note]:
    notes = []
    if tuple(losses) == NOTES_LOSSES and patience == NOTES_PATIENCE and min_delta == 0:
        notes.append(Note(line("The notes' story: epochs 1–3 the validation loss falls (save the parameters), epochs 4–6 "
                               "it rises (don't update), stop at epoch 6 and restore the best: the same answer as Keras' rule.")))
    notes += [
        Note(line("Keras 3's EarlyStopping.on_epoch_end adds 1 to wait before it compares, then sets wait = 0 on an improvement: "
                  "the same counter as here. Keras counts epochs from 0 in code and from 1 in its messages; they count from 1 here.")),
        Note(line("patience = 0 (Keras' default) stops at the first epoch that does not improve. restore_best_weights=False "
                  "(also Keras' default) keeps the last epoch's weights. Keras 2 (tf.keras) restored the best weights only when it "
                  "stopped early; Keras 3 restores them at the end of training either way, as here.")),
        Note(line("Each comparison is exact on the decimals as written: a loss exactly min_delta below the best is a tie, "
                  "not an improvement. Keras compares floating-point numbers (loss + min_delta < best), where such a tie can go "
                  "either way: in double precision 0.7 + 0.1 = 0.7999999999999999 < 0.8.")),
        Note(line("Not modelled: Keras' baseline and start_from_epoch. For a metric to maximize (mode='max', an accuracy), give "
                  "the negated values: A > best + δ is the same test as −A < −best − δ.")),
    ]
    if r.best_epoch == 1 and r.stop_epoch is not None:
        notes.append(Note(line("No epoch after the first improved: the weights of epoch 1 are restored."), "warning"))
    return notes


# --- solve -------------------------------------------------------------------------------------


def solve(inputs: Mapping[str, Any]) -> Derivation:
    """Keras' early stopping over the validation losses: wait per epoch, the stop, the restore."""
    losses = [float(x) for x in inputs["val_loss"]]
    patience, min_delta = int(inputs["patience"]), float(inputs["min_delta"])
    r = run(losses, patience, min_delta)
    steps = (_rule_step(patience, min_delta), _epochs_step(r, min_delta, patience), _table_step(r, losses),
             _stop_step(r, patience, len(losses)), _restore_step(r))
    answers = {
        "best_epoch": r.best_epoch,
        "best_loss": r.best_loss,
        "stop_epoch": r.stop_epoch,
        "restored_epoch": r.best_epoch,
        "wait": [e.wait for e in r.epochs],
    }
    echoed = {"val_loss": losses, "patience": patience, "min_delta": min_delta}
    title = f"Early stopping (Keras): {count(len(losses), 'epoch')}, patience {patience}, min_delta {min_delta:g}"
    return Derivation(COMMAND, title, echoed, steps, answers, tuple(_notes(losses, patience, min_delta, r)))
