"""pflag's parsing rules, as kubectl's commands see them."""

import pytest

from k8scourse.kubectl.flags import (ARRAY, BOOL, INT, SLICE, STRING, Flag, FlagError, FlagSet,
                                     HelpRequested, parse_go_duration)


def _fs():
    return FlagSet([Flag("namespace", STRING, "", "n"), Flag("image", STRING),
                    Flag("replicas", INT, -1), Flag("all", BOOL), Flag("stdin", BOOL, False, "i"),
                    Flag("tty", BOOL, False, "t"), Flag("filename", SLICE, None, "f"),
                    Flag("env", ARRAY), Flag("dry-run", STRING, "none", no_opt="unchanged")])


def test_long_flag_with_equals_and_with_a_separate_value():
    """`--flag=value` and `--flag value` both set the flag."""
    fs = _fs()
    fs.parse(["--image=nginx", "--namespace", "dev", "web"])
    assert fs["image"] == "nginx" and fs["namespace"] == "dev" and fs.args == ["web"]


def test_short_flag_forms():
    """`-n ns`, `-nns` and `-n=ns` are the same flag."""
    for argv in (["-n", "dev"], ["-ndev"], ["-n=dev"]):
        fs = _fs()
        fs.parse(argv)
        assert fs["namespace"] == "dev"


def test_combined_short_booleans():
    """`-it` sets both -i and -t."""
    fs = _fs()
    fs.parse(["-it", "busybox"])
    assert fs["stdin"] and fs["tty"] and fs.args == ["busybox"]


def test_flags_may_follow_positional_arguments():
    """pflag intersperses flags and arguments."""
    fs = _fs()
    fs.parse(["nginx", "--image", "nginx", "extra"])
    assert fs.args == ["nginx", "extra"] and fs["image"] == "nginx"


def test_double_dash_ends_the_flags_and_remembers_where():
    """Everything after `--` is positional; ArgsLenAtDash counts the arguments before it."""
    fs = _fs()
    fs.parse(["box", "--image=busybox", "--", "sleep", "--all"])
    assert fs.args == ["box", "sleep", "--all"] and fs.args_len_at_dash == 1
    assert fs["all"] is False


def test_unknown_flag_text():
    """An unknown long flag is reported with pflag's words."""
    with pytest.raises(FlagError, match=r"^unknown flag: --replicas2$"):
        _fs().parse(["--replicas2=3"])


def test_unknown_shorthand_text():
    """An unknown shorthand names the character and the group it was in."""
    with pytest.raises(FlagError) as e:
        _fs().parse(["-x"])
    assert str(e.value) == "unknown shorthand flag: 'x' in -x"


def test_missing_value_texts():
    """A flag at the end of the line without its value."""
    with pytest.raises(FlagError) as e:
        _fs().parse(["--image"])
    assert str(e.value) == "flag needs an argument: --image"
    with pytest.raises(FlagError) as e:
        _fs().parse(["-n"])
    assert str(e.value) == "flag needs an argument: 'n' in -n"


def test_bad_int_and_bool_values():
    """Values that do not parse name the flag and Go's strconv error."""
    with pytest.raises(FlagError) as e:
        _fs().parse(["--replicas=three"])
    assert str(e.value) == ('invalid argument "three" for "--replicas" flag: strconv.ParseInt: '
                            'parsing "three": invalid syntax')
    with pytest.raises(FlagError) as e:
        _fs().parse(["--all=maybe"])
    assert str(e.value) == ('invalid argument "maybe" for "--all" flag: strconv.ParseBool: '
                            'parsing "maybe": invalid syntax')


def test_negative_number_as_a_separate_value():
    """`--replicas -1` takes -1 as the value (the flag needs one)."""
    fs = _fs()
    fs.parse(["--replicas", "-1"])
    assert fs["replicas"] == -1


def test_string_slice_splits_and_repeats():
    """`-f a,b -f c` gives three file names; a string array keeps commas."""
    fs = _fs()
    fs.parse(["-f", "a.yaml,b.yaml", "-f", "c.yaml", "--env=A=1,2", "--env", "B=2"])
    assert fs["filename"] == ["a.yaml", "b.yaml", "c.yaml"]
    assert fs["env"] == ["A=1,2", "B=2"]


def test_no_opt_default_value():
    """`--dry-run` alone is `unchanged` (kubectl then means client)."""
    fs = _fs()
    fs.parse(["--dry-run"])
    assert fs["dry-run"] == "unchanged"


def test_underscores_are_normalized():
    """kubectl accepts `--dry_run` for `--dry-run`."""
    fs = _fs()
    fs.parse(["--dry_run=client"])
    assert fs["dry-run"] == "client"


def test_help_flags():
    """-h and --help ask for help."""
    for argv in (["-h"], ["--help"]):
        with pytest.raises(HelpRequested):
            _fs().parse(argv)


def test_go_durations():
    """time.ParseDuration forms used by --timeout."""
    assert parse_go_duration("30s") == 30.0
    assert parse_go_duration("2m") == 120.0
    assert parse_go_duration("1h30m") == 5400.0
    assert parse_go_duration("0") == 0.0
    with pytest.raises(ValueError, match='missing unit in duration "10"'):
        parse_go_duration("10")
