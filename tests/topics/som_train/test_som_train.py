"""som-train against independent truth: the notes' problem and Fausett's example worked by
hand (the arithmetic is in the comments), exact fractions for ties, and a plain-Python loop
written here from the textbook rule for random problems."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from dlsolve.render import to_json, to_markdown, to_text
from dlsolve.render.plain import plain_line
from dlsolve.runner import derive
from dlsolve.topics.som_train import solve as som_train


def solve(**given):
    """Solve with the notes' problem as the default for every input not given."""
    inputs = {field.name: field.default for field in som_train.FIELDS} | given
    return som_train.solve(inputs)


def matrix(rows) -> tuple[tuple[float, ...], ...]:
    return tuple(tuple(float(v) for v in row) for row in rows)


# --- the notes' problem (NOTES-PROBLEMS §3), by hand ---------------------------------------

NOTES = derive("som-train", {})


def test_notes_iteration_1():
    a = NOTES.answers
    # x1 = (1,0,1,0); unit 1 = (0.3,0.5,0.7,0.2): (1−0.3)² + (0−0.5)² + (1−0.7)² + (0−0.2)² = 0.49+0.25+0.09+0.04 = 0.87
    #                 unit 2 = (0.6,0.7,0.4,0.3): (1−0.6)² + (0−0.7)² + (1−0.4)² + (0−0.3)² = 0.16+0.49+0.36+0.09 = 1.1
    assert a["distances"][0] == pytest.approx([0.87, 1.1], abs=1e-12)
    assert a["winners"][0] == 1
    # w1 ← (0.3,0.5,0.7,0.2) + 0.6·(0.7,−0.5,0.3,−0.2) = (0.72, 0.2, 0.88, 0.08)
    assert a["history"][0] == [pytest.approx([0.72, 0.2, 0.88, 0.08], abs=1e-12), [0.6, 0.7, 0.4, 0.3]]


def test_notes_iteration_2_is_not_the_notes_value():
    a = NOTES.answers
    # x2 = (1,0,0,0): unit 1: 0.28² + 0.2² + 0.88² + 0.08² = 0.0784+0.04+0.7744+0.0064 = 0.8992
    #                 unit 2: 0.4² + 0.7² + 0.4² + 0.3² = 0.16+0.49+0.16+0.09 = 0.9
    assert a["distances"][1] == pytest.approx([0.8992, 0.9], abs=1e-12)
    assert a["winners"][1] == 1
    # w1 ← (0.72,0.2,0.88,0.08) + 0.6·(0.28,−0.2,−0.88,−0.08) = (0.888, 0.08, 0.352, 0.032)
    assert a["history"][1][0] == pytest.approx([0.888, 0.08, 0.352, 0.032], abs=1e-12)
    assert a["history"][1][0] != pytest.approx([-0.96, 0.32, 1.408, 1.28], abs=1e-3)  # the notes' value


def test_notes_iterations_3_and_4_continue_past_the_notes():
    a = NOTES.answers
    # x3 = (1,1,1,1): unit 1: 0.112² + 0.92² + 0.648² + 0.968² = 0.012544+0.8464+0.419904+0.937024 = 2.215872
    #                 unit 2: 0.4² + 0.3² + 0.6² + 0.7² = 1.1 → unit 2 ← (0.6,0.7,0.4,0.3) + 0.6·(0.4,0.3,0.6,0.7)
    assert a["distances"][2] == pytest.approx([2.215872, 1.1], abs=1e-12)
    assert a["history"][2][1] == pytest.approx([0.84, 0.88, 0.76, 0.72], abs=1e-12)
    # x4 = (0,1,1,0): unit 1: 0.888² + 0.92² + 0.648² + 0.032² = 0.788544+0.8464+0.419904+0.001024 = 2.055872
    #                 unit 2: 0.84² + 0.12² + 0.24² + 0.72² = 0.7056+0.0144+0.0576+0.5184 = 1.296
    # unit 2 ← (0.84,0.88,0.76,0.72) + 0.6·(−0.84,0.12,0.24,−0.72) = (0.336, 0.952, 0.904, 0.288)
    assert a["distances"][3] == pytest.approx([2.055872, 1.296], abs=1e-12)
    assert a["winners"] == [1, 1, 2, 2]
    assert a["weights"] == [pytest.approx([0.888, 0.08, 0.352, 0.032], abs=1e-12),
                            pytest.approx([0.336, 0.952, 0.904, 0.288], abs=1e-12)]
    assert a["learning_rates"] == [0.6]


