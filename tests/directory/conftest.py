"""Fixtures of the directory tests: counting the SQL statements a block of code issues."""

from contextlib import contextmanager

import pytest
from sqlalchemy import event

from coordination.extensions import db


@pytest.fixture
def count_queries(app):
    """`with count_queries() as statements:` collects every SQL statement sent during the block."""

    @contextmanager
    def counting():
        statements: list[str] = []

        def before_cursor_execute(conn, cursor, statement, parameters, context, executemany):
            statements.append(statement)

        event.listen(db.engine, "before_cursor_execute", before_cursor_execute)
        try:
            yield statements
        finally:
            event.remove(db.engine, "before_cursor_execute", before_cursor_execute)

    return counting
