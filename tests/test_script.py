"""Tests for labtui.az.script: the bash subset of az scripts."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from labtui.az.script import (
    LogicalLine,
    ShellCommand,
    ShellSyntaxError,
    logical_lines,
    parse,
)


def no_subst(inner: str) -> str:
    raise AssertionError(f"unexpected command substitution: {inner!r}")


def argv(text: str, env: dict[str, str] | None = None, substitute=no_subst) -> list[str]:
    return list(parse(text, env or {}, substitute).argv)


def lines_of(script: str) -> list[LogicalLine]:
    return list(logical_lines(script.splitlines(keepends=True)))


# ---------------------------------------------------------------------------
# az documentation idioms
# ---------------------------------------------------------------------------


def test_command_substitution_assignment():
    calls = []

    def substitute(inner: str) -> str:
        calls.append(inner)
        return "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm\n"

    cmd = parse("VM_ID=$(az vm show -g rg -n vm --query id -o tsv)", {}, substitute)
    assert cmd == ShellCommand(
        assignments=(
            ("VM_ID", "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm"),
        ),
        argv=(),
        exported=False,
    )
    assert calls == ["az vm show -g rg -n vm --query id -o tsv"]


def test_assignment_value_is_not_word_split():
    cmd = parse("IDS=$(az vm list --query [].id -o tsv)", {}, lambda _: "id1\nid2\n\n")
    assert cmd.assignments == (("IDS", "id1\nid2"),)
    assert cmd.argv == ()


def test_snapshot_create_with_variables():
    env = {"RG": "lab-rg", "DISK_ID": "/subscriptions/x/disks/my disk"}
    assert argv('az snapshot create -g $RG -n snap --source "$DISK_ID"', env) == [
        "az", "snapshot", "create", "-g", "lab-rg", "-n", "snap",
        "--source", "/subscriptions/x/disks/my disk",
    ]


def test_jmespath_query_in_double_quotes():
    assert argv("""az vm list --query "[?name=='vm1'].id" -o tsv""") == [
        "az", "vm", "list", "--query", "[?name=='vm1'].id", "-o", "tsv",
    ]


def test_jmespath_query_with_hash_and_operators_in_quotes():
    assert argv("""az vm list --query "[?name=='a#b' && size > '1']" """) == [
        "az", "vm", "list", "--query", "[?name=='a#b' && size > '1']",
    ]
    assert argv("az x --query 'a | b' --x '<tag>'") == ["az", "x", "--query", "a | b", "--x", "<tag>"]


def test_run_command_scripts():
    assert argv("""az vm run-command invoke --scripts 'echo hi' "apt install -y nginx" """) == [
        "az", "vm", "run-command", "invoke", "--scripts", "echo hi", "apt install -y nginx",
    ]


# ---------------------------------------------------------------------------
# Quoting and escaping
# ---------------------------------------------------------------------------


def test_single_quotes_are_literal():
    assert argv("""echo '$HOME $(rm -rf /) \\n "x"'""", {"HOME": "/h"}) == [
        "echo", '$HOME $(rm -rf /) \\n "x"',
    ]


def test_double_quote_escapes():
    assert argv(r'echo "a\"b\\c\$d\`e\xf"') == ["echo", 'a"b\\c$d`e\\xf']


def test_unquoted_backslash_escapes_next_char():
    assert argv(r"echo a\ b \$X \'q\' \"") == ["echo", "a b", "$X", "'q'", '"']


def test_adjacent_parts_concatenate():
    assert argv("""echo pre'single'"double $X"post$X""", {"X": "v"}) == [
        "echo", "presingledouble vpostv",
    ]


def test_empty_quoted_strings_are_words():
    assert argv("""az tag '' "" x""") == ["az", "tag", "", "", "x"]


def test_lone_trailing_backslash_is_literal():
    assert argv("echo a \\") == ["echo", "a", "\\"]


def test_tilde_is_not_expanded():
    assert argv("ls ~ ~/x", {"HOME": "/home/s"}) == ["ls", "~", "~/x"]


def test_glob_characters_are_not_expanded():
    assert argv("az vm list --query [].name *") == ["az", "vm", "list", "--query", "[].name", "*"]


# ---------------------------------------------------------------------------
# Expansion
# ---------------------------------------------------------------------------


def test_braced_and_plain_variables():
    env = {"RG": "rg1", "N": "vm"}
    assert argv("az vm show -g ${RG} -n ${N}1 --x $N-2", env) == [
        "az", "vm", "show", "-g", "rg1", "-n", "vm1", "--x", "vm-2",
    ]


def test_variable_name_stops_at_non_name_char():
    assert argv("echo $RG_1.x $RG-", {"RG_1": "a", "RG": "b"}) == ["echo", "a.x", "b-"]


def test_unset_variables_expand_to_nothing():
    assert argv("az group show -n $MISSING --x", {}) == ["az", "group", "show", "-n", "--x"]
    assert argv('az group show -n "$MISSING" --x', {}) == ["az", "group", "show", "-n", "", "--x"]
    assert argv("echo pre${MISSING}post") == ["echo", "prepost"]


def test_unquoted_expansion_is_word_split_quoted_is_not():
    env = {"X": "  a  b\tc\n"}
    assert argv("echo $X", env) == ["echo", "a", "b", "c"]
    assert argv('echo "$X"', env) == ["echo", "  a  b\tc\n"]
    assert argv("echo ${X}", env) == ["echo", "a", "b", "c"]


def test_word_splitting_joins_with_adjacent_text():
    # bash: X="a  b"; printf "[%s]" $X"c d"$X  ->  [a][bc da][b]
    assert argv('printf $X"c d"$X', {"X": "a  b"}) == ["printf", "a", "bc da", "b"]


def test_whitespace_only_expansion_disappears():
    assert argv("echo $X end", {"X": "   "}) == ["echo", "end"]
    assert argv('echo "$X" end', {"X": "   "}) == ["echo", "   ", "end"]


def test_command_substitution_is_word_split_unless_quoted():
    out = lambda _: "vm1 vm2\n"  # noqa: E731
    assert argv("az vm start --ids $(az vm list --query [].id -o tsv)", substitute=out) == [
        "az", "vm", "start", "--ids", "vm1", "vm2",
    ]
    assert argv('echo "$(az x)"', substitute=out) == ["echo", "vm1 vm2"]


def test_command_substitution_strips_only_trailing_newlines():
    assert argv('echo "$(x)"', substitute=lambda _: "\n a \n\n\n") == ["echo", "\n a "]


def test_nested_command_substitution_is_passed_whole():
    calls = []

    def substitute(inner: str) -> str:
        calls.append(inner)
        # The callee expands the inner substitution itself, like a subshell.
        return parse(inner, {}, lambda s: calls.append(s) or "inner-out").argv[-1]

    assert argv("echo $(echo $(inner))", substitute=substitute) == ["echo", "inner-out"]
    assert calls == ["echo $(inner)", "inner"]


def test_parens_inside_quotes_in_substitution_do_not_count():
    seen = []
    argv(
        """az x --id "$(az vm show --query "[?name=='a)b'].id" -o tsv | tr ')' x)" """,
        substitute=lambda s: seen.append(s) or "ok",
    )
    assert seen == ["""az vm show --query "[?name=='a)b'].id" -o tsv | tr ')' x"""]


def test_balanced_parens_inside_substitution():
    seen = []
    result = argv("echo $(f (a) (b))tail", substitute=lambda s: seen.append(s) or "X")
    assert seen == ["f (a) (b)"]
    assert result == ["echo", "Xtail"]


def test_empty_substitution_does_not_call_substitute():
    assert argv("echo a$( )b") == ["echo", "ab"]


def test_substitutions_called_in_order():
    seen = []
    argv("echo $(one) $(two)", substitute=lambda s: seen.append(s) or "")
    assert seen == ["one", "two"]


def test_exit_status_variable():
    assert argv("echo $? ${?}") == ["echo", "0", "0"]
    assert argv('echo "$?"', {"?": "3"}) == ["echo", "3"]


def test_dollar_followed_by_non_name_stays_literal():
    assert argv("echo $1 $ a$ $$ $-x '$X'", {"X": "no"}) == ["echo", "$1", "$", "a$", "$$", "$-x", "$X"]
    assert argv('echo "cost: $5" "$"') == ["echo", "cost: $5", "$"]


# ---------------------------------------------------------------------------
# Assignments and export
# ---------------------------------------------------------------------------


def test_plain_assignments():
    cmd = parse('RG=lab-rg LOC="west europe" EMPTY=', {}, no_subst)
    assert cmd.assignments == (("RG", "lab-rg"), ("LOC", "west europe"), ("EMPTY", ""))
    assert cmd.argv == ()
    assert cmd.exported is False


def test_assignment_value_with_variables_not_split():
    cmd = parse("NAME=$PREFIX-vm", {"PREFIX": "a b"}, no_subst)
    assert cmd.assignments == (("NAME", "a b-vm"),)


def test_later_assignments_see_earlier_ones():
    cmd = parse("A=1 B=$A", {"A": "old"}, no_subst)
    assert cmd.assignments == (("A", "1"), ("B", "1"))


def test_prefix_assignments_with_command_use_old_values_for_argv():
    # bash: A=old; A=1 echo $A   prints "old"
    cmd = parse("A=1 B=$A echo $A", {"A": "old"}, no_subst)
    assert cmd.assignments == (("A", "1"), ("B", "1"))
    assert cmd.argv == ("echo", "old")


def test_assignment_only_recognised_at_start_and_unquoted():
    assert parse("az x A=1", {}, no_subst) == ShellCommand((), ("az", "x", "A=1"), False)
    assert parse('"A"=1', {}, no_subst).argv == ("A=1",)
    assert parse("A\\=1", {}, no_subst).argv == ("A=1",)
    assert parse("1A=1", {}, no_subst).argv == ("1A=1",)


def test_append_assignment():
    cmd = parse("TAGS+=,b", {"TAGS": "a"}, no_subst)
    assert cmd.assignments == (("TAGS", "a,b"),)


def test_export():
    cmd = parse('export AZURE_DEFAULTS_GROUP="lab rg"', {}, no_subst)
    assert cmd == ShellCommand((("AZURE_DEFAULTS_GROUP", "lab rg"),), (), True)


def test_export_existing_name_keeps_value():
    cmd = parse("export RG LOC=eu", {"RG": "rg1"}, no_subst)
    assert cmd.assignments == (("RG", "rg1"), ("LOC", "eu"))
    assert cmd.exported is True


def test_export_invalid_identifier():
    with pytest.raises(ShellSyntaxError, match="not a valid identifier"):
        parse("export 1X=2", {}, no_subst)


def test_export_as_argument_is_not_special():
    assert parse("echo export A=1", {}, no_subst) == ShellCommand((), ("echo", "export", "A=1"), False)


def test_empty_and_comment_only_text():
    assert parse("", {}, no_subst) == ShellCommand((), (), False)
    assert parse("   # just a comment", {}, no_subst) == ShellCommand((), (), False)


def test_parse_strips_trailing_comment_but_not_hash_in_word():
    assert argv("az x a#b '#c' # comment $(boom)") == ["az", "x", "a#b", "#c"]


# ---------------------------------------------------------------------------
# Errors
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("echo 'abc", "unexpected EOF while looking for matching `''"),
        ('echo "abc', "unexpected EOF while looking for matching `\"'"),
        ("echo $(az vm list", "unexpected EOF while looking for matching `)'"),
        # bash reads the second quote as opening a string inside $( ... ).
        ('echo "$(az vm list"', "unexpected EOF while looking for matching `\"'"),
        ('echo "$(az vm list)', "unexpected EOF while looking for matching `\"'"),
        ("echo $(az 'vm)", "unexpected EOF while looking for matching `''"),
        ("echo ${RG", "unexpected EOF while looking for matching `}'"),
    ],
)
def test_unterminated(text, message):
    with pytest.raises(ShellSyntaxError) as info:
        parse(text, {}, no_subst)
    assert str(info.value) == message


@pytest.mark.parametrize(
    ("text", "op", "kind"),
    [
        ("az vm list | jq .", "|", "pipes and redirections"),
        ("az vm list > out.json", ">", "pipes and redirections"),
        ("az vm list >> out.json", ">>", "pipes and redirections"),
        ("az vm create < params", "<", "pipes and redirections"),
        ("az vm list 2>&1", ">&", "pipes and redirections"),
        ("az group create -n rg && az vm list", "&&", "command lists"),
        ("az group show -n rg || az group create", "||", "command lists"),
        ("az group list; az vm list", ";", "command lists"),
        ("az vm start -n vm &", "&", "background jobs"),
    ],
)
def test_unsupported_operators(text, op, kind):
    with pytest.raises(ShellSyntaxError) as info:
        parse(text, {}, no_subst)
    assert str(info.value) == f"{kind} are not supported here: '{op}'"


def test_pipe_message_wording():
    with pytest.raises(ShellSyntaxError) as info:
        parse("az vm list | jq", {}, no_subst)
    assert str(info.value) == "pipes and redirections are not supported here: '|'"


def test_operators_inside_substitution_are_the_callees_business():
    assert argv("echo $(a | b; c > d)", substitute=lambda s: s) == ["echo", "a", "|", "b;", "c", ">", "d"]


def test_backticks_rejected():
    for text in ("echo `date`", 'echo "`date`"', "echo $(echo `x`)"):
        with pytest.raises(ShellSyntaxError) as info:
            parse(text, {}, no_subst)
        assert str(info.value) == "backticks are not supported; use $(...)"
    assert argv(r"echo \` '`'") == ["echo", "`", "`"]


def test_syntax_error_before_any_substitution_runs():
    seen = []
    with pytest.raises(ShellSyntaxError):
        parse("echo $(az vm list) | wc", {}, lambda s: seen.append(s) or "")
    assert seen == []


def test_unquoted_parens_rejected():
    with pytest.raises(ShellSyntaxError, match=r"syntax error near unexpected token `\('"):
        parse("(cd x)", {}, no_subst)


def test_unsupported_expansions():
    with pytest.raises(ShellSyntaxError, match="arithmetic"):
        parse("echo $((1+2))", {}, no_subst)
    with pytest.raises(ShellSyntaxError, match="bad substitution"):
        parse("echo ${RG:-default}", {}, no_subst)


def test_unquoted_newline_separating_commands_rejected():
    with pytest.raises(ShellSyntaxError, match="newline"):
        parse("az group list\naz vm list", {}, no_subst)
    assert argv("az group list\n  \n") == ["az", "group", "list"]


# ---------------------------------------------------------------------------
# logical_lines
# ---------------------------------------------------------------------------


def test_backslash_continuation():
    script = (
        "az vm create \\\n"
        "  --resource-group $RG \\\n"
        "  --name vm1\n"
        "az vm list\n"
    )
    assert lines_of(script) == [
        LogicalLine("az vm create   --resource-group $RG   --name vm1", 1),
        LogicalLine("az vm list", 4),
    ]
    assert argv(lines_of(script)[0].text, {"RG": "rg"}) == [
        "az", "vm", "create", "--resource-group", "rg", "--name", "vm1",
    ]


def test_continuation_with_trailing_spaces_and_crlf():
    script = "az group create \\  \r\n  -n rg \\\r\n  -l eu\r\n"
    assert lines_of(script) == [LogicalLine("az group create   -n rg   -l eu", 1)]


def test_escaped_backslash_is_not_a_continuation():
    assert lines_of("echo a\\\\\necho b\n") == [
        LogicalLine("echo a\\\\", 1),
        LogicalLine("echo b", 2),
    ]


def test_comments_and_blank_lines_skipped():
    script = "#!/bin/bash\n\n   # set up\n\t\nRG=rg # the group\naz group show -n $RG\n"
    assert lines_of(script) == [
        LogicalLine("RG=rg", 5),
        LogicalLine("az group show -n $RG", 6),
    ]


def test_hash_inside_quotes_or_word_is_kept():
    script = """az vm list --query "[?name=='a#b']" -o tsv # trailing\naz x a#b 'c #d'\n"""
    assert lines_of(script) == [
        LogicalLine("""az vm list --query "[?name=='a#b']" -o tsv""", 1),
        LogicalLine("az x a#b 'c #d'", 2),
    ]