def test_notes_class_membership():
    # final weights: unit 1 (0.888,0.08,0.352,0.032), unit 2 (0.336,0.952,0.904,0.288)
    # x1: 0.112²+0.08²+0.648²+0.032² = 0.439872  vs  0.664²+0.952²+0.096²+0.288² = 1.43936 → 1
    # x2: 0.112²+0.08²+0.352²+0.032² = 0.143872  vs  0.664²+0.952²+0.904²+0.288² = 2.24736 → 1
    # x3: 2.215872  vs  0.664²+0.048²+0.096²+0.712² = 0.95936 → 2
    # x4: 2.055872  vs  0.336²+0.048²+0.096²+0.288² = 0.20736 → 2
    assert NOTES.answers["clusters"] == [1, 1, 2, 2]
    membership = NOTES.steps[-1]
    assert membership.answers == ("clusters",)
    assert [float(v) for v in membership.body[0].rows[0][1:3]] == pytest.approx([0.439872, 1.43936], abs=1e-12)


def test_notes_text_writes_every_term():
    text = to_text.render(NOTES, decimals=4)
    assert "d₁² = (1 − 0.3)² + (0 − 0.5)² + (1 − 0.7)² + (0 − 0.2)² = 0.49 + 0.25 + 0.09 + 0.04 = 0.87" in text
    assert "Unit 1 wins: d₁² = 0.8992 < d₂² = 0.9." in text
    assert "w₁ ← w₁ + η (x₂ − w₁) = (0.72, 0.2, 0.88, 0.08) + 0.6 · (0.28, −0.2, −0.88, −0.08) = (0.888, 0.08, 0.352, 0.032)" in text
    assert "weights after iteration 4" in text and "Iteration 4: sample x₄ = (0, 1, 1, 0)" in text
    assert "(see Notes below)" in text


def test_notes_errata_are_stated():
    errata = [plain_line(n.text, 4) for n in NOTES.notes if n.kind == "erratum"]
    assert len(errata) == 2
    assert "(0.6, 0.3, 0.4, 0.3)" in errata[0] and "(0.6, 0.7, 0.4, 0.3)" in errata[0]
    # with unit 2 = (0.6,0.3,0.4,0.3): 0.16 + 0.09 + 0.36 + 0.09 = 0.7 < 0.87
    assert "would be d₂² = 0.7 < 0.87" in errata[0]
    assert "(−0.96, 0.32, 1.408, 1.28)" in errata[1] and "(0.888, 0.08, 0.352, 0.032)" in errata[1]


def test_errata_only_for_the_notes_problem():
    other = solve(lr=0.5)
    assert not [n for n in other.notes if n.kind == "erratum"]
    assert "the notes' errors" not in to_text.render(other, 4)


def test_steps_point_at_the_answers_they_derive():
    answers = [a for step in NOTES.steps for a in step.answers]
    for t in range(1, 5):
        assert f"distances.{t}" in answers and f"history.{t}" in answers
    assert "weights" in answers and "clusters" in answers
    assert NOTES.listed == {"distances", "history"}


# --- Fausett's example (four vectors, two units, α = 0.6 halved each epoch), by hand -------------

FAUSETT = dict(samples=matrix([(1, 1, 0, 0), (0, 0, 0, 1), (1, 0, 0, 0), (0, 0, 1, 1)]),
               weights=matrix([(0.2, 0.6, 0.5, 0.9), (0.8, 0.4, 0.7, 0.3)]), lr=0.6, lr_decay=0.5)


