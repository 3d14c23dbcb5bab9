"""``dlsolve practice``: every generated exercise is solvable, exam-friendly, reproducible from
its seed (in this process, in other processes, and against committed golden files), and
its problem file solves to the same answers."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
import tomllib
from fractions import Fraction

import pytest

from dlsolve.practice import command_for, generate
from dlsolve.topics import TOPICS
from dlsolve.practice.exercise import LEVELS
from dlsolve.practice.render import problem_file, question_text
from dlsolve.practice.run import solution
from dlsolve.runner import derive

SEEDS = range(40)  # × 7 commands × 3 levels = 840 exercises, each solved


def resolve_key(answers: dict, key: str):
    """``history.2`` → answers["history"][1]; ``layers.3.params`` → answers["layers"][2]["params"]."""
    value = answers
    for part in key.split("."):
        value = value[int(part) - 1] if isinstance(value, list) else value[part]
    return value


@pytest.mark.parametrize("level", LEVELS)
@pytest.mark.parametrize("command", TOPICS)
def test_every_exercise_solves_and_its_answer_keys_name_steps(command, level):
    for seed in SEEDS:
        exercise = generate(command, seed, level)
        derivation = solution(exercise)
        derived_by_steps = {key for step in derivation.steps for key in step.answers}
        assert exercise.questions and exercise.answers
        for key in exercise.answers:
            assert resolve_key(derivation.answers, key) is not None, (seed, key)
            assert key in derived_by_steps, (seed, key)  # a quiz can show the step of every key


@pytest.mark.parametrize("level", LEVELS)
@pytest.mark.parametrize("command", TOPICS)
def test_the_saved_problem_file_is_the_exercise(command, level, tmp_path):
    for seed in range(8):
        exercise = generate(command, seed, level)
        path = tmp_path / f"{command}-{level}-{seed}.toml"
        path.write_text(problem_file(exercise), encoding="utf-8")
        table = tomllib.loads(path.read_text(encoding="utf-8"))
        assert table == {"command": command, "description": exercise.description, **exercise.problem}
        assert derive(command, {}, str(path)).answers == solution(exercise).answers


def test_same_seed_same_exercise_and_different_seeds_differ():
    for command in TOPICS:
        for level in LEVELS:
            assert generate(command, 5, level) == generate(command, 5, level)
            problems = {json.dumps(generate(command, seed, level).problem, sort_keys=True) for seed in range(20)}
            assert len(problems) >= 10, (command, level)  # the seed really varies the exercise


def test_the_levels_of_one_seed_are_different_exercises():
    problems = [generate("som-train", 7, level).problem for level in LEVELS]
    assert problems[0] != problems[1] != problems[2]


def test_without_a_command_the_seed_picks_it():
    picked = {command_for(seed) for seed in range(60)}
    assert picked == set(TOPICS)


# --- exam-friendly numbers -------------------------------------------------------------


def decimals_of(x: float) -> int:
    text = repr(float(x))
    return len(text.split(".")[1].rstrip("0")) if "." in text and "e" not in text else 0


def test_som_numbers_are_tenths_and_no_win_is_close():
    for level in LEVELS:
        for seed in SEEDS:
            exercise = generate("som-train", seed, level)
            problem = exercise.problem
            assert all(v in (0, 1) for row in problem["samples"] for v in row)
            assert all(decimals_of(w) == 1 for row in problem["weights"] for w in row)
            answers = solution(exercise).answers
            for d2 in answers["distances"]:
                best, second = sorted(d2)[:2]
                assert second - best >= 0.05 - 1e-12, (level, seed, d2)
            assert len(set(answers["clusters"])) > 1


def test_backprop_numbers_have_at_most_two_decimals_and_no_zero_input():
    for level in LEVELS:
        for seed in SEEDS:
            problem = generate("backprop", seed, level).problem
            numbers = [*problem["x"], *problem["target"], *problem["biases"], problem["lr"],
                       *(w for layer in problem["weights"] for row in layer for w in row)]
            assert all(decimals_of(v) <= (1 if level == "easy" else 2) for v in numbers), (level, seed)
            assert all(x != 0 for x in problem["x"])


def test_batchnorm_statistics_are_whole_numbers():
    for level in LEVELS:
        for seed in SEEDS:
            exercise = generate("batchnorm", seed, level)
            batch = exercise.problem["batch"]
            columns = [batch] if not isinstance(batch[0], list) else [list(c) for c in zip(*batch)]
            for x in columns:
                m = len(x)
                mean = Fraction(sum(x), m)
                var = sum((Fraction(v) - mean) ** 2 for v in x) / m  # population variance, exactly
                assert mean.denominator == 1 and var.denominator == 1 and math.isqrt(int(var)) ** 2 == var, (level, seed, x)
                assert min(x) >= 1


def test_easy_kl_in_bits_is_an_exact_fraction():
    # p and q are powers of ½, so every log₂(p/q) is whole and KL is a multiple of 1/8
    for seed in SEEDS:
        exercise = generate("kl-divergence", seed, "easy")
        p, q = exercise.problem["p"], exercise.problem["q"]
        exact = sum(Fraction(pi) * int(math.log2(pi / qi)) for pi, qi in zip(p, q))
        assert exact.denominator in (1, 2, 4, 8)
        assert solution(exercise).answers["kl"] == pytest.approx(float(exact), abs=1e-12)


def test_convolutions_fit_their_input_exactly():
    for level in LEVELS:
        for seed in SEEDS:
            exercise = generate("conv-params", seed, level)
            if exercise.problem["input"] == "seq":
                continue
            side = int(exercise.problem["input"].split("x")[0])
            for layer in solution(exercise).answers["layers"]:
                shape = layer["output_shape"]
                if len(shape) == 3:
                    assert shape[0] == shape[1] and shape[0] >= 1
                    side = shape[0]
            assert side >= 1


# --- the t-test word problems ----------------------------------------------------------


def test_the_wording_decides_the_tail_by_the_notes_keyword_rule():
    from dlsolve.topics.ttest.solve import find_keyword

    tails = set()
    for level in LEVELS:
        for seed in range(100):
            exercise = generate("ttest", seed, level)
            question = exercise.problem["question"]
            keyword = find_keyword(question)
            answers = solution(exercise).answers
            if keyword is None:
                assert answers["alternative"] == "two-sided", question
            else:
                # the keyword is in the question sentence, not in the claim or the data
                assert question.index(keyword.found) > question.rindex(". ", 0, len(question) - 60), question
                expected = "greater" if answers["mean"] > exercise.problem["mu0"] else "less"
                assert answers["alternative"] == expected, question
            tails.add(answers["alternative"])
    assert tails == {"two-sided", "less", "greater"}


def test_the_statistic_is_never_close_to_the_table_value():
    scipy_stats = pytest.importorskip("scipy.stats")
    for level in LEVELS:
        for seed in SEEDS:
            answers = solution(generate("ttest", seed, level)).answers
            tails = 1 if answers["alternative"] != "two-sided" else 2
            q = 1 - answers["alpha"] / tails
            critical = scipy_stats.norm.ppf(q) if answers["test"] == "z" else scipy_stats.t.ppf(q, answers["df"])
            assert abs(abs(answers["statistic"]) - critical) >= 0.2, (level, seed, answers["statistic"], critical)


def test_the_critical_bands_hold_every_table_value_they_stand_for():
    # the generator's bands, checked against SciPy for every df it can produce (≥ 9) and for z
    scipy_stats = pytest.importorskip("scipy.stats")
    from dlsolve.topics.ttest.practice import CRITICAL_BANDS

    for (alpha, tails), (low, high) in CRITICAL_BANDS.items():
        q = 1 - alpha / tails
        values = [scipy_stats.t.ppf(q, df) for df in range(9, 200)] + [scipy_stats.norm.ppf(q)]
        assert low - 0.001 <= min(values) and max(values) <= high + 0.001, (alpha, tails)


# --- reproducibility: other processes, other machines ----------------------------------


def _run(*args: str, hash_seed: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    return subprocess.run([sys.executable, "-m", "dlsolve", *args], capture_output=True, text=True, env=env, check=True)


def test_two_processes_print_the_same_exercise_and_solution():
    args = ("practice", "ttest", "--seed", "7", "--level", "hard", "--solution")
    first, second = _run(*args, hash_seed="1"), _run(*args, hash_seed="2")
    assert first.stdout == second.stdout and "seed 7" in first.stdout
    assert "Solution" in first.stdout


@pytest.mark.parametrize("level", LEVELS)
@pytest.mark.parametrize("command", TOPICS)
def test_seed_7_is_the_committed_exercise(command, level, golden):
    # The same seed must give the same exercise on any machine and Python: this pins it.
    assert question_text(generate(command, 7, level), width=80) == golden["text"]


# --- the command line ------------------------------------------------------------------


def test_practice_prints_the_seed_and_how_to_get_the_exercise_back(cli):
    result = cli("practice", "som-train", "--seed", "7")
    assert result.exit_code == 0
    assert "level exam, seed 7" in result.stdout
    assert "dlsolve practice som-train --seed 7 --solution" in result.stdout
    assert result.stdout.startswith(question_text(generate("som-train", 7)))


def test_without_a_seed_one_is_chosen_and_printed(cli):
    result = cli("practice", "kl-divergence")
    seed = int(result.stdout.split("seed ")[1].split()[0])
    assert cli("practice", "kl-divergence", "--seed", str(seed)).stdout == result.stdout


def test_without_a_command_it_is_the_seeds_command(cli):
    seed = "12"
    picked = command_for(12)
    assert cli("practice", "--seed", seed).stdout == cli("practice", picked, "--seed", seed).stdout


def test_solution_is_the_solvers_worked_solution(cli):
    from dlsolve.render import to_text

    result = cli("practice", "batchnorm", "--seed", "3", "--solution")
    exercise = generate("batchnorm", 3)
    assert to_text.render(solution(exercise), 4) in result.stdout
    assert result.stdout.index("Solution") > result.stdout.index("(a)")


def test_save_problem_writes_a_file_solve_solves(cli, tmp_path):
    path = tmp_path / "bp.toml"
    result = cli("practice", "backprop", "--seed", "3", "--save-problem", str(path))
    assert result.exit_code == 0 and path.exists()
    assert f"dlsolve solve {path}" in result.stderr
    solved = json.loads(cli("solve", str(path), "-f", "json").stdout)
    assert solved["answers"] == json.loads(cli("practice", "backprop", "--seed", "3", "--solution", "-f", "json").stdout)["solution"]["answers"]
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# Practice: Backpropagation") and "(a) Forward pass" in text


def test_save_problem_never_overwrites_without_force(cli, input_error, tmp_path):
    path = tmp_path / "p.toml"
    path.write_text("keep", encoding="utf-8")
    input_error(cli("practice", "ttest", "--seed", "1", "--save-problem", str(path)), "--save-problem")
    assert path.read_text(encoding="utf-8") == "keep"
    assert cli("practice", "ttest", "--seed", "1", "--save-problem", str(path), "--force").exit_code == 0
    assert path.read_text(encoding="utf-8").startswith("# Practice")


def test_output_and_save_problem_must_differ(cli, input_error, tmp_path):
    path = str(tmp_path / "x.md")
    input_error(cli("practice", "--seed", "1", "-o", path, "--save-problem", path), "same file")
    assert not os.path.exists(path)


def test_output_file_holds_the_exercise_and_the_solution(cli, tmp_path):
    path = tmp_path / "ex.md"
    result = cli("practice", "rbf-xor", "--seed", "4", "--solution", "-f", "markdown", "-o", str(path))
    assert result.exit_code == 0 and result.stdout == ""
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# Practice: RBF network") and "\n## Solution\n" in text and "\n#### Step 1." in text


def test_json_holds_the_question_the_problem_and_the_solution(cli):
    data = json.loads(cli("practice", "conv-params", "--seed", "2", "--solution", "-f", "json").stdout)
    assert list(data) == ["command", "level", "seed", "title", "statement", "questions", "problem", "solution"]
    assert data["problem"]["command"] == "conv-params" and data["seed"] == 2
    assert all(q["answers"] for q in data["questions"])
    # the drawn model, counted here by the layer formulas: Embedding V·d; SimpleRNN h(d + h) + h; Dense n_in·n + n
    assert (data["problem"]["input"], data["problem"]["layers"]) == ("seq", ["Embedding(1000, 32)", "SimpleRNN(64)", "Dense(5)"])
    by_hand = [1000 * 32, 64 * (32 + 64) + 64, 64 * 5 + 5]  # 32,000 + 6,208 + 325 = 38,533
    assert [layer["params"] for layer in data["solution"]["answers"]["layers"]] == by_hand
    assert data["solution"]["answers"]["total_params"] == sum(by_hand) == 38_533


def test_a_drawn_cnn_is_counted_right(cli):
    data = json.loads(cli("practice", "conv-params", "--seed", "1", "--solution", "-f", "json").stdout)
    assert (data["problem"]["input"], data["problem"]["layers"]) == (
        "32x32x1", ["Conv2D(16, 5)", "MaxPooling2D(2)", "Conv2D(32, 3)", "MaxPooling2D(2)", "Flatten()", "Dense(32)", "Dense(10)"])
    # 32 − 5 + 1 = 28 → 14 → 14 − 3 + 1 = 12 → 6; flatten 6·6·32 = 1,152
    by_hand = [5 * 5 * 1 * 16 + 16, 0, 3 * 3 * 16 * 32 + 32, 0, 0, 1152 * 32 + 32, 32 * 10 + 10]  # 416, 4,640, 36,896, 330
    answers = data["solution"]["answers"]
    assert [layer["params"] for layer in answers["layers"]] == by_hand and answers["total_params"] == sum(by_hand) == 42_282
    assert answers["layers"][4]["output_shape"] == [6 * 6 * 32]


@pytest.mark.parametrize(("args", "message"), [
    (("practice", "somtrain"), "did you mean 'som-train'"),
    (("practice", "check"), "not a command to practise"),
    (("practice", "--level", "medium"), "--level"),
    (("practice", "--seed", "-1"), "--seed"),
    (("practice", "--seed", "x"), "--seed"),
])
def test_bad_options_are_one_line_errors(cli, args, message):
    result = cli(*args)
    assert result.exit_code == 2 and message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and result.stdout == ""


def test_a_command_name_may_use_underscores_or_capitals(cli):
    assert cli("practice", "SOM_train", "--seed", "1").stdout == cli("practice", "som-train", "--seed", "1").stdout


@pytest.mark.parametrize("command", TOPICS)
def test_an_exercise_without_its_solution_imports_neither_numpy_nor_scipy(imported_modules, command):
    modules = imported_modules("practice", command, "--seed", "1", "--level", "hard")
    assert "numpy" not in modules and "scipy" not in modules


def test_help_does_not_import_the_generators(imported_modules):
    modules = imported_modules("--help")
    assert not any(m.startswith(("dlsolve.practice.", "dlsolve.topics.")) for m in modules)
