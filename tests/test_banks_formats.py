"""The exported files' structure, as each platform's importer reads it, and the numbers of
one variant worked by hand."""

from __future__ import annotations

import hashlib
import json
import math
import re

import pytest

from bank_platforms import cloze_blanks, gift_questions, moodle_questions
from dlsolve.banks import gift, moodle, prairielearn
from dlsolve.banks.model import build, places, question_name, tolerance, variant_seeds


@pytest.fixture(scope="module")
def som_bank():
    return build("som-train", "exam", 1, 3, 4)


def test_variant_seeds_are_the_documented_hash_of_the_bank_seed():
    # variant i: SHA-256("bank:<command>:<level>:<seed>:<i>"), first 8 bytes, mod 10⁶
    expected = [int.from_bytes(hashlib.sha256(f"bank:som-train:exam:1:{i}".encode()).digest()[:8], "big") % 10**6
                for i in range(3)]
    assert variant_seeds("som-train", "exam", 1, 3) == expected
    assert len(set(variant_seeds("ttest", "easy", 7, 500))) == 500


def test_variant_one_worked_by_hand(som_bank):
    variant = som_bank.variants[0]
    problem = variant.exercise.problem
    x, w = problem["samples"][0], problem["weights"][0]
    d2 = sum((a - b) ** 2 for a, b in zip(x, w))  # (1, 0, 1, 0) against (0.2, 0.1, 0.9, 0.9): 1.47
    first = variant.asked[0]
    assert (first.key, first.inner) == ("distances.1", (0,))
    assert first.exact == pytest.approx(d2) and first.tolerance == 0.5e-4  # 4 decimals: ±0.00005
    slips = {name: s.value for s in first.slips for name in s.names}
    assert slips["distance-root"] == pytest.approx(math.sqrt(d2))  # not squared: √1.47
    assert slips["distance-abs"] == pytest.approx(sum(abs(a - b) for a, b in zip(x, w)))  # Σ|xᵢ − wᵢ| = 1.9


@pytest.mark.parametrize(("value", "expected"), [(12.3456, 4), (0.6065, 4), (0.0004386, 7), (0.00004386, 9), (2.0, 4), (0.0, 4)])
def test_places_are_those_dlsolve_writes(value, expected):
    # 0.6065 → "0.6065" (4 significant figures), 0.0004386 → "0.0004386", 4.386e-05 → 4.3860 × 10⁻⁵
    assert places(value, 4) == expected
    assert tolerance(value, 4) == (0.5 * 10.0**-expected, expected)
    assert tolerance(7, 4) == (0.0, 0)


def test_decimals_set_the_precision_asked():
    bank = build("backprop", "exam", 2, 1, 2)
    loss = next(item for item in bank.variants[0].asked if item.key == "loss")
    assert loss.places == (2 if abs(loss.exact) >= 1 else 1 - math.floor(math.log10(abs(loss.exact))))
    assert loss.tolerance == 0.5 * 10.0**-loss.places
    assert "to 2 decimal places, or 2 significant figures" in moodle.render(bank)


def test_moodle_xml_has_what_the_importer_reads(som_bank):
    category, clozes = moodle_questions(moodle.render(som_bank))
    assert category.find("category/text").text == "$course$/top/dlsolve/som-train exam bank 1"
    assert len(clozes) == 3
    for question, variant in zip(clozes, som_bank.variants):
        assert question.get("type") == "cloze"
        assert question.find("name/text").text == f"som-train exam {variant.number} (seed {variant.exercise.seed})"
        assert question.find("questiontext").get("format") == "html"
        assert question.find("generalfeedback").get("format") == "html"
        assert 0 <= float(question.find("penalty").text) <= 1
        text = question.find("questiontext/text").text
        blanks = cloze_blanks(text)
        assert len(blanks) == len(variant.asked)
        for choices, item in zip(blanks, variant.asked):
            assert choices[0].fraction == 1.0 and all(c.fraction == 0 for c in choices[1:])  # the right answer first
            assert choices[0].value == pytest.approx(item.exact, abs=1e-13)
            for slip in choices[1:]:  # a slip's interval never reaches the right answer's
                assert abs(slip.value - choices[0].value) > slip.tolerance + choices[0].tolerance - 1e-15
                assert slip.feedback
        feedback = question.find("generalfeedback/text").text
        assert "\\(" in feedback and "$$" in feedback and "Step 1." in feedback
        assert not re.search(r"(?<![\\$])\$(?!\$)", feedback.replace("$$", "")), "no single-$ math (Moodle's MathJax filter ignores it)"