def test_fausett_first_epoch():
    a = solve(**FAUSETT).answers
    # (1,1,0,0): 0.8²+0.4²+0.5²+0.9² = 0.64+0.16+0.25+0.81 = 1.86; 0.2²+0.6²+0.7²+0.3² = 0.04+0.36+0.49+0.09 = 0.98
    # (0,0,0,1): 0.2²+0.6²+0.5²+0.1² = 0.66; 0.92²+0.76²+0.28²+0.88² = 0.8464+0.5776+0.0784+0.7744 = 2.2768
    # (1,0,0,0): 0.92²+0.24²+0.2²+0.96² = 1.8656; 0.08²+0.76²+0.28²+0.12² = 0.6768
    # (0,0,1,1): 0.08²+0.24²+0.8²+0.04² = 0.7056; 0.968²+0.304²+0.888²+0.952² = 2.724288
    assert a["distances"] == [pytest.approx(d, abs=1e-12) for d in
                              ([1.86, 0.98], [0.66, 2.2768], [1.8656, 0.6768], [0.7056, 2.724288])]
    assert a["winners"] == [2, 1, 2, 1]
    # unit 2: 0.8+0.6·0.2 = 0.92, 0.4+0.6·0.6 = 0.76, 0.7−0.6·0.7 = 0.28, 0.3−0.6·0.3 = 0.12;
    # then 0.92+0.6·0.08 = 0.968, 0.76−0.6·0.76 = 0.304, 0.28−0.6·0.28 = 0.112, 0.12−0.6·0.12 = 0.048
    # unit 1: 0.2−0.12 = 0.08, 0.6−0.36 = 0.24, 0.5−0.3 = 0.2, 0.9+0.06 = 0.96;
    # then 0.08−0.048 = 0.032, 0.24−0.144 = 0.096, 0.2+0.48 = 0.68, 0.96+0.024 = 0.984
    assert a["weights"] == [pytest.approx([0.032, 0.096, 0.68, 0.984], abs=1e-12),
                            pytest.approx([0.968, 0.304, 0.112, 0.048], abs=1e-12)]


def test_fausett_second_epoch_uses_the_halved_rate():
    a = solve(**FAUSETT, epochs=2).answers
    assert a["learning_rates"] == pytest.approx([0.6, 0.3], abs=1e-15)
    # iteration 5, (1,1,0,0): unit 1 0.968²+0.904²+0.68²+0.984² = 3.184896; unit 2 0.032²+0.696²+0.112²+0.048² = 0.500288
    assert a["distances"][4] == pytest.approx([3.184896, 0.500288], abs=1e-12)
    # unit 2 ← (0.968,0.304,0.112,0.048) + 0.3·(0.032,0.696,−0.112,−0.048) = (0.9776, 0.5128, 0.0784, 0.0336)
    assert a["history"][4][1] == pytest.approx([0.9776, 0.5128, 0.0784, 0.0336], abs=1e-12)
    assert a["winners"] == [2, 1, 2, 1] * 2


def test_decay_text_shows_the_new_rate():
    text = to_text.render(solve(**FAUSETT, epochs=2), 4)
    assert "Epoch 2: η₂ = η₁ · 0.5 = 0.6 · 0.5 = 0.3 (--lr-decay)." in text


# --- radius: units on a line, by hand --------------------------------------------------------


