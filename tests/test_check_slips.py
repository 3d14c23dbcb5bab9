"""Every slip in the catalogue: a wrong answer that a slip gives (worked by hand in the
comment) is named, with the elements it explains; a value no slip gives is only wrong."""

from __future__ import annotations

import pytest

from dlsolve.checking.compare import Rule
from dlsolve.checking.session import Checker


@pytest.fixture
def check(tmp_path):
    """``check(command, answers, inputs="")``: the judged answers by key."""

    def run(command: str, answers: str, inputs: str = "", rule: Rule = Rule()):
        text = f'command = "{command}"\n' + (f"[inputs]\n{inputs}\n" if inputs else "") + f"[answers]\n{answers}\n"
        path = tmp_path / "answers.toml"
        path.write_text(text, encoding="utf-8")
        result = Checker(rule).check_file(str(path))
        assert result.error is None, result.error
        return {c.key: c for c in result.checked}

    return run


def slips(checked) -> dict[str, tuple]:
    """slip → the elements it explains."""
    return {d.slip: d.explains for d in checked.diagnoses}


# --- som-train: x1 = (1, 0, 1, 0), w1 = (0.3, 0.5, 0.7, 0.2), w2 = (0.6, 0.7, 0.4, 0.3), η = 0.6 ---------


def test_som_the_notes_iteration_2_is_the_update_sign_slip(check):
    # w1 after iteration 1 = (0.72, 0.2, 0.88, 0.08); x2 − w1 = (0.28, −0.2, −0.88, −0.08)
    # w − η(x − w) = (0.72 − 0.168, 0.2 + 0.12, 0.88 + 0.528, 0.08 + 0.048) = (0.552, 0.32, 1.408, 0.128):
    # the notes' (−0.96, 0.32, 1.408, 1.28) has components 2 and 3 of it; 1 and 4 are botched besides
    c = check("som-train", "history.2 = [[-0.96, 0.32, 1.408, 1.28], [0.6, 0.7, 0.4, 0.3]]")["history.2"]
    assert c.status == "wrong"
    [diagnosis] = c.diagnoses
    assert diagnosis.slip == "update-sign"
    assert diagnosis.explains == ((0, 1), (0, 2)) and diagnosis.unexplained == ((0, 0), (0, 3))
    assert c.step.number == 3 and c.step.title.startswith("Iteration 2")


def test_som_update_sign_on_one_units_row(check):
    # iteration 1: w1 − η(x1 − w1) = (0.3, 0.5, 0.7, 0.2) − 0.6 · (0.7, −0.5, 0.3, −0.2) = (−0.12, 0.8, 0.52, 0.32)
    c = check("som-train", "history.1.1 = [-0.12, 0.8, 0.52, 0.32]")["history.1.1"]
    assert slips(c) == {"update-sign": ((0,), (1,), (2,), (3,))}


def test_som_distance_not_squared(check):
    # √0.87 = 0.9327, √1.1 = 1.0488
    assert slips(check("som-train", "distances.1 = [0.9327, 1.0488]")["distances.1"]) == {"distance-root": ((0,), (1,))}
    # Σ|x − w|: 0.7 + 0.5 + 0.3 + 0.2 = 1.7 and 0.4 + 0.7 + 0.6 + 0.3 = 2.0
    assert slips(check("som-train", "distances.1 = [1.7, 2.0]")["distances.1"]) == {"distance-abs": ((0,), (1,))}


def test_som_largest_distance_wins(check):
    # d² = (0.87, 1.1): the largest is unit 2's
    assert slips(check("som-train", "winners.1 = 2")["winners.1"]) == {"largest-wins": ((),)}


def test_som_eta_left_out_runner_up_and_every_unit(check):
    # w + (x − w) = x1 = (1, 0, 1, 0), written 1.0, 0.0 … (a whole number "1" would be ±0.5 and hold 0.72)
    c = check("som-train", "history.1 = [[1.0, 0.0, 1.0, 0.0], [0.6, 0.7, 0.4, 0.3]]")["history.1"]
    assert slips(c) == {"no-eta": ((0, 0), (0, 1), (0, 2), (0, 3))}
    # the runner-up, unit 2, moved: (0.6, 0.7, 0.4, 0.3) + 0.6 · (0.4, −0.7, 0.6, −0.3) = (0.84, 0.28, 0.76, 0.12)
    c = check("som-train", "history.1 = [[0.3, 0.5, 0.7, 0.2], [0.84, 0.28, 0.76, 0.12]]")["history.1"]
    assert slips(c)["runner-up"] == tuple((j, i) for j in range(2) for i in range(4))
    # both moved (the runner-up slip gives unit 2's row too, but leaves unit 1 where the student moved it)
    c = check("som-train", "history.1 = [[0.72, 0.2, 0.88, 0.08], [0.84, 0.28, 0.76, 0.12]]")["history.1"]
    assert slips(c) == {"all-units": ((1, 0), (1, 1), (1, 2), (1, 3))}


