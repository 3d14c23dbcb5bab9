"""rbf-xor against independent truth: hand calculations written out here, closed forms for
the symmetric XOR fits, numpy.linalg.lstsq / pinv computed in the test, and Haykin's
published XOR example."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from dlsolve.render.to_text import render
from dlsolve.runner import derive

E_HALF = math.exp(-0.5)  # e^(−1/2) = 1/√e = 0.6065306597…
E_ONE = math.exp(-1.0)  # e^(−1) = 0.3678794412…
XOR = "0,0; 0,1; 1,0; 1,1"


def rbf(command_args: dict) -> dict:
    return derive("rbf-xor", command_args).answers


def reference_design(X, C, sigma, bias=True):
    """Φᵢⱼ = exp(−‖xᵢ − cⱼ‖²/(2σ²)) written out loop by loop, plus a column of 1s."""
    X, C = np.asarray(X, float), np.asarray(C, float)
    Phi = np.array([[math.exp(-sum((a - b) ** 2 for a, b in zip(x, c)) / (2 * sigma**2)) for c in C] for x in X])
    return np.hstack([Phi, np.ones((len(X), 1))]) if bias else Phi


# --- the notes' network (NOTES-PROBLEMS §2) ------------------------------------------------


def test_notes_network_hidden_outputs_by_hand():
    a = rbf({})
    # input (0,0): squared distances 0, 1, 1, 2 → h = e^0, e^(−1/2), e^(−1/2), e^(−2/2)
    assert a["phi"][0] == pytest.approx([1.0, 0.60653066, 0.60653066, 0.36787944], abs=5e-9)
    # input (1,0): squared distances 1, 2, 0, 1 (c = (0,0), (0,1), (1,0), (1,1))
    assert a["phi"][2] == pytest.approx([E_HALF, E_ONE, 1.0, E_HALF], abs=1e-15)
    assert np.array(a["phi"]) == pytest.approx(reference_design(np.array([[0, 0], [0, 1], [1, 0], [1, 1]]),
                                                                [[0, 0], [0, 1], [1, 0], [1, 1]], 1.0, bias=False), abs=1e-15)


def test_notes_network_outputs_and_classes():
    a = rbf({})
    # y(0,0) = −0.8·1 + 0.9·0.60653066 + 0.9·0.60653066 − 0.8·0.36787944
    #        = −0.8 + 1.09175519 − 0.29430355 = −0.00254837   (the notes: −0.04)
    # y(1,0) = −0.8·0.60653066 + 0.9·0.36787944 + 0.9·1 − 0.8·0.60653066
    #        = −0.97044905 + 0.33109150 + 0.9 = 0.26064244     (the notes: 0.3)
    assert a["outputs"] == pytest.approx([-0.00254837, 0.26064244, 0.26064244, -0.00254837], abs=5e-9)
    assert a["predictions"] == [0, 1, 1, 0] and a["correct"] is True
    assert a["weights"] == [-0.8, 0.9, 0.9, -0.8] and a["bias"] == 0


def test_notes_slips_are_named_with_the_rounded_values_beside_the_exact_ones():
    d = derive("rbf-xor", {})
    errata = [n for n in d.notes if n.kind == "erratum"]
    assert len(errata) == 2
    text = render(d, decimals=4)
    assert "the notes write h₁ = e⁻⁰ = 0; e⁰ = 1" in text
    # the notes' one-decimal h: −0.8·1 + 0.9·0.6 + 0.9·0.6 − 0.8·0.4 = −0.04; −0.8·0.6 + 0.9·0.4 + 0.9·1 − 0.8·0.6 = 0.3
    y_tilde = "y\u0303"  # ỹ: y with a combining tilde, as the LaTeX converter writes \tilde{y}
    assert f"{y_tilde}(0, 0) = (−0.8) · 1 + 0.9 · 0.6 + 0.9 · 0.6 + (−0.8) · 0.4 = −0.04" in text
    assert f"{y_tilde}(1, 0) = (−0.8) · 0.6 + 0.9 · 0.4 + 0.9 · 1 + (−0.8) · 0.6 = 0.3" in text
    # y − ỹ = 2·0.9·(0.6065307 − 0.6) − 0.8·(0.3678794 − 0.4) = 0.0117552 + 0.0256965 = 0.0374516
    assert "= 0.03745" in text
    assert "h₂ = e^(−1/2) = e^(−0.5) = 0.6065" in text and "h₄ = e^(−2/2) = e⁻¹ = 0.3679" in text
    assert "within 0.01 of θ" in text  # the thin margin of −0.00255


def test_the_notes_comparison_only_for_the_notes_network():
    d = derive("rbf-xor", {"weights": "-1,1,1,-1"})
    assert not [n for n in d.notes if n.kind == "erratum"]
    assert "notes' hand calculation" not in render(d, decimals=4)


def test_given_weights_with_a_bias_and_a_threshold():
    # y = Φw + b with the reference Φ; class 1 when y > 0.1
    w, b = np.array([0.5, -1.0, 2.0, 0.25]), -0.3
    a = rbf({"weights": "0.5,-1,2,0.25", "bias": "-0.3", "threshold": "0.1", "sigma": "0.8"})
    Phi = reference_design([[0, 0], [0, 1], [1, 0], [1, 1]], [[0, 0], [0, 1], [1, 0], [1, 1]], 0.8, bias=False)
    y = Phi @ w + b
    assert a["outputs"] == pytest.approx(y.tolist(), abs=1e-12)
    assert a["predictions"] == (y > 0.1).astype(int).tolist() and a["bias"] == -0.3


# --- --solve: least squares with a bias ------------------------------------------------------


def test_solve_four_centers_is_the_minimum_norm_solution():
    a = rbf({"solve": True})
    A = reference_design([[0, 0], [0, 1], [1, 0], [1, 1]], [[0, 0], [0, 1], [1, 0], [1, 1]], 1.0)
    t = np.array([0, 1, 1, 0.0])
    lstsq = np.linalg.lstsq(A, t, rcond=None)[0]  # 4 equations, 5 unknowns: the minimum-norm solution
    assert [*a["weights"], a["bias"]] == pytest.approx(lstsq.tolist(), abs=1e-10)
    assert [*a["weights"], a["bias"]] == pytest.approx((np.linalg.pinv(A) @ t).tolist(), abs=1e-10)
    assert a["outputs"] == pytest.approx([0, 1, 1, 0], abs=1e-12)
    assert a["predictions"] == [0, 1, 1, 0] and a["correct"] is True
    d = derive("rbf-xor", {"solve": True})
    assert d.inputs["threshold"] == 0.5 and d.inputs["weights"] is None
    text = render(d, decimals=4)
    assert "Fewer equations (4) than unknowns (5), rank 4" in text and "u = Aᵀ α" in text


def test_solve_without_bias_is_the_exact_interpolation():
    a = rbf({"solve": True, "no_bias": True})
    Phi = reference_design([[0, 0], [0, 1], [1, 0], [1, 1]], [[0, 0], [0, 1], [1, 0], [1, 1]], 1.0, bias=False)
    assert a["weights"] == pytest.approx(np.linalg.solve(Phi, [0, 1, 1, 0]).tolist(), abs=1e-10)
    assert a["weights"] == pytest.approx([-3.0359, 3.4233, 3.4233, -3.0359], abs=5e-5)  # NOTES-PROBLEMS §2
    assert a["bias"] == 0 and a["predictions"] == [0, 1, 1, 0]
    assert "A is square (4 × 4) with rank 4" in render(derive("rbf-xor", {"solve": True, "no_bias": True}), decimals=4)


def test_solve_two_centers_by_hand():
    # symmetry gives w₁ = w₂ = w; (0,0): w(1 + e^(−1)) + b = 0, (0,1): 2w e^(−1/2) + b = 1
    #   ⇒ w = 1/(2e^(−1/2) − 1 − e^(−1)) = 1/(1.2130613 − 1.3678794) = −6.4591922, b = −w(1 + e^(−1)) = 8.8353962
    w = 1 / (2 * E_HALF - 1 - E_ONE)
    b = -w * (1 + E_ONE)
    a = rbf({"solve": True, "centers": "1,1; 0,0"})
    assert a["weights"] == pytest.approx([w, w], rel=1e-10) and a["bias"] == pytest.approx(b, rel=1e-10)
    assert np.array(a["phi"]) == pytest.approx(np.array([[E_ONE, 1], [E_HALF, E_HALF], [E_HALF, E_HALF], [1, E_ONE]]), abs=1e-15)
    assert a["outputs"] == pytest.approx([0, 1, 1, 0], abs=1e-12) and a["predictions"] == [0, 1, 1, 0]
    text = render(derive("rbf-xor", {"solve": True, "centers": "1,1; 0,0"}), decimals=4)
    assert "normal equations Aᵀ A u = Aᵀ t" in text
    # the separating line: w h₁ + w h₂ + b = 0.5 ⇒ h₂ = (0.5 − b)/w − h₁ = 1.2905 − h₁
    assert f"h₂ = (θ − b − w₁ h₁)/w₂ = {(0.5 - b) / w:.4f} − h₁" in text
    assert "class 1 (y > θ) lies below the line" in text and "In the hidden space it is" in text


def test_haykin_published_xor_example():
    # Haykin, Neural Networks (2nd ed.) §5.8: G = exp(−‖x − tᵢ‖²), t₁ = (1,1), t₂ = (0,0), bias;
    # inputs (1,1), (0,1), (0,0), (1,0) → 0, 1, 0, 1; published w = (−2.5018, −2.5018), b = +2.8404
    # (from G rounded to 4 decimals, hence the 1e-3 tolerance).
    a = rbf({"solve": True, "centers": "1,1; 0,0", "sigma": str(1 / math.sqrt(2)),
             "inputs": "1,1; 0,1; 0,0; 1,0", "targets": "0,1,0,1"})
    assert a["weights"] == pytest.approx([-2.5018, -2.5018], abs=1e-3)
    assert a["bias"] == pytest.approx(2.8404, abs=1e-3)
    assert a["predictions"] == [0, 1, 0, 1] and a["correct"] is True


def test_rank_deficient_coincident_centers_still_answer():
    args = {"solve": True, "centers": "0,0; 0,0; 1,1"}
    a = rbf(args)
    A = reference_design([[0, 0], [0, 1], [1, 0], [1, 1]], [[0, 0], [0, 0], [1, 1]], 1.0)
    t = np.array([0, 1, 1, 0.0])
    solution, _, rank, _ = np.linalg.lstsq(A, t, rcond=None)
    assert rank == 3
    assert [*a["weights"], a["bias"]] == pytest.approx(solution.tolist(), abs=1e-9)
    assert a["weights"][0] == pytest.approx(a["weights"][1], abs=1e-12)  # the shared weight is split equally
    assert a["predictions"] == [0, 1, 1, 0]
    text = render(derive("rbf-xor", args), decimals=4)
    assert "rank(A) = 3 < 4: the system is rank-deficient" in text
    assert "Centers c₁ and c₂ coincide" in text and "u = A⁺ t" in text


def test_ill_conditioned_wide_sigma_is_solved_by_svd_and_warned():
    args = {"solve": True, "sigma": "50"}
    d = derive("rbf-xor", args)
    assert d.answers["predictions"] == [0, 1, 1, 0]
    assert d.answers["outputs"] == pytest.approx([0, 1, 1, 0], abs=1e-6)
    assert any(n.kind == "warning" and "ill-conditioned" in n.text.parts[0] for n in d.notes)
    assert "the pseudo-inverse A⁺" in render(d, decimals=4)


# --- beyond XOR ------------------------------------------------------------------------------


@pytest.mark.parametrize("targets, name", [("0,0,0,1", "AND"), ("0,1,1,1", "OR")])
def test_and_or_with_two_centers(targets, name):
    a = rbf({"solve": True, "centers": "1,1; 0,0", "targets": targets})
    A = reference_design([[0, 0], [0, 1], [1, 0], [1, 1]], [[1, 1], [0, 0]], 1.0)
    t = np.array([float(v) for v in targets.split(",")])
    solution = np.linalg.lstsq(A, t, rcond=None)[0]
    assert [*a["weights"], a["bias"]] == pytest.approx(solution.tolist(), abs=1e-10)
    assert a["predictions"] == t.astype(int).tolist(), name


def test_three_input_parity():
    X = np.array(list(itertools.product([0, 1], repeat=3)), float)
    t = X.sum(axis=1) % 2
    rows = "; ".join(",".join(f"{v:g}" for v in x) for x in X)
    a = rbf({"solve": True, "centers": rows, "inputs": rows, "targets": ",".join(f"{v:g}" for v in t)})
    A = reference_design(X, X, 1.0)  # 8 equations, 9 unknowns
    assert [*a["weights"], a["bias"]] == pytest.approx((np.linalg.pinv(A) @ t).tolist(), abs=1e-9)
    assert a["predictions"] == t.astype(int).tolist() and a["correct"] is True


def test_least_squares_that_cannot_fit_reports_its_error():
    # one center at (0,0), targets 1, 0, 1 on a line: no exact fit; the least-squares answer is lstsq's
    args = {"solve": True, "centers": "0,0", "inputs": "0,0; 1,1; 2,2", "targets": "1,0,1"}
    a = rbf(args)
    A = reference_design([[0, 0], [1, 1], [2, 2]], [[0, 0]], 1.0)
    solution = np.linalg.lstsq(A, [1, 0, 1], rcond=None)[0]
    assert [*a["weights"], a["bias"]] == pytest.approx(solution.tolist(), abs=1e-10)
    assert a["correct"] is False
    assert "(the least-squares minimum)" in render(derive("rbf-xor", args), decimals=4)


def test_large_problem_uses_tables_and_stays_deterministic():
    rng = np.random.default_rng(0)
    X = rng.random((12, 2)).round(3)
    rows = "; ".join(f"{x:g},{y:g}" for x, y in X)
    t = ",".join(str(int(v)) for v in (X[:, 0] > X[:, 1]))
    args = {"solve": True, "centers": rows, "inputs": rows, "targets": t, "sigma": "0.3"}
    first, second = render(derive("rbf-xor", args), decimals=4), render(derive("rbf-xor", args), decimals=4)
    assert first == second
    assert "Distances and hidden outputs of every input" in first
    a = derive("rbf-xor", args).answers
    A = reference_design(X, X, 0.3)
    assert [*a["weights"], a["bias"]] == pytest.approx(np.linalg.lstsq(A, (X[:, 0] > X[:, 1]).astype(float), rcond=None)[0].tolist(), abs=1e-6)