def test_radius_moves_the_neighbours_with_the_same_rate():
    a = solve(samples=matrix([(0, 0), (1, 1), (0, 1)]), weights=matrix([(0.5, 0.5), (0.2, 0.8), (0.9, 0.1)]), radius=1).answers
    # x1 = (0,0): d² = 0.5, 0.68, 0.82 → unit 1; neighbours |j − 1| ≤ 1: units 1, 2
    #   w1 = 0.5 + 0.6·(−0.5) = 0.2 (both); w2 = (0.2 − 0.12, 0.8 − 0.48) = (0.08, 0.32); w3 stays
    assert a["distances"][0] == pytest.approx([0.5, 0.68, 0.82], abs=1e-12)
    assert a["history"][0] == [pytest.approx(w, abs=1e-12) for w in ([0.2, 0.2], [0.08, 0.32], [0.9, 0.1])]
    # x2 = (1,1): d² = 0.8²+0.8² = 1.28, 0.92²+0.68² = 1.3088, 0.1²+0.9² = 0.82 → unit 3; units 2, 3 move
    #   w2 = (0.08 + 0.552, 0.32 + 0.408) = (0.632, 0.728); w3 = (0.9 + 0.06, 0.1 + 0.54) = (0.96, 0.64)
    assert a["distances"][1] == pytest.approx([1.28, 1.3088, 0.82], abs=1e-12)
    assert a["history"][1] == [pytest.approx(w, abs=1e-12) for w in ([0.2, 0.2], [0.632, 0.728], [0.96, 0.64])]
    # x3 = (0,1): d² = 0.2²+0.8² = 0.68, 0.632²+0.272² = 0.473408, 0.96²+0.36² = 1.0512 → unit 2; all three move
    #   w1 = (0.2 − 0.12, 0.2 + 0.48); w2 = (0.632 − 0.3792, 0.728 + 0.1632); w3 = (0.96 − 0.576, 0.64 + 0.216)
    assert a["distances"][2] == pytest.approx([0.68, 0.473408, 1.0512], abs=1e-12)
    assert a["weights"] == [pytest.approx(w, abs=1e-12) for w in ([0.08, 0.68], [0.2528, 0.8912], [0.384, 0.856])]
    assert a["winners"] == [1, 3, 2]


def test_radius_text_names_the_neighbourhood():
    d = solve(samples=matrix([(0, 0)]), weights=matrix([(0.5, 0.5), (0.2, 0.8), (0.9, 0.1)]), radius=1)
    text = to_text.render(d, 4)
    assert "Neighbourhood |j − c| ≤ R = 1: units 1 and 2 move, all with the same η." in text
    assert "w₂ ← w₂ + η (x₁ − w₂) = (0.2, 0.8) + 0.6 · (−0.2, −0.8) = (0.08, 0.32)" in text


# --- ties: the lowest unit number wins, and the solution says so --------------------------------


def test_exact_tie_goes_to_the_lowest_unit():
    d = solve(samples=matrix([(0.5,)]), weights=matrix([(0,), (1,)]))
    # (0.5 − 0)² = 0.25 = (0.5 − 1)²: a tie, unit 1 wins and moves to 0 + 0.6·0.5 = 0.3
    assert d.answers["winners"] == [1]
    assert d.answers["weights"] == [pytest.approx([0.3]), [1.0]]
    text = to_text.render(d, 4)
    assert "Units 1 and 2 tie at d² = 0.25: the lowest unit number wins, unit 1." in text
    assert any(n.kind == "warning" and "tie" in plain_line(n.text, 4) for n in d.notes)


def test_a_decimal_tie_is_not_broken_by_binary_rounding():
    x, w1, w2 = ("0.1", "0.2"), ("0", "0"), ("0.3", "0.1")
    exact = [sum((Fraction(a) - Fraction(b)) ** 2 for a, b in zip(x, w)) for w in (w1, w2)]
    assert exact[0] == exact[1] == Fraction(1, 20)  # 0.1² + 0.2² = 0.2² + 0.1² = 0.05: a tie
    assert (0.1 - 0.3) ** 2 + (0.2 - 0.1) ** 2 < 0.1 ** 2 + 0.2 ** 2  # but floats would pick unit 2
    d = solve(samples=matrix([x]), weights=matrix([w1, w2]))
    assert d.answers["winners"] == [1]
    assert "tie" in to_text.render(d, 4)


