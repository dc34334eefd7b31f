"""redis: the store's commands and redis-cli's output formats."""

from k8scourse.apps.net import RedisError
from k8scourse.apps.redis import RedisStore, Status, format_reply
from k8scourse.sim.clock import Clock


def test_set_get_del_incr():
    """SET/GET/DEL/INCR behave like redis and reply with its types."""
    s = RedisStore()
    assert s.execute(["SET", "k", "v"]) == Status("OK")
    assert s.execute(["GET", "k"]) == "v"
    assert s.execute(["GET", "nope"]) is None
    assert s.execute(["INCR", "n"]) == 1
    assert s.execute(["INCR", "n"]) == 2
    assert s.execute(["DEL", "k", "n", "x"]) == 2


def test_lists_used_by_the_voting_app():
    """RPUSH appends, LPOP takes from the head, LLEN/LRANGE read, an emptied list disappears."""
    s = RedisStore()
    assert s.execute(["RPUSH", "votes", "a", "b"]) == 2
    assert s.execute(["LRANGE", "votes", "0", "-1"]) == ["a", "b"]
    assert s.execute(["LLEN", "votes"]) == 2
    assert s.execute(["LPOP", "votes"]) == "a"
    assert s.execute(["LPOP", "votes"]) == "b"
    assert s.execute(["LPOP", "votes"]) is None
    assert s.execute(["KEYS", "*"]) == []


def test_error_replies_have_redis_texts():
    """Wrong type, non-integer, arity and unknown command errors use redis 7's words."""
    s = RedisStore()
    s.execute(["SET", "k", "v"])
    assert str(s.execute(["LPUSH", "k", "x"])) == "WRONGTYPE Operation against a key holding the wrong kind of value"
    assert str(s.execute(["INCR", "k"])) == "ERR value is not an integer or out of range"
    assert str(s.execute(["GET"])) == "ERR wrong number of arguments for 'get' command"
    assert str(s.execute(["FOO", "a"])) == "ERR unknown command 'FOO', with args beginning with: 'a' "


def test_expire_and_ttl_follow_simulated_time():
    """EXPIRE makes a key vanish when the simulated clock passes its deadline."""
    clock = Clock()
    s = RedisStore(clock)
    s.execute(["SET", "k", "v"])
    assert s.execute(["TTL", "k"]) == -1
    assert s.execute(["EXPIRE", "k", "10"]) == 1
    clock.run(4)
    assert s.execute(["TTL", "k"]) == 6
    clock.run(11)
    assert s.execute(["GET", "k"]) is None
    assert s.execute(["TTL", "k"]) == -2


def test_redis_cli_terminal_format():
    """On a terminal redis-cli quotes strings and labels integers, nil and errors."""
    assert format_reply(Status("PONG")) == "PONG\n"
    assert format_reply("v") == '"v"\n'
    assert format_reply(3) == "(integer) 3\n"
    assert format_reply(None) == "(nil)\n"
    assert format_reply(["a", "b"]) == '1) "a"\n2) "b"\n'
    assert format_reply([]) == "(empty array)\n"
    assert format_reply(RedisError("ERR x")) == "(error) ERR x\n"


def test_redis_cli_piped_format_is_raw():
    """Piped (no tty), redis-cli prints raw values: no quotes, nil as an empty line."""
    assert format_reply("v", tty=False) == "v\n"
    assert format_reply(None, tty=False) == "\n"
    assert format_reply(2, tty=False) == "2\n"
    assert format_reply(["a", "b"], tty=False) == "a\nb\n"