def test_comment_ends_continuation():
    # In bash the backslash belongs to the comment, so the line ends there.
    assert lines_of("az x # note \\\naz y\n") == [LogicalLine("az x", 1), LogicalLine("az y", 2)]


def test_comment_line_inside_continuation():
    assert lines_of("az x \\\n  # commented out\naz y\n") == [
        LogicalLine("az x", 1),
        LogicalLine("az y", 3),
    ]


def test_quoted_newline_continues_line():
    script = "az vm run-command invoke --scripts 'apt update\n# not a comment\napt install -y nginx' -n vm\naz vm list\n"
    result = lines_of(script)
    assert result == [
        LogicalLine(
            "az vm run-command invoke --scripts 'apt update\n# not a comment\napt install -y nginx' -n vm", 1
        ),
        LogicalLine("az vm list", 4),
    ]
    assert argv(result[0].text)[4:] == ["--scripts", "apt update\n# not a comment\napt install -y nginx", "-n", "vm"]


def test_double_quoted_and_substitution_newlines_continue():
    script = 'X="a\n\nb"\nY=$(az vm list\n  --query x)\n'
    assert lines_of(script) == [
        LogicalLine('X="a\n\nb"', 1),
        LogicalLine("Y=$(az vm list\n  --query x)", 4),
    ]


