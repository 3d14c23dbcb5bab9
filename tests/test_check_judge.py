"""Judging a file: keys and the step each answer comes from, error carried forward (the
student's own earlier values; both verdicts), scores, and the notes' own SOM answers."""

from __future__ import annotations

from pathlib import Path

import pytest

from dlsolve.checking.compare import Rule
from dlsolve.checking.session import Checker
from dlsolve.core.inputs import InputError

EXAMPLES = Path(__file__).parent.parent / "worked_examples"


@pytest.fixture
def check(checked_file):
    return checked_file


def by_key(result):
    assert result.error is None, result.error
    return {c.key: c for c in result.checked}


# --- the notes' own SOM answers (worked_examples/som-train-notes-answers.toml) -------------------


@pytest.fixture(scope="module")
def notes():
    result = Checker().check_file(str(EXAMPLES / "som-train-notes-answers.toml"))
    assert result.error is None
    return result


def test_the_notes_go_wrong_at_iteration_2_with_the_sign_slip(notes):
    answers = {c.key: c for c in notes.checked}
    assert [k for k in ("distances.1", "winners.1", "history.1", "distances.2", "winners.2") if answers[k].status != "right"] == []
    history = answers["history.2"]
    assert history.status == "wrong" and history.carried is None  # history.1 was right: nothing to carry
    assert [d.slip for d in history.diagnoses] == ["update-sign"]
    assert notes.first_wrong.number == 3 and notes.first_wrong.title.startswith("Iteration 2")


def test_iterations_after_it_are_right_given_the_notes_iteration_2(notes):
    answers = {c.key: c for c in notes.checked}
    # iteration 3 from w1 = (−0.96, 0.32, 1.408, 1.28): d² = (4.548864, 1.1), unit 2 wins, unit 2 → (0.84, 0.88, 0.76, 0.72)
    for key in ("distances.3", "history.3", "distances.4", "history.4", "weights", "clusters"):
        c = answers[key]
        assert c.status == "carried" and not c.verdict.right and c.carried.verdict.right, key
    assert answers["distances.3"].carried.expected == pytest.approx([4.548864, 1.1])
    assert answers["distances.3"].carried.wrong_sources == ("history.2",)
    assert answers["history.4"].carried.wrong_sources == ("history.3",)
    # classes under the notes' final weights: every sample nearest unit 2
    assert answers["clusters"].carried.expected == [2, 2, 2, 2]
    # winners 3 and 4 are unit 2 either way: plainly right
    assert answers["winners.3"].status == answers["winners.4"].status == "right"


def test_scores_count_carried_forward_answers_with_their_credit(tmp_path):
    path = str(EXAMPLES / "som-train-notes-answers.toml")
    full, none, half = (Checker(Rule(), credit).check_file(path) for credit in (1.0, 0.0, 0.5))
    # 14 answers: 7 right, 6 right given the student's earlier answers, 1 wrong (history.2)
    assert (full.count("right"), full.count("carried"), full.count("wrong")) == (7, 6, 1)
    assert (full.score, none.score, half.score, full.max_score) == (13, 7, 10, 14)


# --- error carried forward in the other solvers -------------------------------------------------


def test_backprop_gradients_and_weights_from_the_students_deltas(check):
    # δ_o = (0.5570, −0.1678) (the σ slip): ∂E/∂w5 = 0.5570 · 0.5933 = 0.33047 …, w5⁺ = 0.40 − 0.5 · 0.3305 = 0.23475
    found = by_key(check("backprop", "hidden.1 = [0.5933, 0.5969]\ndeltas.2 = [0.5570, -0.1678]\n"
                                     "grad_weights.2 = [[0.3305, 0.3325], [-0.0996, -0.1002]]\n"
                                     "weights.2 = [[0.23475, 0.28375], [0.5498, 0.6001]]"))
    assert found["grad_weights.2"].status == "carried" and found["grad_weights.2"].carried.wrong_sources == ("deltas.2",)
    assert found["weights.2"].status == "carried" and found["weights.2"].carried.wrong_sources == ("grad_weights.2",)


