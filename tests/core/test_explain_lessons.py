"""The lessons (lessons/*.md): they load, name their preset and questions, grade against the
live network, read at 80x24, and are written in the project's own words."""

import re
from pathlib import Path

import pytest

from core.explain.notes import (
    SECTIONS,
    LessonError,
    LiveValue,
    Question,
    grade,
    lessons_dir,
    load_lesson,
    load_lessons,
)
from core.explain.notes.lessons import parse_lesson
from core.session import explain_preset

ROOT = Path(__file__).resolve().parents[2]
NOTES = ROOT.parent / "shared" / "docs" / "gradient-descent-notes.md"
ERRING = {"1.4": ["1.4.2", "1.4.3"], "1.5": ["1.5.7", "1.5.12", "1.5.13"],
          "1.7": ["1.7.2", "1.7.3", "1.7.4"]}
PAGE_LINES, LINE_WIDTH = 22, 78


def test_every_section_has_one_lesson_with_its_preset_and_questions():
    lessons = load_lessons()
    assert [lesson.section for lesson in lessons] == list(SECTIONS)
    assert lessons_dir() == ROOT / "lessons"
    for lesson in lessons:
        assert lesson.preset == SECTIONS[lesson.section].preset
        assert lesson.title and lesson.pages and lesson.questions
        assert lesson.path.name.startswith(lesson.section + "-")
    assert load_lesson("1.5").title.startswith("Two neurons")
    with pytest.raises(LessonError, match="1.9"):
        load_lesson("1.9")


def test_a_question_names_the_equations_that_would_give_its_answer_away():
    twice = explain_preset("1.1", "twice", 0)
    assert twice.giving_away("1.1.6") == ("1.1.2", "1.1.3", "1.1.4", "1.1.5", "1.1.6")
    assert twice.giving_away("next w") == ()
    chain = explain_preset("1.4", "chain", 0)
    assert chain.giving_away("1.4.1[2]") == ("1.4.1",)
    xor = explain_preset("1.7", "xor", 0)
    assert xor.giving_away("1.7.2 l=1[1,1]") == ("1.7.2 l=1",)


def test_the_grader_reads_numbers_signs_and_choices():
    values = {"1.1.6": LiveValue(-20.7129, "(1.1.6) ... = -20.7129"), "row": [0.5, 0.25],
              "largest step": LiveValue("w(2)", "|dC/dw(2)| is largest",
                                        (("w(1)", 0.5), ("w(2)", 0.9)))}
    number = Question("q", "?", "1.1.6", "number")
    assert grade(number, "-20.71", values).correct
    assert grade(number, "−20.6", values).correct            # Unicode minus; within 1%
    assert not grade(number, "-20.4", values).correct
    assert grade(number, "-20.71", values).tolerance == pytest.approx(0.207129)
    verdict = grade(number, "lots", values)
    assert not verdict.correct and not verdict.understood and verdict.expected == ""
    assert verdict.working_text == "Not counted: 'lots' is not a number, e.g. -0.25, 1e-3 " \
        "or 1/12. Try again."
    entry = Question("q", "?", "row[2]", "number")
    assert grade(entry, "1/4", values).correct and not grade(entry, "1/5", values).correct
    sign = Question("q", "?", "1.1.6", "sign")
    assert grade(sign, "negative", values).correct and grade(sign, "down", values).correct
    assert not grade(sign, "+", values).correct and grade(sign, "+", values).tolerance is None
    choice = Question("q", "?", "largest step", "choice", ("w(1)", "w(2)"))
    assert grade(choice, "w(2)", values).correct and grade(choice, "2", values).correct
    assert not grade(choice, "w(1)", values).correct and not grade(choice, "w(2)", values).note
    assert not grade(choice, "w(3)", values).understood
    with pytest.raises(KeyError):
        grade(Question("q", "?", "nothing", "number"), "1", values)


@pytest.mark.parametrize("change, message", [
    (("+++\n", ""), "start with a '+++' line"),
    (('section = "1.1"', 'section = "2.0"'), "section: expected one of"),
    (('kind = "number"', 'kind = "guess"'), "questions[1].kind: expected one of"),
    (('kind = "number"', 'kind = "number"\ntolerance = 0.01'),
     "questions[1].tolerance: not a question field"),
    (('prompt = "p"', 'prompt = ""'), "questions[1].prompt"),
    (('title = "T"\n', ""), "title: missing"),
    (('id = "a"', 'id = "a"\nhint = "x"'), "questions[1].hint: not a question field"),
])
def test_bad_lesson_files_name_the_file_and_the_field(tmp_path, change, message):
    text = ('+++\nsection = "1.1"\ntitle = "T"\npreset = "twice"\n\n[[questions]]\nid = "a"\n'
            'prompt = "p"\nanswer = "1.1.6"\nkind = "number"\n+++\n# Hi\n')
    path = tmp_path / "1.1-bad.md"
    path.write_text(text.replace(*change, 1), encoding="utf-8")
    with pytest.raises(LessonError) as error:
        load_lessons(tmp_path)
    assert str(error.value).startswith(str(path)) and message in str(error.value)


def test_pages_split_at_rules_outside_code():
    lesson = parse_lesson('+++\nsection = "1.0"\ntitle = "T"\npreset = "twice"\n'
                          '[[questions]]\nid = "a"\nprompt = "p"\nanswer = "1.0.1"\n'
                          'kind = "sign"\n+++\none\n\n---\n\ntwo\n```\n---\n```\n')
    assert lesson.pages == ("one", "two\n```\n---\n```")


def test_lessons_read_at_80x24():
    for lesson in load_lessons():
        for page in lesson.pages:
            lines = page.splitlines()
            assert len(lines) <= PAGE_LINES, (lesson.section, lines[0])
            assert max(len(line) for line in lines) <= LINE_WIDTH, lesson.section


def test_lessons_say_where_the_notes_err_and_show_the_correct_form():
    for section, numbers in ERRING.items():
        text = load_lesson(section).text
        assert "as written" in text and "correct" in text.lower()
        for number in numbers:
            assert number in text, (section, number)


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


def prose(text: str) -> str:
    """Text without math: the equations (code in the lessons, $...$ in the notes) may be
    shared, the sentences may not."""
    text = re.sub(r"```.*?```", " ", text, flags=re.S)
    text = re.sub(r"\$\$.*?\$\$|\$[^$]*\$|`[^`]*`", " ", text, flags=re.S)
    return text


def test_no_lesson_copies_a_sentence_of_the_notes():
    if not NOTES.is_file():
        pytest.skip(f"the notes are not beside the repository ({NOTES})")
    notes = words(prose(NOTES.read_text(encoding="utf-8")))
    runs = {tuple(notes[i:i + 8]) for i in range(len(notes) - 7)}
    for lesson in load_lessons():
        mine = words(prose(lesson.text))
        shared = [" ".join(mine[i:i + 8]) for i in range(len(mine) - 7)
                  if tuple(mine[i:i + 8]) in runs]
        assert not shared, (lesson.section, shared[:3])
