"""ErrorCode against the normative table, for all 57 codes."""

from __future__ import annotations

import grpc
import pytest

import chat_errors
from chat_errors import ErrorCode
from conftest import ROWS, Row


def test_the_enum_has_exactly_the_tables_codes() -> None:
    assert sorted(code.value for code in ErrorCode) == sorted(ROWS)
    assert len(ROWS) == 57


@pytest.mark.parametrize("row", ROWS.values(), ids=lambda row: str(row.code))
def test_each_code_matches_its_row(row: Row) -> None:
    code = ErrorCode(row.code)
    assert code == row.code
    assert code.name == row.reason
    assert ErrorCode[row.reason] is code
    assert code.reason == row.reason
    assert code.name_in_catalogue == row.name
    assert code.grpc_code is row.grpc_code
    assert code.http_status == row.http_status
    assert code.retryable is row.retryable
    assert code.description("ko-KR") == row.description_ko
    assert code.description("en-US") == row.description_en
    assert code.description() == row.description_en


def test_members_are_named_by_reason() -> None:
    number: int = ErrorCode.CHANNEL_NOT_FOUND
    assert number == 2003
    assert ErrorCode.CHANNEL_NOT_FOUND.grpc_code is grpc.StatusCode.NOT_FOUND
    assert ErrorCode.INTERNAL_SERVER_ERROR_3000.name_in_catalogue == "InternalServerError"


def test_descriptions_fall_back_by_language() -> None:
    row = ROWS[2003]
    assert ErrorCode.CHANNEL_NOT_FOUND.description("ko") == row.description_ko
    assert ErrorCode.CHANNEL_NOT_FOUND.description("EN-gb") == row.description_en
    with pytest.raises(LookupError, match="fr-FR"):
        ErrorCode.CHANNEL_NOT_FOUND.description("fr-FR")


def test_locales_lists_the_catalogues_languages() -> None:
    assert set(chat_errors.LOCALES) >= {"ko-KR", "en-US"}
