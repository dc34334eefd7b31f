"""postgres: the SQL the voting app runs, PostgreSQL's errors, psql's table format."""

import pytest

from k8scourse.apps.postgres import Database, SqlError, format_error, format_result

CREATE = """CREATE TABLE IF NOT EXISTS votes (
    id VARCHAR(255) NOT NULL UNIQUE,
    vote VARCHAR(255) NOT NULL
)"""


def db_with_votes():
    db = Database()
    db.execute(CREATE)
    db.execute("INSERT INTO votes (id, vote) VALUES ('v1', 'a'), ('v2', 'b'), ('v3', 'a')")
    return db


def test_group_by_count_in_psql_format():
    """The result app's tally query, printed as psql's aligned table."""
    res = db_with_votes().execute("SELECT vote, COUNT(id) AS count FROM votes GROUP BY vote")[0]
    assert format_result(res) == (" vote | count \n"
                                  "------+-------\n"
                                  " a    |     2\n"
                                  " b    |     1\n"
                                  "(2 rows)\n\n")


def test_unique_violation_then_update():
    """A second INSERT of one voter fails on the unique key; the worker then UPDATEs."""
    db = db_with_votes()
    with pytest.raises(SqlError) as e:
        db.execute("INSERT INTO votes (id, vote) VALUES ('v1', 'b')")
    assert format_error(e.value) == ('ERROR:  duplicate key value violates unique constraint "votes_id_key"\n'
                                     "DETAIL:  Key (id)=(v1) already exists.\n")
    assert db.execute("UPDATE votes SET vote = 'b' WHERE id = 'v1'")[0].tag == "UPDATE 1"
    res = db.execute("SELECT * FROM votes WHERE id = 'v1'")[0]
    assert res.rows == [("v1", "b")]


def test_missing_relation_error_with_caret():
    """A missing table gives PostgreSQL's error with psql's LINE/caret context."""
    with pytest.raises(SqlError) as e:
        Database().execute("SELECT * FROM votes")
    assert format_error(e.value) == ('ERROR:  relation "votes" does not exist\n'
                                     "LINE 1: SELECT * FROM votes\n"
                                     "                      ^\n")


def test_syntax_error_names_the_token():
    """A misspelt keyword is reported as `syntax error at or near`."""
    with pytest.raises(SqlError) as e:
        Database().execute("SELEC 1")
    assert e.value.message == 'syntax error at or near "SELEC"'


def test_command_tags_and_select_one():
    """Statements answer with their command tags; SELECT 1 has the ?column? header."""
    db = Database()
    assert format_result(db.execute(CREATE)[0]) == "CREATE TABLE\n"
    assert db.execute(CREATE)[0].notice == 'relation "votes" already exists, skipping'
    assert format_result(db.execute("INSERT INTO votes VALUES ('x', 'a')")[0]) == "INSERT 0 1\n"
    assert format_result(db.execute("SELECT 1")[0]) == " ?column? \n----------\n        1\n(1 row)\n\n"
    assert format_result(db.execute("DELETE FROM votes")[0]) == "DELETE 1\n"