def test_a_wrong_value_no_slip_gives_is_only_wrong(check):
    c = check("som-train", "distances.1 = [0.8, 1.1]")["distances.1"]
    assert c.status == "wrong" and c.diagnoses == () and c.carried is None


# --- backprop: the notes' 2-2-2 network (y = 0.751365070, 0.772928465; h = 0.593269992, 0.596884378) ---


def test_backprop_half_missing_in_the_mse(check):
    # (0.01 − 0.751365070)² + (0.99 − 0.772928465)² = 0.549622167 + 0.047120051 = 0.596742218
    assert slips(check("backprop", "loss = 0.5967")["loss"]) == {"mse-half": ((),)}


def test_backprop_sigmoid_derivative_written_sigma(check):
    # δ = (y − t) · y: 0.741365070 · 0.751365070 = 0.5570; −0.217071535 · 0.772928465 = −0.1678
    assert slips(check("backprop", "deltas.2 = [0.5570, -0.1678]")["deltas.2"]) == {"sigmoid-slope": ((0,), (1,))}


def test_backprop_slope_left_out(check):
    # δ = y − t = 0.741365070 → 0.7414, −0.217071535 → −0.2171
    assert slips(check("backprop", "deltas.2 = [0.7414, -0.2171]")["deltas.2"]) == {"no-slope": ((0,), (1,))}


def test_backprop_error_sign(check):
    # t − y instead of y − t: δ_o = −0.138498562, +0.038098237
    assert slips(check("backprop", "deltas.2 = [-0.1385, 0.0381]")["deltas.2"]) == {"error-sign": ((0,), (1,))}


def test_backprop_update_sign_and_eta_left_out(check):
    # w + η g: 0.40 + 0.5 · 0.082167041 = 0.4411, 0.45 + 0.041333814 = 0.4913, 0.50 − 0.011301270 = 0.4887, 0.55 − 0.011370121 = 0.5386
    c = check("backprop", "weights.2 = [[0.4411, 0.4913], [0.4887, 0.5386]]")["weights.2"]
    every = ((0, 0), (0, 1), (1, 0), (1, 1))
    # t − y for y − t gives the same weights (−η · −g): both are named while the gradient is not given …
    assert slips(c) == {"update-sign": every, "error-sign": every}
    # … and only the update's sign once the gradient is given right
    c = check("backprop", "grad_weights.2 = [[0.0822, 0.0827], [-0.0226, -0.0227]]\nweights.2 = [[0.4411, 0.4913], [0.4887, 0.5386]]")
    assert slips(c["weights.2"]) == {"update-sign": every}
    # w − g: 0.40 − 0.082167 = 0.3178, 0.45 − 0.082668 = 0.3673, 0.50 + 0.022603 = 0.5226, 0.55 + 0.022740 = 0.5727
    # (with η = 0.5 this is also the ½ missing from the mse: w − 0.5 · 2g = w − g; both are named)
    c = check("backprop", "weights.2 = [[0.3178, 0.3673], [0.5226, 0.5727]]")["weights.2"]
    assert slips(c) == {"no-eta": every, "mse-half": every}


def test_backprop_hidden_delta_through_the_updated_weights(check):
    # (δ_o1 w5⁺ + δ_o2 w7⁺) h1(1 − h1) = (0.138498562 · 0.358916480 − 0.038098237 · 0.511301270) · 0.241300709
    #   = 0.030229739 · 0.241300709 = 0.0072945;  h2: 0.035212467 · 0.240613417 = 0.0084726
    c = check("backprop", "deltas.1 = [0.0072945, 0.0084726]")["deltas.1"]
    assert slips(c) == {"updated-weights-back": ((0,), (1,))}


# --- rbf-xor: the notes' centers (0,0), (0,1), (1,0), (1,1), σ = 1, weights (−0.8, 0.9, 0.9, −0.8) ----------


def test_rbf_e_to_the_zero_taken_as_zero(check):
    # input (0,0): h1 = e^0 = 1, not 0 (the notes' own slip)
    c = check("rbf-xor", "phi.1 = [0, 0.6065, 0.6065, 0.3679]")["phi.1"]
    assert slips(c) == {"e0-zero": ((0,),)}