def test_backprop_forward_pass_from_the_students_hidden_outputs(check):
    # h = (0.6, 0.6) (wrong): net_o1 = 0.40·0.6 + 0.45·0.6 + 0.60 = 1.11, σ(1.11) = 0.7521;
    # net_o2 = 0.50·0.6 + 0.55·0.6 + 0.60 = 1.23, σ(1.23) = 0.7738
    found = by_key(check("backprop", "hidden.1 = [0.6, 0.6]\noutputs = [0.7521, 0.7738]"))
    assert found["outputs"].status == "carried"


def test_ttest_statistic_critical_and_decision_from_the_students_values(check):
    # SE = 1.3416 (wrong): t = −2/1.3416 = −1.4908; df = 20 (wrong): t(0.025, 20) = 2.086
    found = by_key(check("ttest", "se = 1.3416\nstatistic = -1.4908\ndf = 20\ncritical = 2.086\nreject = false"))
    assert found["statistic"].status == "carried" and found["critical"].status == "carried"
    assert found["reject"].status == "right"


def test_a_carried_forward_value_that_is_also_wrong_says_so(check):
    # statistic −1.6 is neither −1.453 nor −2/1.3416 = −1.4908
    c = by_key(check("ttest", "se = 1.3416\nstatistic = -1.6"))["statistic"]
    assert c.status == "wrong" and c.carried is not None and not c.carried.verdict.right


def test_batchnorm_normalized_values_from_the_students_variance(check):
    # σ² = 33.33 (unbiased, wrong): x̂ = (7 − 8)/√33.33001 = −0.1732, −7/5.7732 = −1.2125
    found = by_key(check("batchnorm", "var = 33.33\nx_hat = [-0.1732, -1.2125, 1.2125, 0.1732]\ny = [-0.1732, -1.2125, 1.2125, 0.1732]"))
    assert found["x_hat"].status == "carried" and found["y"].status == "carried"
    assert found["y"].carried.wrong_sources == ("x_hat",)


def test_kl_total_from_the_students_terms(check):
    # Σ of the notes' terms 0.11314 + 1.84453 + 0 = 1.95767
    found = by_key(check("kl-divergence", "terms = [0.11314, 1.84453, 0]\nkl = 1.95767"))
    assert found["kl"].status == "carried"


def test_conv_params_later_layers_from_the_students_shapes(check):
    # conv 1 output written 31 × 31 × 32 (wrong); pooling 2 × 2 of it: ⌊31/2⌋ = 15 → 15 × 15 × 32: right anyway;
    # pooling output written 14 × 14 × 32 (wrong): conv 3 on it gives 12 × 12 × 64 and 3·3·32·64 + 64 = 18,496
    found = by_key(check("conv-params", "layers.1.output_shape = [31, 31, 32]\nlayers.2.output_shape = [14, 14, 32]\n"
                                         "layers.3.output_shape = [12, 12, 64]\nlayers.3.params = 18496"))
    assert found["layers.2.output_shape"].status == "wrong"  # 15 from 31 as from 30: no rescue
    assert found["layers.3.output_shape"].status == "carried"
    assert found["layers.3.params"].status == "right"


def test_rbf_outputs_and_classes_from_the_students_hidden_values(check):
    # φ₁ = (0, 0.6, 0.6, 0.4) (e⁰ as 0): output 0·(−0.8) + 0.6·0.9 + 0.6·0.9 + 0.4·(−0.8) = 0.76 → class 1
    found = by_key(check("rbf-xor", "phi.1 = [0, 0.6, 0.6, 0.4]\noutputs.1 = 0.76\npredictions.1 = 1"))
    assert found["outputs.1"].status == "carried" and found["predictions.1"].status == "carried"
    assert found["predictions.1"].carried.wrong_sources == ("outputs.1",)


def test_rounded_earlier_answers_rescue_but_do_not_accuse(check):
    # h rounded to (0.59, 0.60) — right to 2 decimals — and y computed from them to 5 decimals:
    # σ(0.40·0.59 + 0.45·0.60 + 0.6) = σ(1.106) = 0.751384 → 0.75138 (exact y1 = 0.751365: wrong at 5 decimals)
    # σ(0.50·0.59 + 0.55·0.60 + 0.6) = σ(1.225) = 0.772943 → 0.77294 (exact 0.772928)
    c = by_key(check("backprop", "hidden.1 = [0.59, 0.60]\noutputs = [0.75138, 0.77294]"))["outputs"]
    assert c.status == "carried" and c.carried.wrong_sources == () and c.carried.sources == ("hidden.1",)
    # a wrong value that rounding does not explain gets no carried-forward verdict at all
    c = by_key(check("backprop", "hidden.1 = [0.59, 0.60]\noutputs = [0.75000, 0.77294]"))["outputs"]
    assert c.status == "wrong" and c.carried is None


