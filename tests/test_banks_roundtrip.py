"""Round trip: every practice command's bank, read back as Moodle, GIFT and PrairieLearn read
it (tests/bank_platforms.py), grades the exact answer, the answer rounded as asked and each
slip's value (rounded as asked, and in full) the way ``dlsolve check`` does; and every option
of a decision or a word (the t-test's alternative and decision), with the slips' diagnoses.

The expected verdicts come from ``check``'s judge on an answers file holding the student's
value (the slip's whole answer for a slip, so the slip is recognised as check recognises it).
One documented difference: a slip closer to the right value than twice its tolerance has a
narrower interval on the platforms (it must not overlap the right answer's), so its value
rounded as asked may get no diagnosis there; a slip within the tolerance is not offered.
The commands come from the registry: a topic merged later is covered without a change here.
"""

from __future__ import annotations

import json

import pytest

from bank_platforms import (
    answer_of, check_element, cloze_blanks, gift_questions, grade, is_number, load_server, moodle_questions,
    pl_choice, pl_inputs, pl_score, replaced)
from dlsolve.banks import gift, moodle, prairielearn
from dlsolve.banks.model import build, question_name
from dlsolve.checking.compare import shape_text
from dlsolve.checking.judge import Solution, differs
from dlsolve.checking.keys import get, lookup
from dlsolve.topics import TOPICS

SEED = 5


@pytest.fixture(scope="module", params=TOPICS)
def exported(request, tmp_path_factory):
    bank = build(request.param, "exam", SEED, 1, 4)
    folder = tmp_path_factory.mktemp(request.param)
    for relative, text in prairielearn.files(bank).items():
        (folder / relative).parent.mkdir(parents=True, exist_ok=True)
        (folder / relative).write_text(text)
    return bank, moodle.render(bank), gift.render(bank), folder


def _platform_graders(bank, xml_text, gift_text, folder):
    """For each asked number of variant 1, a grader per platform: x → (right, feedback)."""
    variant = bank.variants[0]
    _, clozes = moodle_questions(xml_text)
    blanks = cloze_blanks(clozes[0].find("questiontext/text").text)
    questions = [q for q in gift_questions(gift_text) if q.category.endswith(question_name(bank, variant))]
    assert len(blanks) == len(questions) == len(variant.asked)

    (question_folder,) = [p for p in folder.iterdir() if p.is_dir()]
    server = load_server(question_folder)
    data = {"variant_seed": 0, "params": {}, "correct_answers": {}}
    server.generate(data)
    assert data["params"]["variant"] == 0
    inputs = pl_inputs((question_folder / "question.html").read_text(), data["params"])

    def moodle_grader(i):
        def run(x):
            choice = grade(blanks[i], x)
            return (choice is not None and choice.fraction == 1.0), (choice.feedback if choice and choice.fraction < 1 else "")
        return run

    def gift_grader(i):
        def run(x):
            choice = grade(questions[i].choices, x)
            return (choice is not None and choice.fraction == 1.0), (choice.feedback if choice and choice.fraction < 1 else "")
        return run

    def pl_grader(item):
        def run(x):
            if item.options:  # pl-multiple-choice grades and gives the option's feedback itself
                score, feedback = pl_choice(inputs[item.name], x)
                return score == 1.0, (feedback if score < 1 else "")
            exact = data["correct_answers"][item.name]
            score = pl_score(inputs[item.name], x, exact)
            graded = {**data, "submitted_answers": {item.name: x}, "partial_scores": {item.name: {"score": score}},
                      "feedback": {}, "score": score}
            server.grade(graded)
            return score == 1.0, graded["partial_scores"][item.name].get("feedback", "")
        return run

    return [(moodle_grader(i), gift_grader(i), pl_grader(item)) for i, item in enumerate(variant.asked)]


def _places(variant, key):
    items = {item.inner: item.places for item in variant.asked if item.key == key}
    return lambda inner: items.get(inner)


