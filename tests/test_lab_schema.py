"""Broken lab files: every problem is reported with its file, field path and line, all in one pass."""

from __future__ import annotations

import json
import textwrap

import pytest

from labtui.cli import main
from labtui.cli.labs import validate_lab
from labtui.lab.loader import LabInvalid, parse_lab
from labtui.lab.tomllines import key_lines, render

GOOD = textwrap.dedent('''\
    format = 1
    id = "tiny"
    title = "Tiny"
    summary = "A lab for tests."
    objective = "AZ-104 3.1"
    difficulty = "beginner"
    minutes = 5

    [[setup]]
    create = "group"
    name = "rg"
    location = "eastus"

    [[steps]]
    id = "make-disk"
    title = "Make a disk"
    instructions = "Make disk d1."
    solution = ["az disk create -g rg -n d1 --size-gb 8 -o none"]
    check = { resource = "disk", group = "rg", name = "d1" }

    [[traps]]
    id = "oops"
    title = "Oops"
    when = { command = "snapshot copy", outcome = "failed" }
    feedback = "There is no az snapshot copy."
    ''')


def problems(text: str) -> list[tuple[str, int | None, str]]:
    with pytest.raises(LabInvalid) as info:
        parse_lab(text, "lab.toml")
    return [(p.path, p.line, p.message) for p in info.value.problems]


def line_of(text: str, fragment: str) -> int:
    return next(number for number, line in enumerate(text.splitlines(), 1) if fragment in line)


def test_the_good_file_loads():
    lab = parse_lab(GOOD)
    assert (lab.id, [s.id for s in lab.steps], [t.id for t in lab.traps]) == ("tiny", ["make-disk"], ["oops"])


def test_bad_toml_names_its_line():
    text = GOOD.replace('title = "Tiny"', 'title = "Tiny')
    [(path, line, message)] = problems(text)
    assert (path, line) == ("", line_of(text, 'title = "Tiny'))
    assert message.startswith("not valid TOML")


def test_unknown_keys_are_named_with_a_suggestion_and_their_line():
    text = GOOD.replace('minutes = 5', 'minutes = 5\ndificulty = "hard"').replace(
        'solution = [', 'hint = ["x"]\nsolution = [')
    found = problems(text)
    assert ("dificulty", line_of(text, "dificulty"), "unknown key 'dificulty' in a lab; did you mean 'difficulty'?") \
        in found
    assert ("steps[0].hint", line_of(text, "hint = "), "unknown key 'hint' in a step; did you mean 'hints'?") in found


def test_wrong_types_and_values():
    text = GOOD.replace("minutes = 5", 'minutes = "five"').replace('"beginner"', '"easy"')
    found = problems(text)
    assert ("minutes", line_of(text, "minutes"), "'minutes' must be an integer, not a string") in found
    assert ("difficulty", line_of(text, "difficulty"),
            "'easy' is not one of beginner, intermediate, advanced") in found


def test_unknown_resource_type_in_a_check():
    text = GOOD.replace('resource = "disk"', 'resource = "disks"')
    [(path, line, message)] = problems(text)
    assert (path, line) == ("steps[0].check.resource", line_of(text, 'resource = "disks"'))
    assert "unknown resource type 'disks'" in message and "did you mean 'disk'?" in message


def test_a_field_no_resource_of_that_kind_has():
    text = GOOD.replace('check = { resource = "disk", group = "rg", name = "d1" }', textwrap.dedent('''\
        [steps.check]
        all = [
            { resource = "disk", name = "d1" },
            { resource = "vm", name = "v", where = { power_stat = "deallocated" } },
        ]'''))
    [(path, line, message)] = problems(text)
    assert path == "steps[0].check.all[1].where.power_stat"
    assert line == line_of(text, "power_stat")
    assert message == "a vm has no field 'power_stat'; did you mean 'power_state'?"


def test_missing_keys_point_at_the_table_that_lacks_them():
    text = GOOD.replace('title = "Make a disk"\n', "")
    [(path, line, message)] = problems(text)
    assert (path, line, message) == ("steps[0].title", line_of(text, "[[steps]]"), "missing required key 'title'")


def test_every_problem_in_one_pass():
    text = (GOOD.replace('id = "tiny"', 'id = "Tiny Lab"').replace('outcome = "failed"', 'outcome = "broke"')
            + '\n[[traps]]\nid = "oops"\ntitle = "Again"\nfeedback = "x"\nduring = ["make-dsk"]\n'
              'when = { operation = "vm.start" }\n'
            + '\n[[quiz]]\nquestion = "Q?"\nchoices = [ { text = "a", correct = true, explanation = "." },'
              ' { text = "b", correct = true, explanation = "." } ]\n')
    found = {(path, message) for path, _line, message in problems(text)}
    assert ("id", "id 'Tiny Lab' must be lower-case letters, digits and dashes") in found
    assert ("traps[0].when.outcome", "'broke' is not one of succeeded, failed, any") in found
    assert ("traps[1].id", "id 'oops' is used twice in [[traps]]") in found
    assert ("traps[1].during[0]", "no step has the id 'make-dsk'; did you mean 'make-disk'?") in found
    assert ("quiz[0].choices", "exactly one choice must have correct = true") in found