def test_rbf_two_sigma_squared_and_unsquared_distance_and_exponent_sign(check):
    # input (0,1): d² = 1, 0, 2, 1 → exp(−d²) = 0.3679, 1, 0.1353, 0.3679 (right: 0.6065, 1, 0.3679, 0.6065)
    assert slips(check("rbf-xor", "phi.2 = [0.3679, 1, 0.1353, 0.3679]")["phi.2"]) == {"no-two": ((0,), (2,), (3,))}
    # input (0,0): d = 0, 1, 1, √2 → exp(−d/2): only the last differs, e^(−0.7071) = 0.4931
    assert slips(check("rbf-xor", "phi.1 = [1, 0.6065, 0.6065, 0.4931]")["phi.1"]) == {"distance-root": ((3,),)}
    # exp(+d²/2) = 1, 1.6487, 1.6487, 2.7183
    assert slips(check("rbf-xor", "phi.1 = [1, 1.6487, 1.6487, 2.7183]")["phi.1"]) == {"exponent-sign": ((1,), (2,), (3,))}


def test_rbf_the_other_threshold(check):
    # outputs −0.0025, 0.2606, 0.2606, −0.0025 read against 0.5 instead of 0: every class 0
    c = check("rbf-xor", "predictions = [0, 0, 0, 0]")["predictions"]
    assert slips(c)["threshold"] == ((1,), (2,))


# --- ttest: the notes' problem A (n = 20, x̄ = 42, s = 6, μ0 = 44, two-tailed, 5%) -----------------------


def test_ttest_standard_error_with_root_n(check):
    # s/√n = 6/√20 = 1.3416 (the notes: 6/√19 = 1.3765)
    assert slips(check("ttest", "se = 1.3416")["se"]) == {"se-divisor": ((),)}


def test_ttest_one_tailed_table_value_for_a_two_tailed_test(check):
    # t table, 19 df: 1.729 in one tail of 5%, 2.093 with 2.5% in each tail
    assert slips(check("ttest", "critical = 1.729")["critical"]) == {"tails": ((),)}


def test_ttest_df_n_and_the_z_table(check):
    # df = n = 20: t(0.025, 20) = 2.086 from the table — right given that df (error carried forward)
    found = check("ttest", "df = 20\ncritical = 2.086")
    assert slips(found["df"]) == {"df-n": ((),)} and found["critical"].status == "carried"
    assert slips(check("ttest", "critical = 2.086")["critical"]) == {"df-n": ((),)}
    # the normal table: z(0.025) = 1.960
    assert slips(check("ttest", "critical = 1.960")["critical"]) == {"z-table": ((),)}


def test_ttest_statistic_sign(check):
    # (μ0 − x̄)/SE = 2/1.3765 = +1.453
    assert slips(check("ttest", "statistic = 1.453")["statistic"]) == {"statistic-sign": ((),)}


def test_ttest_raw_data_sd_with_divisor_n(check):
    # problem B: Σ(x − 28.2)² = 8378 − 10 · 28.2² = 425.6; √(425.6/10) = 6.5238 (with n − 1: 6.8767)
    inputs = "data = [22, 24, 26, 32, 28, 20, 23, 34, 30, 43]\nmu0 = 28"
    assert slips(check("ttest", "sd = 6.5238", inputs)["sd"]) == {"sd-divisor": ((),)}


def test_ttest_a_t_table_value_for_a_z_test(check):
    # n = 36 > 30: z; the t table with 35 df gives t(0.025, 35) = 2.030
    inputs = "n = 36\nmean = 52\nsd = 6\nmu0 = 50"
    assert slips(check("ttest", "critical = 2.030", inputs)["critical"]) == {"t-table": ((),)}


# --- batchnorm: 7, 1, 15, 9: μ = 8, σ² = 25 (1/m), m = 4, ε = 1e-5, momentum 0.1 --------------------------


def test_batchnorm_unbiased_variance(check):
    # Σ(x − 8)² = 1 + 49 + 49 + 1 = 100; 100/3 = 33.33 (right: 100/4 = 25)
    assert slips(check("batchnorm", "var = 33.33")["var"]) == {"unbiased-var": ((),)}


def test_batchnorm_biased_variance_in_running_var(check):
    # 0.9 · 1 + 0.1 · 25 = 3.4 (PyTorch: 0.9 + 0.1 · 100/3 = 4.2333)
    assert slips(check("batchnorm", "running_var = 3.4")["running_var"]) == {"biased-running-var": ((),)}


