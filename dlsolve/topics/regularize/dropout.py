"""Dropout on one layer's activations: the mask, the training output, the test-time network and
the expected-value argument for the 1/(1 − p) factor.

p is the probability that a unit is dropped (the notes' "probability P of being inactive",
PyTorch's p, Keras' rate). Inverted dropout (PyTorch's and Keras'): training hᵢ = mᵢaᵢ/(1 − p),
test h = a. Not inverted (the original paper's): training hᵢ = mᵢaᵢ, test h = (1 − p)a. Either
way the test-time output equals the training output's expected value, since E[mᵢ] = 1 − p.

A drawn mask (``--seed N``): unit i is dropped when the i-th number of Python's
``random.Random(N).random()`` is below p, a sequence Python keeps the same on every machine.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

import numpy as np

from dlsolve.core.derivation import Block, Derivation, Note, Num, Part, Step, Table, joined, line
from dlsolve.core.derivation import math as eq
from dlsolve.core.inputs import InputError
from dlsolve.topics.regularize import solve as fields

DETAIL_MAX = 8  # up to this many units: one written line each; more: a table


class Problem(NamedTuple):
    p: float
    a: np.ndarray
    mask: np.ndarray  # 0/1 floats
    draws: list[float] | None  # the uniform numbers a drawn mask came from
    seed: int | None
    inverted: bool


def drawn_mask(seed: int, n: int, p: float) -> tuple[list[float], list[int]]:
    """The uniform draws uᵢ of ``random.Random(seed)`` and the mask: 0 where uᵢ < p."""
    rng = random.Random(seed)
    draws = [rng.random() for _ in range(n)]
    return draws, [0 if u < p else 1 for u in draws]


def outputs(a: np.ndarray, mask: np.ndarray, p: float, inverted: bool) -> tuple[np.ndarray, np.ndarray]:
    """The training output and the test-time output."""
    if inverted:
        return mask * a / (1 - p), a.copy()
    return mask * a, (1 - p) * a


def _problem(inputs: Mapping[str, Any]) -> Problem:
    p = fields.DEFAULT_RATE if inputs["rate"] is None else inputs["rate"]
    a = np.array(fields.DEFAULT_ACTIVATIONS if inputs["activations"] is None else inputs["activations"], dtype=float)
    inverted = True if inputs["inverted"] is None else bool(inputs["inverted"])
    mask, seed = inputs["mask"], inputs["seed"]
    if mask is not None and seed is not None:
        raise InputError("--mask, --seed", "give the mask or a seed to draw it, not both")
    if mask is None:
        seed = fields.DEFAULT_SEED if seed is None else seed
        draws, drawn = drawn_mask(seed, len(a), p)
        return Problem(p, a, np.array(drawn, dtype=float), draws, seed, inverted)
    if len(mask) != len(a):
        raise InputError("--mask", f"has {len(mask)} values but --activations has {len(a)} (one 0 or 1 per unit)")
    for i, m in enumerate(mask, 1):
        if m not in (0.0, 1.0):
            raise InputError(f"--mask (value {i})", f"{m:g} is not 0 or 1 (1 = the unit is kept, 0 = dropped)")
    return Problem(p, a, np.array(mask, dtype=float), None, None, inverted)


# --- writing -------------------------------------------------------------------------------


def _mask_step(d: Problem) -> Step:
    n = len(d.a)
    if d.draws is None:
        body: list[Block] = [eq("m = (", *joined([int(m) for m in d.mask], ", "), ")")]
        title = "The mask, given: $m_i = 1$ keeps unit $i$, $m_i = 0$ drops it"
    else:
        rows = tuple((i, u, "dropped" if m == 0 else "kept", int(m)) for i, (u, m) in enumerate(zip(d.draws, d.mask.tolist()), 1))
        body = [line(f"Unit $i$ is dropped when $u_i < p = ", d.p, f"$, $u_i$ the $i$-th random() of Python's random.Random({d.seed})."),
                Table(line("each unit's draw"), ("$i$", "$u_i$", "unit", "$m_i$"), rows)]
        title = f"The mask, drawn with seed {d.seed}: each unit dropped with probability $p$"
    kept = int(d.mask.sum())
    body.append(line(f"{kept} of {n} units kept, {n - kept} dropped (on average $(1 - p) n = ", (1 - d.p) * n, "$ kept)."))
    return Step(line(title), tuple(body), ("mask",))


def _unit_lines(values: Sequence[Sequence[Part]]) -> list[Block]:
    return [eq(*parts) for parts in values]


def _train_step(d: Problem, out: np.ndarray) -> Step:
    n = len(d.a)
    if d.inverted:
        scale = 1 / (1 - d.p)
        body: list[Block] = [eq(r"h_i = \frac{m_i a_i}{1 - p}, \quad \frac{1}{1 - p} = \frac{1}{1 - ", d.p, "} = ", scale)]
        per_unit = [(f"h_{{{i}}} = ", int(m), r" \cdot ", Num(x, paren=True), r" \cdot ", scale, " = ", h)
                    for i, (m, x, h) in enumerate(zip(d.mask.tolist(), d.a.tolist(), out.tolist()), 1)]
        title = "Training output (inverted dropout): kept units scaled by $1/(1 - p)$"
    else:
        body = [eq(r"h_i = m_i a_i")]
        per_unit = [(f"h_{{{i}}} = ", int(m), r" \cdot ", Num(x, paren=True), " = ", h)
                    for i, (m, x, h) in enumerate(zip(d.mask.tolist(), d.a.tolist(), out.tolist()), 1)]
        title = "Training output (dropout not inverted): no scaling at training time"
    if n > DETAIL_MAX:
        body.append(Table(line("each unit"), ("$i$", "$a_i$", "$m_i$", "$h_i$"),
                          tuple((i, x, int(m), h) for i, (x, m, h) in enumerate(zip(d.a.tolist(), d.mask.tolist(), out.tolist()), 1))))
    else:
        body += _unit_lines(per_unit)
    return Step(line(title), tuple(body), ("output",))


def _test_step(d: Problem, test: np.ndarray) -> Step:
    n = len(d.a)
    if d.inverted:
        body: list[Block] = [line("Every unit is used and nothing is scaled: the test-time network is the identity, $h = a$ "
                                  "(PyTorch's model.eval() turns dropout off)."),
                             eq("h = (", *joined([Num(x) for x in test.tolist()], ", "), ")") if n <= DETAIL_MAX else
                             line("$h = a$: the activations as they are.")]
        title = "Test time (inverted): no mask, no scaling"
    else:
        body = [eq(r"h_i = (1 - p) a_i, \quad 1 - p = ", 1 - d.p)]
        if n > DETAIL_MAX:
            body.append(Table(line("each unit"), ("$i$", "$a_i$", "$h_i$"), tuple((i, x, h) for i, (x, h) in enumerate(zip(d.a.tolist(), test.tolist()), 1))))
        else:
            body += [eq(f"h_{{{i}}} = ", 1 - d.p, r" \cdot ", Num(x, paren=True), " = ", h) for i, (x, h) in enumerate(zip(d.a.tolist(), test.tolist()), 1)]
        title = "Test time (not inverted): every unit used, scaled by $(1 - p)$"
    return Step(line(title), tuple(body), ("test_output",))


def _expectation_step(d: Problem) -> Step:
    """Why the two networks agree on average, with the first unit's numbers."""
    x, keep = float(d.a[0]), 1 - d.p
    if d.inverted:
        body: tuple[Block, ...] = (
            eq(r"E[m_i] = P(m_i = 1) = 1 - p = ", keep),
            eq(r"E\left[\frac{m_i a_i}{1 - p}\right] = \frac{(1 - p) a_i}{1 - p} = a_i"),
            eq(r"E[h_1] = ", keep, r" \cdot \frac{", Num(x, paren=True), "}{", keep, "} = ", x, " = a_1"),
            line("So training's expected output equals the test-time output: the $1/(1 - p)$ factor makes the test-time network "
                 "need no change."),
        )
    else:
        body = (
            eq(r"E[m_i] = P(m_i = 1) = 1 - p = ", keep),
            eq(r"E[m_i a_i] = (1 - p) a_i"),
            eq(r"E[h_1] = ", keep, r" \cdot ", Num(x, paren=True), " = ", keep * x, r" = (1 - p) a_1"),
            line("So the test-time network multiplies by $(1 - p)$ to give the output training gives on average; inverted dropout "
                 "moves that factor, as $1/(1 - p)$, into training instead."),
        )
    return Step(line("Why: the expected value of a unit's training output"), body)