def test_every_number_grades_as_check_grades_it(exported):
    bank, xml_text, gift_text, folder = exported
    variant = bank.variants[0]
    solution = Solution(variant.derivation)
    graders = _platform_graders(bank, xml_text, gift_text, folder)
    for item, platforms in zip(variant.asked, graders):
        if item.options:
            _check_pick(solution, item, platforms)
            continue
        whole = answer_of(solution, item.key)
        places = _places(variant, item.key)
        # the exact value, and the value rounded as the question asks: right everywhere
        assert check_element(solution, item.key, item.inner, whole, places).right, item.label
        rounded = round(item.exact, item.places) if not item.whole else item.exact
        for platform in platforms:
            assert platform(item.exact) == (True, ""), item.label
            assert platform(rounded)[0], (item.label, rounded)
        # each slip of the catalogue that changes this number
        name = item.key.split(".")[0]
        path = (name, *[int(p) - 1 if p.isdigit() else p for p in item.key.split(".")[1:]])
        for slip in solution.exact_slips.get(name, []):
            found = lookup(slip.values, path, whole)
            if found is None or shape_text(found[0]) != shape_text(whole):  # check compares no element then
                continue
            value = get(found[0], item.inner)
            if not is_number(value) or not differs(value, item.exact):
                continue
            for in_full in (True, False):
                # "in full": six more decimals than asked (a student who writes 0.0 for 0.0432 is
                # right as written, so the full value is written to a fixed, finer place)
                finer = lambda inner, places=places: (places(inner) or 0) + 6  # noqa: E731
                student = check_element(solution, item.key, item.inner, found[0], finer if in_full else places)
                x = value if item.whole else round(float(value), item.places + 6 if in_full else item.places)
                offered = next((s for s in item.slips if slip.name in s.names), None)
                for platform in platforms:
                    right, feedback = platform(x)
                    if not in_full:
                        assert right == student.right, (item.label, slip.name, x)
                    if feedback:  # a diagnosis given by the platform is one check gives
                        assert any(text in feedback for text in student.texts), (item.label, slip.name, feedback)
                    elif offered is not None and (in_full or abs(offered.value - item.exact) >= 2 * item.tolerance):
                        pytest.fail(f"{item.label}: {slip.name} gives {x}, check names {sorted(student.slips)}, the platform nothing")
                    if offered is not None and in_full:
                        assert slip.text in feedback, (item.label, slip.name)


def _check_pick(solution, item, platforms):
    """Every option of a decision or word, chosen on each platform and written for check."""
    whole = answer_of(solution, item.key)
    for option in item.options:
        given = (option == "yes") if isinstance(whole, bool) else option
        student = check_element(solution, item.key, item.inner, replaced(whole, item.inner, given), lambda inner: None)
        for platform in platforms:
            right, feedback = platform(option)
            assert right == student.right == (option == item.exact), (item.label, option)
            assert (feedback != "") == bool(student.texts), (item.label, option, feedback, student.texts)
            assert all(text in feedback for text in student.texts), (item.label, option)


def test_info_json_follows_prairielearns_schema(exported):
    # apps/prairielearn/src/schemas/schemas/infoQuestion.json (PrairieLearn, AGPL-3.0), the parts
    # an exported question uses: required uuid/type/title/topic, no other properties than the
    # schema's, the uuid pattern, the type enum, tags a list of strings.
    _, _, _, folder = exported
    allowed = {"comment", "uuid", "type", "title", "topic", "tags", "clientFiles", "clientTemplates", "template",
               "gradingMethod", "singleVariant", "showCorrectAnswer", "partialCredit", "options",
               "externalGradingOptions", "dependencies", "workspaceOptions", "sharingSets", "sharePublicly",
               "shareSourcePublicly"}
    for info_file in folder.glob("*/info.json"):
        info = json.loads(info_file.read_text())
        assert {"uuid", "type", "title", "topic"} <= set(info) <= allowed
        import re

        assert re.fullmatch(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}", info["uuid"])
        assert info["type"] in ("Calculation", "MultipleChoice", "Checkbox", "File", "MultipleTrueFalse", "v3")
        assert info["type"] == "v3"
        assert all(isinstance(v, str) for v in (info["title"], info["topic"]))
        assert isinstance(info["tags"], list) and all(isinstance(t, str) for t in info["tags"])
