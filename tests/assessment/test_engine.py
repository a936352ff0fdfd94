from learning.assessment.engine import KINDS, draw_questions, score
from learning.assessment.models import Question


def q(key, group, lesson, kind="single", correct=("a",), n_options=3, position=0):
    return Question(id=position, key=key, group_key=group, lesson_slug=lesson, kind=kind, position=position,
                    stem=key, options=[{"id": c, "text": c, "correct": c in correct, "feedback": ""}
                                       for c in "abcd"[:n_options]])


BANK = [q(f"l{lesson}-{i}", f"l{lesson}-{i}", f"0{lesson}", position=lesson * 10 + i)
        for lesson in range(1, 5) for i in range(5)]
BANK += [q("s1a", "s1", "02", position=100), q("s1b", "s1", "02", position=101), q("s1c", "s1", "02", position=102)]


def test_draw_covers_every_lesson_and_is_deterministic():
    pages = draw_questions(BANK, 6, seed=42)
    drawn = [question for page in pages for question in page]
    assert len(drawn) == 6
    assert {question.lesson_slug for question in drawn} == {"01", "02", "03", "04"}
    assert [x.key for page in draw_questions(BANK, 6, seed=42) for x in page] == [x.key for x in drawn]
    assert [x.key for page in draw_questions(BANK, 6, seed=43) for x in page] != [x.key for x in drawn]


def test_a_scenario_stays_together_on_one_page():
    for seed in range(40):
        pages = draw_questions(BANK, 10, seed)
        for page in pages:
            if any(x.group_key == "s1" for x in page):
                assert [x.key for x in page] == ["s1a", "s1b", "s1c"]
        assert sum(len(p) for p in pages) == 10


def test_scoring_rules_per_kind():
    single = q("x", "x", "01", correct=("b",), position=1)
    multiple = q("y", "y", "01", kind="multiple", correct=("a", "c"), position=2)
    answers = {"1": {"options": ["b"]}, "2": {"options": ["a"]}}
    assert score([single, multiple], answers) == (50.0, {"x": True, "y": False})
    answers["2"] = {"options": ["c", "a"]}
    assert score([single, multiple], answers)[0] == 100.0
    answers["2"] = {"options": ["a", "b", "c"]}  # ticking everything never pays
    assert score([single, multiple], answers)[1]["y"] is False
    assert KINDS["true_false"].multiple is False and KINDS["multiple"].multiple is True
