"""Pagination for busy lists: a window count (page and total in one query), or a capped count."""

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select, func, select

from coordination.extensions import db
from coordination.inputs import page_number


class WindowPagination(Pagination):
    """Like `db.paginate`, but the rows carry `count(*) OVER ()`, so one query gives page and total.

    The rows are Core rows (attribute access by column name), not ORM objects: the busy lists show
    a few columns, and building objects was most of their cost. The count query runs only when the
    page is past the end and so has no row to carry the total.
    """

    def _query_items(self) -> list:
        query: Select = self._query_args["select"]
        rows = db.session.execute(
            query.add_columns(func.count().over().label("_total"))
            .limit(self.per_page)
            .offset(self._query_offset)
        ).all()
        self._total = rows[0]._total if rows else None
        return rows

    def _query_count(self) -> int:
        if self._total is not None:
            return self._total
        query: Select = self._query_args["select"]
        return db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))


# How far past the current page a capped count goes before it says "more than".
COUNT_STEP = 1000


class CappedPagination(Pagination):
    """Like `db.paginate`, with a count that stops a little past the page.

    A count of every row walks every row (in a search, every match) on each page; past
    COUNT_STEP rows beyond the page the exact figure tells a reader nothing more. Then `total` is
    that bound, `more` is true ("more than 1000 documents"), and the pages up to it are offered,
    including a next page.
    """

    more = False

    def _query_items(self) -> list:
        query: Select = self._query_args["select"]
        return list(db.session.scalars(query.limit(self.per_page).offset(self._query_offset)))

    def _query_count(self) -> int:
        bound = COUNT_STEP * ((self._query_offset + self.per_page) // COUNT_STEP + 1)
        counted: Select = self._query_args["counted"]
        total = db.session.scalar(
            select(func.count()).select_from(counted.order_by(None).limit(bound + 1).subquery())
        )
        if total > bound:
            self.more = True
            return bound
        return total


def paginate_capped(query: Select, per_page: int, count: Select | None = None) -> CappedPagination:
    """A page of `query`'s objects and a capped count of `count` (by default the same query, which
    may select fewer columns or skip what only the order needs)."""
    return CappedPagination(
        select=query,
        counted=query if count is None else count,
        page=page_number(),
        per_page=per_page,
        error_out=False,
    )


class CountedPagination(WindowPagination):
    """Like WindowPagination, but the rows carry the total from an uncorrelated count subquery,
    which the database computes once: the window count reads and sorts every matching row before
    the first of the page, which an index often spares the count."""

    def _query_items(self) -> list:
        query: Select = self._query_args["select"]
        total = select(func.count()).select_from(query.order_by(None).subquery()).scalar_subquery()
        rows = db.session.execute(
            query.add_columns(total.label("_total")).limit(self.per_page).offset(self._query_offset)
        ).all()
        self._total = rows[0]._total if rows else None
        return rows


def paginate_rows(query: Select, per_page: int, count_apart: bool = False) -> WindowPagination:
    """A page of `query`'s rows; the page number comes from the request's `page` argument.

    `count_apart` counts the matches apart from the page's rows (see CountedPagination)."""
    kind = CountedPagination if count_apart else WindowPagination
    return kind(select=query, page=page_number(), per_page=per_page, error_out=False)