def test_continuation_inside_substitution():
    script = "VM_ID=$(az vm show \\  \n  -g rg -n vm \\\n  --query id -o tsv)\n"
    result = lines_of(script)
    assert result == [LogicalLine("VM_ID=$(az vm show \\\n  -g rg -n vm \\\n  --query id -o tsv)", 1)]
    seen = []
    cmd = parse(result[0].text, {}, lambda s: seen.append(parse(s, {}, no_subst).argv) or "id1")
    assert seen == [("az", "vm", "show", "-g", "rg", "-n", "vm", "--query", "id", "-o", "tsv")]
    assert cmd.assignments == (("VM_ID", "id1"),)


def test_unterminated_quote_at_eof_is_yielded_for_parse_to_report():
    result = lines_of("az x\necho 'oops\nmore\n")
    assert result == [LogicalLine("az x", 1), LogicalLine("echo 'oops\nmore", 2)]
    with pytest.raises(ShellSyntaxError, match="matching `''"):
        parse(result[1].text, {}, no_subst)


def test_continuation_at_eof():
    assert lines_of("az x \\\n") == [LogicalLine("az x", 1)]


def test_lines_without_newlines_and_leading_indent():
    assert list(logical_lines(["   az x   ", "az y\\", "z"])) == [
        LogicalLine("az x", 1),
        LogicalLine("az yz", 2),
    ]


