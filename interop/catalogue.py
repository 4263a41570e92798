"""The normative error table, read from tests/fixtures/error-codes.tsv.

Every expected value the interop checks use comes from this table rather than
being typed again here.
"""

import pathlib
from dataclasses import dataclass

import grpc

REPO = pathlib.Path(__file__).resolve().parent.parent
TABLE = REPO / "tests" / "fixtures" / "error-codes.tsv"
COLUMNS = [
    "code", "name", "reason", "grpc_code", "http_status", "retryable",
    "description_ko", "description_en",
]

DOMAIN = "chat.errors.v1"
KOREAN_LOCALE = "ko-KR"
ENGLISH_LOCALE = "en-US"


@dataclass(frozen=True)
class Row:
    code: int
    name: str
    reason: str
    grpc_code: str
    http_status: int
    retryable: bool
    description_ko: str
    description_en: str

    @property
    def status_code(self) -> grpc.StatusCode:
        return grpc.StatusCode[self.grpc_code]

    def description(self, locale: str) -> str:
        """The description in one of the catalogue's locales."""
        return {KOREAN_LOCALE: self.description_ko, ENGLISH_LOCALE: self.description_en}[locale]


def load() -> dict[int, Row]:
    """The table's rows by numeric code."""
    lines = TABLE.read_text(encoding="utf-8").splitlines()
    if lines[0].split("\t") != COLUMNS:
        raise ValueError(f"{TABLE}: unexpected header {lines[0]!r}")
    rows = {}
    for line in lines[1:]:
        fields = line.split("\t")
        if len(fields) != len(COLUMNS):
            raise ValueError(f"{TABLE}: {len(fields)} columns in {line!r}")
        code, name, reason, grpc_code, http, retryable, ko, en = fields
        if retryable not in ("true", "false"):
            raise ValueError(f"{TABLE}: retryable {retryable!r} in {line!r}")
        rows[int(code)] = Row(int(code), name, reason, grpc_code, int(http),
                              retryable == "true", ko, en)
    return rows