def test_three_way_tie_and_clusters_tie():
    d = solve(samples=matrix([(0, 0)]), weights=matrix([(0, 1), (1, 0), (0, -1)]), lr=0.5)
    # d² = 1, 1, 1 → unit 1 wins, moves to (0, 0.5); final d² of (0,0) = 0.25, 1, 1 → cluster 1
    assert d.answers["winners"] == [1]
    assert d.answers["clusters"] == [1]
    text = to_text.render(d, 4)
    assert "Units 1, 2 and 3 tie at d² = 1" in text
    tied_cluster = solve(samples=matrix([(1,)]), weights=matrix([(0,), (2,)]), lr=0.5, radius=1)
    # d² = 1, 1 → unit 1 wins; both move (radius 1): 0 + 0.5·1 = 0.5, 2 − 0.5·1 = 1.5; then d² = 0.25, 0.25
    assert tied_cluster.answers["weights"] == [[0.5], [1.5]]
    assert tied_cluster.answers["clusters"] == [1]
    assert "equally near units 1 and 2" in to_text.render(tied_cluster, 4)


# --- an independent reference: the textbook rule in plain Python --------------------------------


def reference_som(samples, weights, lr, epochs=1, decay=1.0, radius=0):
    """Kohonen training written from the rule, loops only (no NumPy)."""
    w = [list(row) for row in weights]
    distances, winners, history, rates = [], [], [], []
    eta = lr
    for _ in range(epochs):
        rates.append(eta)
        for x in samples:
            d = [sum((xi - wi) ** 2 for xi, wi in zip(x, wj)) for wj in w]
            c = min(range(len(w)), key=lambda j: d[j])  # the first smallest: lowest unit on a tie
            for j in range(len(w)):
                if abs(j - c) <= radius:
                    w[j] = [wi + eta * (xi - wi) for xi, wi in zip(x, w[j])]
            distances.append(d)
            winners.append(c + 1)
            history.append([row[:] for row in w])
        eta *= decay
    clusters = []
    for x in samples:
        d = [sum((xi - wi) ** 2 for xi, wi in zip(x, wj)) for wj in w]
        clusters.append(min(range(len(w)), key=lambda j: d[j]) + 1)
    return {"distances": distances, "winners": winners, "history": history, "weights": w,
            "clusters": clusters, "learning_rates": rates}


@pytest.mark.parametrize("seed", range(12))
def test_random_problems_match_the_plain_loop(seed):
    rng = np.random.default_rng(seed)
    N, m, n = rng.integers(1, 9), rng.integers(1, 7), rng.integers(1, 6)
    X, W = rng.uniform(-2, 2, (N, n)).round(3), rng.uniform(-2, 2, (m, n)).round(3)
    decay, radius, epochs = float(rng.choice([1.0, 0.5, 0.9])), int(rng.integers(0, 3)), int(rng.integers(1, 4))
    # with radius ≥ 1 and η near 1, neighbours collapse onto each other (their gap shrinks by
    # 1 − η at each shared update) until their d² agree to 12 digits, which the solver calls a
    # tie: keep η ≤ 0.5 there, so gaps stay above 0.5^18 ≈ 4e-6
    lr = round(float(rng.uniform(0.05, 0.5 if radius else 1)), 2)
    got = solve(samples=matrix(X), weights=matrix(W), lr=lr, epochs=epochs, lr_decay=decay, radius=radius).answers
    want = reference_som(X.tolist(), W.tolist(), lr, epochs, decay, radius)
    assert got["winners"] == want["winners"] and got["clusters"] == want["clusters"]
    assert got["learning_rates"] == pytest.approx(want["learning_rates"], rel=1e-15)
    assert np.array(got["distances"]) == pytest.approx(np.array(want["distances"]), rel=1e-12, abs=1e-12)
    assert np.array(got["history"]) == pytest.approx(np.array(want["history"]), rel=1e-12, abs=1e-12)
    assert np.array(got["weights"]) == pytest.approx(np.array(want["weights"]), rel=1e-12, abs=1e-12)