def _notes(d: Problem) -> list[Note]:
    notes = [Note(line("$p$ is the probability that a unit is dropped: the notes' \"probability P of being inactive\", PyTorch's p and "
                       "Keras' rate. Srivastava et al. (2014) write $p$ for the probability of keeping a unit."))]
    if d.inverted:
        notes.append(Note(line("Inverted dropout, PyTorch's and Keras': torch.nn.functional.dropout(a, p, training=True) multiplies the "
                               "kept units by $1/(1 - p)$. --no-inverted scales at test time instead, as the original paper does.")))
    else:
        notes.append(Note(line("--no-inverted: the original paper's dropout, no scaling while training and $(1 - p)$ at test time. "
                               "PyTorch and Keras use inverted dropout (the default).")))
    if d.draws is not None:
        notes.append(Note(line(f"A drawn mask depends on the generator: this one is Python's random.Random({d.seed}); PyTorch's "
                               "torch.manual_seed draws a different mask. Give --mask to use a mask from elsewhere.")))
    return notes


def solve(inputs: Mapping[str, Any]) -> Derivation:
    d = _problem(inputs)
    with np.errstate(over="ignore"):
        out, test = outputs(d.a, d.mask, d.p, d.inverted)
    if not (np.all(np.isfinite(out)) and np.all(np.isfinite(test))):
        raise InputError("--activations/--rate", "the scaled activations overflow double precision")
    steps = (_mask_step(d), _train_step(d, out), _test_step(d, test), _expectation_step(d))
    answers = {"mask": [int(m) for m in d.mask], "output": out.tolist(), "test_output": test.tolist()}
    source = {"mask": [int(m) for m in d.mask]} if d.draws is None else {"seed": d.seed}
    echoed = {"rate": d.p, "activations": d.a.tolist(), **source, "inverted": d.inverted}
    kind = "inverted" if d.inverted else "not inverted"
    title = f"Dropout: p = {d.p:g} on {len(d.a)} unit{'s' if len(d.a) != 1 else ''}, {kind}"
    return Derivation(fields.COMMAND, title, echoed, steps, answers, tuple(_notes(d)))
