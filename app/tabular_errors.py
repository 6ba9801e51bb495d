"""Why a file is not a readable table: a code and its parameters (pure; `app.tabular_messages`
turns the code into the sentence shown by the file field or in the API's error)."""

from __future__ import annotations


class TableError(Exception):
    """`code` is one of: too_large, empty, xls, ods, not_table, encoding, binary, csv, too_many_rows,
    column_twice, xlsx_damaged, xlsx_too_big."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params
