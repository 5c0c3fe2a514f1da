"""Pydantic's validation dumps become one plain line per argument."""

from mcp import Client

from server.app import build_server
from server.argument_errors import tidy
from server.cli import sandbox_settings

MISSING_AND_RANGE = (
    "Error executing tool list_tests: 2 validation errors for list_testsArguments\n"
    "training_key\n"
    "  Field required [type=missing, input_value={'page': -1}, input_type=dict]\n"
    "    For further information visit https://errors.pydantic.dev/2.14/v/missing\n"
    "page\n"
    "  Input should be greater than or equal to 0 [type=greater_than_equal, input_value=-1, input_type=int]\n"
    "    For further information visit https://errors.pydantic.dev/2.14/v/greater_than_equal"
)


def test_missing_and_out_of_range_arguments_are_one_line_each():
    assert tidy(MISSING_AND_RANGE) == (
        "Error executing tool list_tests: invalid arguments. training_key: it is required. "
        "page: Input should be greater than or equal to 0 (got -1)."
    )


def test_own_validator_message_keeps_its_words():
    dump = (
        "Error executing tool get_training: 1 validation error for get_trainingArguments\n"
        "training_key\n"
        "  Value error, training_key '1/../2' is not a valid key. [type=value_error, input_value='1/../2', "
        "input_type=str]\n"
        "    For further information visit https://errors.pydantic.dev/2.14/v/value_error"
    )

    assert (
        tidy(dump) == "Error executing tool get_training: invalid arguments. training_key '1/../2' is not a valid key."
    )


def test_unparsable_date_gets_the_iso_form():
    dump = (
        "Error executing tool create_training: 1 validation error for create_trainingArguments\n"
        "sessions.0.start\n"
        "  Input should be a valid datetime or date, invalid character in year "
        "[type=datetime_from_date_parsing, input_value='next tuesday', input_type=str]\n"
        "    For further information visit https://errors.pydantic.dev/2.14/v/datetime_from_date_parsing"
    )

    assert tidy(dump) == (
        "Error executing tool create_training: invalid arguments. sessions.0.start: Input should be a valid "
        "datetime or date, invalid character in year (got 'next tuesday'); use ISO 8601, such as "
        "2030-01-31T09:00:00 or 2030-01-31T09:00:00+01:00."
    )


def test_other_errors_are_left_alone():
    assert tidy("Error executing tool get_training: training_key '9' was not found.") is None
    assert tidy("Unknown tool: delete_training") is None


async def test_server_sends_the_tidy_text():
    settings, transport = sandbox_settings(log_level="WARNING")

    async with Client(build_server(settings, transport)) as client:
        result = await client.call_tool("list_trainings", {"limit": "abc"})

    assert result.is_error is True
    assert result.content[0].text == (
        "Error executing tool list_trainings: invalid arguments. limit: Input should be a valid integer, "
        "unable to parse string as an integer (got 'abc')."
    )