# --- keys and steps ---------------------------------------------------------------------------------


def test_answers_are_tied_to_the_step_that_derives_them(check):
    found = by_key(check("backprop", "loss = 0.3\ngrad_weights.1 = [[0, 0], [0, 0]]\nloss_history = [0.2984]"))
    assert found["loss"].step.title.startswith("Error")
    assert found["grad_weights.1"].step.title.startswith("Weights into the hidden layer")
    assert found["loss_history"].step is None  # no step shows it for one epoch


def test_whole_lists_and_parts_of_items(check):
    # the whole history and one unit's row of iteration 1
    found = by_key(check("som-train", "history.1.1 = [0.72, 0.2, 0.88, 0.08]\nwinners = [1, 1, 2, 1]"))
    assert found["history.1.1"].status == "right"
    assert found["winners"].status == "wrong" and found["winners"].step.number == 5  # the 4th winner: iteration 4's step


@pytest.mark.parametrize("answers, message", [
    ("histroy.2 = 1", "unknown answer 'histroy.2' (did you mean 'history.2'? the answers of this problem: distances, distances.1 … distances.4"),
    ("history.5 = 1", "history.5: history has 4 items (history.1 … history.4)"),
    ("history.0 = 1", "indexes start at 1"),
    ("history.x = 1", "history is a list; index it with 1 … 4, not 'x'"),
    ("learning_rates.1.2 = 1", "learning_rates.1 is a single value, not a list"),
])
def test_keys_this_problem_has_no_answer_for_list_the_valid_ones(check, answers, message):
    result = check("som-train", answers)
    assert result.error is not None and message in result.error


def test_fields_of_a_layer(check):
    assert "layers.3 has the fields name, output_shape, params, trainable, not 'parms'" in check("conv-params", "layers.3.parms = 1").error


def test_answers_of_another_mode_are_unknown(check):
    # kl-divergence's default problem is the VAE one: no `reverse`
    assert "unknown answer 'reverse'" in check("kl-divergence", "reverse = 1").error


def test_bad_inputs_and_unknown_input_keys(check):
    assert "lr in [inputs]: must be > 0, got -1" in check("som-train", "winners.1 = 1", "lr = -1").error
    assert "unknown input 'rate' in [inputs]" in check("som-train", "winners.1 = 1", "rate = 0.5").error
    assert "--weights: has 3 columns" in check("som-train", "winners.1 = 1", "weights = [[0, 0, 0]]").error


def test_each_distinct_problem_is_solved_once(tmp_path):
    checker = Checker()
    for i, lr in enumerate(["", "lr = 0.6", "lr = 0.60", "lr = 0.5", ""]):
        path = tmp_path / f"{i}.toml"
        path.write_text(f'command = "som-train"\n[inputs]\n{lr}\n[answers]\nwinners.1 = 1\n', encoding="utf-8")
        assert checker.check_file(str(path)).error is None
    # the notes' problem (no inputs, lr = 0.6, lr = 0.60 are all the same problem) and lr = 0.5
    assert checker.problems_solved == 2


def test_a_bad_command(check, tmp_path):
    path = tmp_path / "a.toml"
    path.write_text('command = "som"\n[answers]\nx = 1\n', encoding="utf-8")
    error = Checker().check_file(str(path)).error
    assert "command 'som' is not a solver (" in error and "one of " in error and "backprop, " in error
    path.write_text("[answers]\nx = 1\n", encoding="utf-8")
    assert 'has no command; add e.g. command = "som-train"' in Checker().check_file(str(path)).error


def test_check_against_refuses_another_problems_file(tmp_path):
    from dlsolve.runner import derive, resolved_inputs

    path = tmp_path / "a.toml"
    path.write_text('command = "backprop"\n[answers]\nloss = 1\n', encoding="utf-8")
    with pytest.raises(InputError, match="is an answers file for 'backprop', not 'som-train'"):
        Checker().check_against(str(path), derive("som-train", {}), resolved_inputs("som-train", {}))