def test_batchnorm_eps_left_out_and_variance_for_sd(check):
    # without ε: (7 − 8)/5 = −0.2 exactly; with it −1/√25.00001 = −0.19999996 (8 decimals tell them apart)
    c = check("batchnorm", "x_hat = [-0.20000000, -1.40000000, 1.40000000, 0.20000000]")["x_hat"]
    assert slips(c) == {"no-eps": ((0,), (1,), (2,), (3,))}
    # divided by σ² + ε: −1/25 = −0.04, −7/25 = −0.28
    assert slips(check("batchnorm", "x_hat = [-0.04, -0.28, 0.28, 0.04]")["x_hat"]) == {"variance-not-sd": ((0,), (1,), (2,), (3,))}


def test_batchnorm_momentum_the_other_way_and_running_var_from_zero(check):
    # (1 − 0.1) · 8 = 7.2 (right: 0.1 · 8 = 0.8)
    assert slips(check("batchnorm", "running_mean = 7.2")["running_mean"]) == {"momentum-swapped": ((),)}
    # 0.1 · 100/3 = 3.333 (from 0, not 1)
    assert slips(check("batchnorm", "running_var = 3.333")["running_var"]) == {"running-from-zero": ((),)}


def test_zscore_minmax_and_maxabs_slips(check):
    batch = "method = \"zscore\"\nbatch = [2, 4, 4, 4, 5, 5, 7, 9]"
    # Σ(x − 5)² = 32: sample SD √(32/7) = 2.138 (population SD 2)
    assert slips(check("batchnorm", "sd = 2.138", batch)["sd"]) == {"unbiased-var": ((),)}
    # (x − 5)/σ² = (x − 5)/4: −0.75, −0.25, −0.25, −0.25, 0, 0, 0.5, 1 (right: (x − 5)/2)
    c = check("batchnorm", "x_hat = [-0.75, -0.25, -0.25, -0.25, 0, 0, 0.5, 1]", batch)["x_hat"]
    assert slips(c) == {"variance-not-sd": ((0,), (1,), (2,), (3,), (6,), (7,))}
    # min-max over max: (x − 2)/9; the last is 7/9 = 0.7778 instead of 1
    c = check("batchnorm", "x_hat = [0, 0.2222, 0.2222, 0.2222, 0.3333, 0.3333, 0.5556, 0.7778]",
              "method = \"minmax\"\nbatch = [2, 4, 4, 4, 5, 5, 7, 9]")["x_hat"]
    assert slips(c) == {"over-max": tuple((i,) for i in range(1, 8))}
    # max-abs over the largest value 9 instead of the largest size 12: −12/9 = −1.3333, 3/9 = 0.3333 …
    maxabs = "method = \"maxabs\"\nbatch = [-12, 3, 6, 9]"
    assert slips(check("batchnorm", "max_abs = 9", maxabs)["max_abs"]) == {"largest-value": ((),)}
    c = check("batchnorm", "x_hat = [-1.3333, 0.3333, 0.6667, 1.0]", maxabs)["x_hat"]
    assert slips(c) == {"largest-value": ((0,), (1,), (2,), (3,))}


# --- kl-divergence ----------------------------------------------------------------------------------------


def test_vae_half_missing_log_sigma_and_the_notes_formula(check):
    # μ = (0.5, −1, 0), σ = (0.8, 1.5, 1); right terms ½(σ² + μ² − ln σ² − 1) = 0.168144, 0.719535, 0
    # without ½: 0.336287 → 0.3363, 1.439070 → 1.4391
    assert slips(check("kl-divergence", "terms = [0.3363, 1.4391, 0]")["terms"]) == {"half-missing": ((0,), (1,))}
    # ½(σ² + μ² − ln σ − 1): ½(0.89 + 0.223144 − 1) = 0.0566, ½(3.25 − 0.405465 − 1) = 0.9223
    assert slips(check("kl-divergence", "terms = [0.0566, 0.9223, 0]")["terms"]) == {"log-sigma": ((0,), (1,))}
    # the notes: σ² + μ² − ln σ − 1 = 0.1131, 1.8445
    assert slips(check("kl-divergence", "terms = [0.1131, 1.8445, 0]")["terms"]) == {"notes-formula": ((0,), (1,))}


def test_kl_in_the_wrong_base(check):
    # 0.887678 nats / ln 2 = 1.2806 bits
    assert slips(check("kl-divergence", "kl = 1.2806")["kl"]) == {"log-base-2": ((),)}