def test_a_feedback_with_the_characters_that_end_a_blank_survives():
    assert moodle.feedback("a ~ b } c # d < e") == "a &#126; b &#125; c # d &lt; e"
    blank = "{1:NUMERICAL:=1:0.5#Right.~%0%3:0.5#" + moodle.feedback("x } y ~ z") + "}"
    (choices,) = cloze_blanks(blank)
    assert choices[1].feedback == "x } y ~ z"


def test_gift_reads_back_as_the_importer_reads_it(som_bank):
    questions = gift_questions(gift.render(som_bank))
    assert len(questions) == sum(len(v.asked) for v in som_bank.variants)
    first, item = questions[0], som_bank.variants[0].asked[0]
    assert first.format == "html" and first.name == "som-train 1 distances.1[1]"
    assert first.category == "$course$/top/dlsolve/som-train exam bank 1/" + question_name(som_bank, som_bank.variants[0])
    assert [c.fraction for c in first.choices] == [1.0, 0.0, 0.0]
    assert first.choices[0].value == pytest.approx(item.exact) and first.choices[0].tolerance == item.tolerance
    assert "\\(x_{1} = (1, 0, 1, 0)\\)" in first.text  # LaTeX braces and backslashes unchanged
    assert first.general_feedback.startswith("<h4>Step 2. Iteration 1")


@pytest.mark.parametrize("text", ["a:b", "{x}", "w = 1", "#1", "~", "back\\slash", "line\nbreak"])
def test_gift_escaping_is_undone_by_the_importer(text):
    from bank_platforms import _post, _pre

    assert _post(_pre(gift.escaped(text))) == text


def test_prairielearn_folder(som_bank, tmp_path):
    files = prairielearn.files(som_bank)
    assert sorted(files) == [f"dlsolve-som-train-exam-seed1/{name}" for name in ("info.json", "question.html", "server.py")]
    info = json.loads(files["dlsolve-som-train-exam-seed1/info.json"])
    assert info["type"] == "v3" and info["uuid"] == json.loads(prairielearn.files(build("som-train", "exam", 1, 2, 4))
                                                               ["dlsolve-som-train-exam-seed1/info.json"])["uuid"]
    html = files["dlsolve-som-train-exam-seed1/question.html"]
    assert html.count("<pl-number-input") == sum(not item.whole for item in som_bank.variants[0].asked)
    assert 'comparison="relabs" rtol="0" atol="{{params.atol.distances_1_1}}"' in html
    assert "<pl-integer-input answers-name=\"winners_1\"" in html
    compile(files["dlsolve-som-train-exam-seed1/server.py"], "server.py", "exec")


def test_prairielearn_server_picks_variants_by_seed_and_names_slips(som_bank, tmp_path):
    from bank_platforms import load_server

    for relative, text in prairielearn.files(som_bank).items():
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text(text)
    server = load_server(tmp_path / "dlsolve-som-train-exam-seed1")
    for seed in range(4):
        data = {"variant_seed": seed, "params": {}, "correct_answers": {}}
        server.generate(data)
        variant = som_bank.variants[seed % 3]
        assert data["params"]["variant"] == seed % 3
        assert data["correct_answers"]["distances_1_1"] == variant.asked[0].exact
        assert variant.exercise.statement and "params" in data
    data = {"variant_seed": 0, "params": {}, "correct_answers": {}}
    server.generate(data)
    slip = som_bank.variants[0].asked[0].slips[0]
    graded = {**data, "submitted_answers": {"distances_1_1": round(slip.value, 4)},
              "partial_scores": {"distances_1_1": {"score": 0.0}}, "feedback": {}, "score": 0.0}
    server.grade(graded)
    assert graded["partial_scores"]["distances_1_1"]["feedback"] == slip.feedback
    assert graded["feedback"]["distances_1_1"] == slip.feedback
    right = {**data, "submitted_answers": {"distances_1_1": 1.47}, "partial_scores": {"distances_1_1": {"score": 1.0}},
             "feedback": {}, "score": 1.0}
    server.grade(right)
    assert "feedback" not in right["partial_scores"]["distances_1_1"]


def test_a_generator_that_varies_the_shape_gives_several_families():
    bank = build("conv-params", "exam", 1, 5, 4)
    groups = prairielearn.families(bank)
    assert len(groups) > 1 and sum(map(len, groups)) == 5
    names = {path.split("/")[0] for path in prairielearn.files(bank)}
    assert names == {f"dlsolve-conv-params-exam-seed1-{i}" for i in range(1, len(groups) + 1)}