def test_checks_need_exactly_one_head():
    text = GOOD.replace('check = { resource = "disk", group = "rg", name = "d1" }',
                        'check = { resource = "disk", command = "disk create" }')
    [(path, _line, message)] = problems(text)
    assert path == "steps[0].check" and "exactly one of" in message and "resource, command" in message


def test_setup_entries_are_checked_too():
    text = GOOD.replace('create = "group"', 'create = "groups"').replace(
        "[[steps]]", '[[setup]]\ncreate = "disk"\nname = "d0"\nsize_gb = "8"\n\n[[steps]]')
    found = problems(text)
    assert [p for p, _l, m in found] == ["setup[0].create", "setup[1].group", "setup[1].size_gb"]
    assert found[0][1] == line_of(text, 'create = "groups"')


def test_a_newer_format_is_refused_with_a_clear_reason():
    [(path, _line, message)] = problems(GOOD.replace("format = 1", "format = 9"))
    assert path == "format" and "newer than this labtui reads" in message


def test_setup_azure_would_refuse_is_reported_on_its_entry():
    text = GOOD.replace("[[steps]]", textwrap.dedent('''\
        [[setup]]
        create = "vm"
        name = "v1"
        group = "rg"
        security_type = "Standard"

        [[setup]]
        create = "image"
        name = "img"
        group = "rg"
        source = "v1"
        hyper_v_generation = "V2"

        [[steps]]'''))
    lab = parse_lab(text, "lab.toml")
    [problem] = validate_lab(lab, text, "lab.toml")
    assert problem.path == "setup[2]" and problem.line == line_of(text, 'create = "image"') - 1   # its [[setup]]
    assert "(OperationNotAllowed)" in problem.message and "Generalized" in problem.message


def test_a_step_already_met_at_the_start_is_a_false_pass():
    text = GOOD.replace('check = { resource = "disk", group = "rg", name = "d1" }',
                        'check = { resource = "group", name = "rg" }')
    lab = parse_lab(text, "lab.toml")
    [problem] = validate_lab(lab, text, "lab.toml")
    assert problem.path == "steps[0].check" and "already met when the lab starts" in problem.message


def test_key_lines_follow_arrays_of_tables_and_inline_tables():
    text = '[[a]]\nx = 1\n[[a]]\ny = { z = [1,\n 2] }\n[a.b]\nc = "]"\n'
    lines = {render(path): line for path, line in key_lines(text).items()}
    assert lines["a[0].x"] == 2 and lines["a[1].y.z"] == 4 and lines["a[1].y.z[1]"] == 5
    assert lines["a[1].b"] == 6 and lines["a[1].b.c"] == 7


def test_validate_command_reports_file_line_and_field(tmp_path, capsys):
    bad = tmp_path / "bad.toml"
    bad.write_text(GOOD.replace('resource = "disk"', 'resource = "disks"'))
    good = tmp_path / "good.toml"
    good.write_text(GOOD)
    assert main(["validate", str(bad), str(good)]) == 1
    captured = capsys.readouterr()
    assert f"{bad}:{line_of(bad.read_text(), 'disks')}: steps[0].check.resource: unknown resource type" in captured.out
    assert "1 of 2 lab files valid, 1 problem" in captured.err
    assert main(["validate", "--json", str(bad)]) == 1
    [entry] = json.loads(capsys.readouterr().out)
    assert (entry["file"], entry["path"]) == (str(bad), "steps[0].check.resource")
    assert main(["validate", str(good)]) == 0


def test_validate_an_unreadable_file(tmp_path, capsys):
    assert main(["validate", str(tmp_path / "missing.toml")]) == 1
    assert "cannot read the file" in capsys.readouterr().out


def test_all_shipped_labs_validate(capsys):
    from labtui.lab.library import lab_files

    count = len(lab_files())
    assert main(["validate"]) == 0
    assert capsys.readouterr().out.startswith(f"{count} of {count} lab file")


def test_validate_plays_each_solution():
    text = GOOD.replace('solution = ["az disk create -g rg -n d1 --size-gb 8 -o none"]',
                        'solution = ["az disk create -g rg -n d2 --size-gb 8 -o none"]')
    [problem] = validate_lab(parse_lab(text), text, "lab.toml")
    assert problem.path == "steps[0].solution" and problem.line == line_of(text, "solution = ")
    assert problem.message == ("after the solutions so far, step 'make-disk' is not complete: disk 'd1' in 'rg' "
                               "(none exists yet)")
    assert validate_lab(parse_lab(text), text, "lab.toml", play=False) == []


def test_validate_reports_a_solution_that_springs_a_trap():
    text = GOOD.replace('solution = ["az disk create -g rg -n d1 --size-gb 8 -o none"]',
                        'solution = ["az snapshot copy -g rg -n s", "az disk create -g rg -n d1 --size-gb 8 -o none"]')
    [problem] = validate_lab(parse_lab(text), text, "lab.toml")
    assert (problem.path, problem.message) == ("steps[0].solution",
                                               "the solution of step 'make-disk' springs the trap 'oops'")