def test_discrete_direction_ratio_and_entropy_sign(check):
    inputs = 'p = [0.36, 0.48, 0.16]\nq = ["1/3", "1/3", "1/3"]'
    # KL(Q‖P) = Σ (1/3) ln((1/3)/pᵢ) = (1/3)(ln 0.9259 + ln 0.6944 + ln 2.0833) = 0.0975
    assert slips(check("kl-divergence", "kl = 0.0975", inputs)["kl"]) == {"direction": ((),)}
    # Σ pᵢ ln(qᵢ/pᵢ) = −KL(P‖Q) = −0.0853
    assert slips(check("kl-divergence", "kl = -0.0853", inputs)["kl"]) == {"ratio-inverted": ((),)}
    # Σ pᵢ ln pᵢ = −H(P) = −1.0133
    assert slips(check("kl-divergence", "entropy_p = -1.0133", inputs)["entropy_p"]) == {"entropy-sign": ((),)}


def test_gaussian_direction_and_sigma_for_variance(check):
    inputs = "mu1 = 1\nsigma1 = 1\nmu2 = 0\nsigma2 = 2"
    # KL(N(0, 4) ‖ N(1, 1)) = ln(1/2) + (4 + 1)/2 − ½ = −0.693147 + 2.5 − 0.5 = 1.3069 (right: 0.4431)
    assert slips(check("kl-divergence", "kl = 1.3069", inputs)["kl"]) == {"direction": ((),)}
    # σ for σ²: ln 2 + (1 + 1)/(2 · 2) − ½ = 0.6931
    assert slips(check("kl-divergence", "kl = 0.6931", inputs)["kl"]) == {"sigma-for-variance": ((),)}


# --- conv-params ---------------------------------------------------------------------------------------------


def test_conv_bias_forgotten_input_channels_and_the_plus_one(check):
    # 3·3·3·32 = 864 without the 32 biases; totals: 19,392 − 32 − 64 = 19,296
    found = check("conv-params", "layers.1.params = 864\ntotal_params = 19296")
    assert slips(found["layers.1.params"]) == {"no-bias": ((),)} and slips(found["total_params"]) == {"no-bias": ((),)}
    # 3·3·32 + 32 = 320 (the 3 input channels left out)
    assert slips(check("conv-params", "layers.1.params = 320")["layers.1.params"]) == {"no-input-channels": ((),)}
    # ⌊(32 − 3)/1⌋ = 29 without the + 1
    c = check("conv-params", "layers.1.output_shape = [29, 29, 32]")["layers.1.output_shape"]
    assert slips(c) == {"no-plus-one": ((0,), (1,))}


def test_lstm_one_gate_block_and_the_other_frameworks_biases(check):
    inputs = 'input = "seq"\nlayers = "Embedding(1000, 64); LSTM(128)"'
    # one gate network: 128·64 + 128·128 + 128 = 24,704 (right: 4 × 24,704 = 98,816)
    assert slips(check("conv-params", "layers.2.params = 24704", inputs)["layers.2.params"]) == {"one-gate": ((),)}
    # PyTorch's two bias vectors: 4 × (8,192 + 16,384 + 256) = 99,328
    assert slips(check("conv-params", "layers.2.params = 99328", inputs)["layers.2.params"]) == {"framework-biases": ((),)}


def test_a_slip_matches_under_the_same_rule():
    """The update-sign slip of iteration 2 is (0.552, 0.32, 1.408, 0.128)."""
    from decimal import Decimal as D

    from dlsolve.checking.answers_file import AnswersFile
    from dlsolve.checking.judge import Solution, judge
    from dlsolve.runner import derive

    solution = Solution(derive("som-train", {}))
    every = {"update-sign": ((0,), (1,), (2,), (3,))}
    # sigfig 2: ε = 0.0051 for 0.552, 0.0051 for 0.32 (n = 2), 0.051 for 1.408 (n = 1), 0.00051 for 0.128 (n = 3)
    answers = AnswersFile("a", "som-train", None, None, {"history.2.1": [D("0.55"), D("0.32"), D("1.4"), D("0.128")]})
    [c] = judge(answers, solution, Rule("sigfig", digits=2), 1.0, "a")
    assert slips(c) == every
    # relabs: |0.55 − 0.552| = 0.002 ≤ 0.00552, |1.4 − 1.408| = 0.008 ≤ 0.01408, |0.129 − 0.128| = 0.001 ≤ 0.00128
    answers = AnswersFile("a", "som-train", None, None, {"history.2.1": [D("0.55"), D("0.32"), D("1.4"), D("0.129")]})
    [c] = judge(answers, solution, Rule("relabs"), 1.0, "a")
    assert slips(c) == every
