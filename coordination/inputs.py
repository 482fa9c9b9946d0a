"""Bounds on what a request may carry: ids, page numbers, dates, text and JSON that both databases,
Python's date arithmetic and the spreadsheet writers can hold. Outside them is bad input (a form
error, 400 or 404), never a server error."""

import json
import math
import re
from datetime import date

from flask import abort, request
from flask_babel import lazy_gettext as _l
from werkzeug.routing import IntegerConverter

# PostgreSQL's `integer`; SQLite's integers are wider, but one bound keeps both databases alike.
MAX_INTEGER = 2**31 - 1
MIN_YEAR, MAX_YEAR = 1900, 2200
# C0 control characters but tab, line feed and carriage return: PostgreSQL refuses NUL in text,
# spreadsheets refuse the others, and no one types them on purpose.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
MAX_JSON_DEPTH = 32
CONTROL_CHARACTERS_MESSAGE = _l(
    "This text held invisible control characters; they have been removed, check it and send it again."
)


class BoundedIntConverter(IntegerConverter):
    """Flask's `<int:…>` matching 1 to MAX_INTEGER only: a larger id is a 404, not a database error."""

    def __init__(self, map, fixed_digits=0, min=1, max=MAX_INTEGER, signed=False):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def has_control_characters(value: str) -> bool:
    return CONTROL_CHARACTERS.search(value) is not None


def without_control_characters(value: str) -> str:
    return CONTROL_CHARACTERS.sub("", value)


def integer_in_range(value: int) -> bool:
    return -MAX_INTEGER <= value <= MAX_INTEGER


def date_in_range(value: date) -> bool:
    return MIN_YEAR <= value.year <= MAX_YEAR


def parse_int(value) -> int | None:
    """A whole number written in ASCII digits and within the database's range, else None."""
    text = (value or "").strip() if isinstance(value, str) else ""
    if not re.fullmatch(r"-?[0-9]{1,10}", text):
        return None
    number = int(text)
    return number if integer_in_range(number) else None


def arg_int(name: str) -> int | None:
    """The query string's `name` as a bounded whole number, or None when absent or not one."""
    return parse_int(request.args.get(name))


def page_number() -> int:
    """The `page` argument of a list: 1 when absent or malformed, 404 past any possible page."""
    raw = request.args.get("page", "").strip()
    if re.fullmatch(r"[0-9]+", raw) and (len(raw) > 10 or int(raw) > MAX_INTEGER):
        abort(404)
    number = parse_int(raw)
    return number if number is not None and number >= 1 else 1


def refuse_control_characters_in_query() -> None:
    """A `before_request` hook: a query string holding control characters is a 400.

    Forms re-show such text with an error; a query string is read by many views directly, and
    a NUL in it would reach PostgreSQL."""
    for key, value in request.args.items(multi=True):
        if has_control_characters(key) or has_control_characters(value):
            abort(400)


class JSONRefused(ValueError):
    """The text is not JSON we accept: malformed, nested too deeply, or with a non-finite number."""


def load_json(text: str, max_depth: int = MAX_JSON_DEPTH):
    """`json.loads` refusing what would break the code reading it: depth, infinities, NaN."""

    def finite(literal: str) -> float:
        number = float(literal)
        if not math.isfinite(number):
            raise JSONRefused(literal)
        return number

    def refuse_constant(literal: str):
        raise JSONRefused(literal)

    if _depth(text) > max_depth:
        raise JSONRefused("nested too deeply")
    try:
        return json.loads(text, parse_float=finite, parse_constant=refuse_constant)
    except (ValueError, RecursionError) as error:
        raise JSONRefused(str(error)) from error


def _depth(text: str) -> int:
    """The deepest nesting of brackets outside strings, counted without parsing (no recursion)."""
    depth = deepest = 0
    in_string = escaped = False
    for character in text:
        if in_string:
            if escaped:
                escaped = False
            elif character == "\\":
                escaped = True
            elif character == '"':
                in_string = False
        elif character == '"':
            in_string = True
        elif character in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif character in "]}":
            depth -= 1
    return deepest