def test_escaped_space_before_trailing_comment_is_kept():
    assert list(logical_lines(["echo a\\  # c"])) == [LogicalLine("echo a\\ ", 1)]
    assert argv("echo a\\ ") == ["echo", "a "]


def test_backslash_then_spaces_at_end_is_a_continuation():
    assert list(logical_lines(["echo a\\   ", "b"])) == [LogicalLine("echo ab", 1)]


def test_logical_lines_is_lazy():
    def source():
        yield "az x"
        raise RuntimeError("read too far")

    assert next(iter(logical_lines(source()))) == LogicalLine("az x", 1)


# ---------------------------------------------------------------------------
# Agreement with real bash
# ---------------------------------------------------------------------------

BASH_CASES = [
    "a b   c",
    """a 'b c' "d e" f\\ g""",
    """x"y"'z'w""",
    '$X',
    '"$X"',
    '$X"$X"$X',
    'pre$X post${X}',
    '"" \'\' $EMPTY "$EMPTY" x$EMPTY',
    r'"\"\\\$\`\a" \a\b',
    "$ a$ x$",
    """--query "[?name=='vm1'].id" --q2 [?a=='b']""",
    "a#b '#' \"#\" x # gone",
    '$SP x',
    '"$SP"',
    "A=1 arg",
]


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash not installed")
@pytest.mark.parametrize("text", BASH_CASES)
def test_agrees_with_bash(text):
    env = {"X": " a  b ", "EMPTY": "", "SP": " \t\n "}
    proc = subprocess.run(
        ["bash", "--norc", "--noprofile", "-c", "set -f; set -- " + text + '\nfor a; do printf "%s\\0" "$a"; done'],
        env={"PATH": "/usr/bin:/bin", **env},
        capture_output=True,
        text=True,
        check=True,
    )
    expected = proc.stdout.split("\0")[:-1]
    assert argv("set -- " + text, env)[2:] == expected