def test_a_long_summarized_run_matches_the_plain_loop():
    rng = np.random.default_rng(7)
    X, W = rng.random((30, 3)).round(3), rng.random((5, 3)).round(3)
    got = solve(samples=matrix(X), weights=matrix(W), lr=0.5, epochs=6, lr_decay=0.7, radius=1)
    want = reference_som(X.tolist(), W.tolist(), 0.5, 6, 0.7, 1)
    assert got.answers["winners"] == want["winners"] and got.answers["clusters"] == want["clusters"]
    assert np.array(got.answers["history"]) == pytest.approx(np.array(want["history"]), rel=1e-12, abs=1e-12)
    titles = [plain_line(step.title, 4) for step in got.steps]
    assert "Training, epoch by epoch" in titles and "Wins per unit in each epoch" in titles
    assert not any(t.startswith("Iteration") for t in titles)  # 30 samples: nothing per iteration


# --- long runs stay readable and fast ----------------------------------------------------------


def test_large_run_is_summarized_bounded_and_complete():
    rng = np.random.default_rng(0)
    X, W = rng.random((1000, 16)).round(3), rng.random((25, 16)).round(3)
    d = solve(samples=matrix(X), weights=matrix(W), lr=0.5, epochs=10, lr_decay=0.8, radius=1)
    text = to_text.render(d, 4)
    assert len(text.splitlines()) < 250 and max(map(len, text.splitlines())) < 200
    assert len(to_markdown.render(d, 4).splitlines()) < 300
    a = d.answers
    assert len(a["distances"]) == 10_000 and len(a["distances"][0]) == 25
    assert len(a["winners"]) == 10_000 and len(a["clusters"]) == 1000
    assert a["history"] is None  # 10,000 × 25 × 16 numbers: left out, and said so
    assert any(n.kind == "warning" and "history is left out" in plain_line(n.text, 4) for n in d.notes)
    assert not d.listed  # the answers table shows one row per answer, not 10,000
    # the last iteration's distances are the distances to the weights before it: check the end state instead
    final_d2 = ((X[:, None, :] - np.array(a["weights"])[None]) ** 2).sum(axis=2)
    assert a["clusters"] == (final_d2.argmin(axis=1) + 1).tolist()


def test_first_epoch_written_out_then_summarized():
    d = solve(epochs=5, lr_decay=0.5)
    titles = [plain_line(step.title, 4) for step in d.steps]
    assert [t for t in titles if t.startswith("Iteration")] == [
        "Iteration 1 (epoch 1): sample x₁ = (1, 0, 1, 0)", "Iteration 2 (epoch 1): sample x₂ = (1, 0, 0, 0)",
        "Iteration 3 (epoch 1): sample x₃ = (1, 1, 1, 1)", "Iteration 4 (epoch 1): sample x₄ = (0, 1, 1, 0)"]
    assert "Epoch 2 (iterations 5–8), η = 0.3" in titles and "Epoch 5 (iterations 17–20), η = 0.0375" in titles
    assert "weights" in d.steps[-2].answers  # the last epoch's table is the final weights


def test_output_is_deterministic():
    first = to_json.render(solve(epochs=3, radius=1))
    assert first == to_json.render(solve(epochs=3, radius=1))


# --- validation (the CLI's messages are tested in tests/topics/som_train/test_cli_som_train.py) -------------------


def test_weights_must_match_the_samples():
    with pytest.raises(som_train.InputError, match="has 3 columns but --samples has 4"):
        solve(weights=matrix([(0.1, 0.2, 0.3)]))
    with pytest.raises(som_train.InputError, match="not given: the notes' weights have 4 columns but --samples has 2"):
        solve(samples=matrix([(0, 1)]))


def test_runs_too_large_for_an_exercise_are_refused():
    with pytest.raises(som_train.InputError, match="iterations"):
        solve(epochs=som_train.MAX_ITERATIONS)


def test_diverging_rate_is_refused():
    with pytest.raises(som_train.InputError, match="--lr"):
        solve(lr=1e200, epochs=50)


def test_a_close_win_is_written_with_every_digit():
    d = solve(samples=matrix([(0.5,)]), weights=matrix([(0,), (1.00001,)]))
    # (0.5 − 0)² = 0.25 < (0.5 − 1.00001)² = 0.50001² = 0.2500100001: equal to 4 digits, so shown in full
    assert "Unit 1 wins: d₁² = 0.25 < d₂² = 0.25001" in to_text.render(d, 4)
