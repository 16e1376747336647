"""The baseline: the fastest plain-Python checks of exactly vschema's rules, written by hand.

Each function returns its argument or raises `Invalid` with the path of the first issue and the
reason, checking what vschema checks for the same schema: exact types (``type(x) is str``, so
neither `bool` nor subclasses pass), every dict key exactly a `str` (checked before any lookup,
so a key's own ``__eq__`` never runs), no lone surrogates in strings, int64 bounds, ints up to
2**53 for float64, exactly the declared fields, at most 8192 array elements, Convex's field-name
rules for record keys, and Convex's ID format (checksum included) for `v.id`.

How they are tuned (each variant was timed against the previous baseline on the same samples;
RESULTS.md repeats this):

* bounds are literal constants (``-9007199254740992 <= n <= 9007199254740992``), which CPython
  folds into the code, not module globals negated on every call;
* the key types are one pass in C (``list(map(type, x)).count(str)``), as vschema does;
* a valid value builds nothing: error paths are constant tuples, or are worked out only once a
  check has failed (the index in an array, the level in the deep object);
* loops over arrays and records test each item inline: no ``enumerate``, no call per key;
* the 10,000-row batch has the row check written out in its loop, not called per row;
* large collections use the same bulk tricks as vschema (`_all_float64`, `_field_names`,
  ``struct.pack`` for int64): one pass in C over the types, then the values;
* an ID is decoded with ``int(text, 32)`` after a translation, its layout looked up by length.

The style for objects (a length check, one ``try`` block fetching the required fields, then one
``if`` per field) stayed the fastest of the variants tried (``dict.keys() ==`` a set, ``.get``,
a tuple of types compared at once).
"""

from __future__ import annotations

import struct
import zlib
from typing import Any

MAX_ARRAY = 8192
MAX_FIELDS = 1024
MAX_KEY = 1024
SAFE_INT = 2**53
MIN_INT64 = -(2**63)
MAX_INT64 = 2**63 - 1
#: Lists at least this long are checked in bulk (one pass in C per property); shorter ones in a
#: loop, which is faster for a few items.
BULK = 32

PLANS = frozenset({"free", "pro", "team"})
_MISSING = object()
_PRINTABLE_ASCII = bytes(range(0x20, 0x7F))


class Invalid(Exception):
    """A hand-written error object: ``Invalid(path, reason)``, where and why the value is wrong.

    No ``__init__`` of its own: `Exception` keeps the arguments, the cheapest error object."""

    @property
    def path(self) -> tuple[object, ...]:
        return self.args[0]  # type: ignore[no-any-return]

    @property
    def reason(self) -> str:
        return self.args[1]  # type: ignore[no-any-return]


def _utf8(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


# --------------------------------------------------------------------------------------------
# The slow side: only a value that already failed comes here, to find out where and why.


def _shape(value: object, path: tuple[object, ...], fields: frozenset[str]) -> Invalid:
    """The error for a dict whose keys are not exactly ``fields`` (or that is no dict)."""
    if type(value) is not dict:
        return Invalid(path, "expected an object")
    for key in value:
        if type(key) is not str:
            return Invalid(path, f"field names must be str, got {type(key).__name__}")
    missing = sorted(fields - value.keys())
    if missing:
        return Invalid((*path, missing[0]), "missing required field")
    extra = sorted(map(repr, value.keys() - fields))
    return Invalid(path, f"extra field {extra[0]}")


def _str_ok(item: object) -> bool:
    return type(item) is str and (item.isascii() or _utf8(item))


def _float64_ok(item: object) -> bool:
    return type(item) is float or (type(item) is int and -SAFE_INT <= item <= SAFE_INT)


def _int64_ok(item: object) -> bool:
    return type(item) is int and MIN_INT64 <= item <= MAX_INT64


def _key_ok(key: object) -> bool:
    return (
        type(key) is str
        and len(key) <= MAX_KEY
        and key.isascii()
        and key.isprintable()
        and key[:1] != "$"
    )


def _item_error(items: list[Any], path: tuple[object, ...], ok: Any, reason: str) -> Invalid:
    """The error for the first item of ``items`` that ``ok`` refuses."""
    for index, item in enumerate(items):
        if not ok(item):
            return Invalid((*path, index), reason)
    raise AssertionError("no item fails")  # pragma: no cover


def _record_error(
    record: dict[Any, Any], path: tuple[object, ...], ok: Any, reason: str
) -> Invalid:
    """The error for the first entry of ``record`` with a bad key or a value ``ok`` refuses."""
    for key, value in record.items():
        if not _key_ok(key):
            return Invalid((*path, key), "invalid field name")
        if not ok(value):
            return Invalid((*path, key), reason)
    raise AssertionError("no entry fails")  # pragma: no cover


# --------------------------------------------------------------------------------------------
# The flat row and the batch of 10,000


FLAT_FIELDS = frozenset({"id", "name", "email", "plan", "age", "score", "active", "visits"})


def flat_row(x: Any) -> Any:
    if type(x) is not dict or len(x) != 8 or list(map(type, x)).count(str) != 8:
        raise _shape(x, (), FLAT_FIELDS)
    try:
        a = x["id"]
        b = x["name"]
        c = x["email"]
        d = x["plan"]
        e = x["age"]
        f = x["score"]
        g = x["active"]
        h = x["visits"]
    except KeyError:
        raise _shape(x, (), FLAT_FIELDS) from None
    if type(a) is not str or not (a.isascii() or _utf8(a)):
        raise Invalid(("id",), "expected a string")
    if type(b) is not str or not (b.isascii() or _utf8(b)):
        raise Invalid(("name",), "expected a string")
    if type(c) is not str or not (c.isascii() or _utf8(c)):
        raise Invalid(("email",), "expected a string")
    if type(d) is not str or d not in PLANS:
        raise Invalid(("plan",), "expected 'free', 'pro' or 'team'")
    if type(e) is not float and (
        type(e) is not int or not -9007199254740992 <= e <= 9007199254740992
    ):
        raise Invalid(("age",), "expected a float64")
    if type(f) is not float and (
        type(f) is not int or not -9007199254740992 <= f <= 9007199254740992
    ):
        raise Invalid(("score",), "expected a float64")
    if type(g) is not bool:
        raise Invalid(("active",), "expected a boolean")
    if type(h) is not int or not -9223372036854775808 <= h <= 9223372036854775807:
        raise Invalid(("visits",), "expected an int64")
    return x


def _row_error(rows: list[Any], row: Any) -> Invalid:
    """The error for ``row``, which failed, with its index in ``rows`` in front of the path."""
    index = next(i for i, item in enumerate(rows) if item is row)
    try:
        flat_row(row)
    except Invalid as error:
        return Invalid((index, *error.path), error.reason)
    raise AssertionError("the row passes")  # pragma: no cover


def flat_rows(rows: list[Any]) -> list[Any]:
    """A batch of flat rows (a Python list of documents, not one Convex array): `flat_row`
    written out in the loop, since a call per row costs more than its checks."""
    for x in rows:
        if type(x) is not dict or len(x) != 8 or list(map(type, x)).count(str) != 8:
            raise _row_error(rows, x)
        try:
            a = x["id"]
            b = x["name"]
            c = x["email"]
            d = x["plan"]
            e = x["age"]
            f = x["score"]
            g = x["active"]
            h = x["visits"]
        except KeyError:
            raise _row_error(rows, x) from None
        if (
            type(a) is not str
            or not (a.isascii() or _utf8(a))
            or type(b) is not str
            or not (b.isascii() or _utf8(b))
            or type(c) is not str
            or not (c.isascii() or _utf8(c))
            or type(d) is not str
            or d not in PLANS
            or (
                type(e) is not float
                and (type(e) is not int or not -9007199254740992 <= e <= 9007199254740992)
            )
            or (
                type(f) is not float
                and (type(f) is not int or not -9007199254740992 <= f <= 9007199254740992)
            )
            or type(g) is not bool
            or type(h) is not int
            or not -9223372036854775808 <= h <= 9223372036854775807
        ):
            raise _row_error(rows, x)
    return rows


# --------------------------------------------------------------------------------------------
# The nested row


NESTED_FIELDS = frozenset(
    {"id", "author", "title", "body", "tags", "scores", "attachment", "meta", "views", "published"}
)
AUTHOR_FIELDS = frozenset({"name", "email", "karma"})
IMAGE_FIELDS = frozenset({"kind", "url", "width", "height"})
LINK_FIELDS = frozenset({"kind", "url", "title"})


def nested_row(x: Any) -> Any:
    if type(x) is not dict or list(map(type, x)).count(str) != len(x):
        raise _shape(x, (), NESTED_FIELDS)
    published = x.get("published", _MISSING)
    if published is not _MISSING and type(published) is not bool:
        raise Invalid(("published",), "expected a boolean")
    if len(x) != (9 if published is _MISSING else 10):
        raise _shape(
            x, (), NESTED_FIELDS if published is not _MISSING else NESTED_FIELDS - {"published"}
        )
    try:
        id_ = x["id"]
        author = x["author"]
        title = x["title"]
        body = x["body"]
        tags = x["tags"]
        scores = x["scores"]
        attachment = x["attachment"]
        meta = x["meta"]
        views = x["views"]
    except KeyError:
        raise _shape(x, (), NESTED_FIELDS) from None
    if type(id_) is not str or not (id_.isascii() or _utf8(id_)):
        raise Invalid(("id",), "expected a string")
    # author: {name, email?, karma}
    if type(author) is not dict or list(map(type, author)).count(str) != len(author):
        raise _shape(author, ("author",), AUTHOR_FIELDS)
    email = author.get("email", _MISSING)
    if email is not _MISSING and (type(email) is not str or not (email.isascii() or _utf8(email))):
        raise Invalid(("author", "email"), "expected a string")
    if len(author) != (2 if email is _MISSING else 3):
        raise _shape(author, ("author",), AUTHOR_FIELDS)
    try:
        name = author["name"]
        karma = author["karma"]
    except KeyError:
        raise _shape(author, ("author",), AUTHOR_FIELDS) from None
    if type(name) is not str or not (name.isascii() or _utf8(name)):
        raise Invalid(("author", "name"), "expected a string")
    if type(karma) is not int or not -9223372036854775808 <= karma <= 9223372036854775807:
        raise Invalid(("author", "karma"), "expected an int64")
    if type(title) is not str or not (title.isascii() or _utf8(title)):
        raise Invalid(("title",), "expected a string")
    if body is not None and (type(body) is not str or not (body.isascii() or _utf8(body))):
        raise Invalid(("body",), "expected a string or null")
    if type(tags) is not list or len(tags) > 8192:
        raise Invalid(("tags",), "expected an array of at most 8192 elements")
    for tag in tags:
        if type(tag) is not str or not (tag.isascii() or _utf8(tag)):
            raise _item_error(tags, ("tags",), _str_ok, "expected a string")
    if type(scores) is not list or len(scores) > 8192:
        raise Invalid(("scores",), "expected an array of at most 8192 elements")
    for score in scores:
        if type(score) is not float and (
            type(score) is not int or not -9007199254740992 <= score <= 9007199254740992
        ):
            raise _item_error(scores, ("scores",), _float64_ok, "expected a float64")
    # attachment: a union tagged by "kind"
    if type(attachment) is not dict or list(map(type, attachment)).count(str) != len(attachment):
        raise _shape(attachment, ("attachment",), IMAGE_FIELDS | LINK_FIELDS)
    kind = attachment.get("kind")
    if type(kind) is not str:
        raise Invalid(("attachment", "kind"), "expected 'image' or 'link'")
    if kind == "image":
        if len(attachment) != 4:
            raise _shape(attachment, ("attachment",), IMAGE_FIELDS)
        try:
            url = attachment["url"]
            width = attachment["width"]
            height = attachment["height"]
        except KeyError:
            raise _shape(attachment, ("attachment",), IMAGE_FIELDS) from None
        if type(url) is not str or not (url.isascii() or _utf8(url)):
            raise Invalid(("attachment", "url"), "expected a string")
        if type(width) is not int or not -9223372036854775808 <= width <= 9223372036854775807:
            raise Invalid(("attachment", "width"), "expected an int64")
        if type(height) is not int or not -9223372036854775808 <= height <= 9223372036854775807:
            raise Invalid(("attachment", "height"), "expected an int64")
    elif kind == "link":
        link_title = attachment.get("title", _MISSING)
        if link_title is not _MISSING and (
            type(link_title) is not str or not (link_title.isascii() or _utf8(link_title))
        ):
            raise Invalid(("attachment", "title"), "expected a string")
        if len(attachment) != (2 if link_title is _MISSING else 3):
            raise _shape(attachment, ("attachment",), LINK_FIELDS)
        try:
            url = attachment["url"]
        except KeyError:
            raise _shape(attachment, ("attachment",), LINK_FIELDS) from None
        if type(url) is not str or not (url.isascii() or _utf8(url)):
            raise Invalid(("attachment", "url"), "expected a string")
    else:
        raise Invalid(("attachment", "kind"), "expected 'image' or 'link'")
    # meta: record of string to string; each key and value tested inline
    if type(meta) is not dict or len(meta) > 1024:
        raise Invalid(("meta",), "expected an object of at most 1024 fields")
    for key, value in meta.items():
        if (
            type(key) is not str
            or len(key) > 1024
            or not key.isascii()
            or not key.isprintable()
            or key[:1] == "$"
            or type(value) is not str
            or not (value.isascii() or _utf8(value))
        ):
            raise _record_error(meta, ("meta",), _str_ok, "expected a string")
    if type(views) is not int or not -9223372036854775808 <= views <= 9223372036854775807:
        raise Invalid(("views",), "expected an int64")
    return x


# --------------------------------------------------------------------------------------------
# The wide object


WIDE_FIELDS = frozenset(f"f{i:02d}" for i in range(50))


def wide_object(x: Any) -> Any:
    """50 fields: f00 string, f01 float64, f02 int64, f03 boolean, f04 optional string, ..."""
    if type(x) is not dict or list(map(type, x)).count(str) != len(x):
        raise _shape(x, (), WIDE_FIELDS)
    n = len(x)
    f04 = x.get("f04", _MISSING)
    if f04 is not _MISSING:
        n -= 1
        if type(f04) is not str or not (f04.isascii() or _utf8(f04)):
            raise Invalid(("f04",), "expected a string")
    f09 = x.get("f09", _MISSING)
    if f09 is not _MISSING:
        n -= 1
        if type(f09) is not str or not (f09.isascii() or _utf8(f09)):
            raise Invalid(("f09",), "expected a string")
    f14 = x.get("f14", _MISSING)
    if f14 is not _MISSING:
        n -= 1
        if type(f14) is not str or not (f14.isascii() or _utf8(f14)):
            raise Invalid(("f14",), "expected a string")
    f19 = x.get("f19", _MISSING)
    if f19 is not _MISSING:
        n -= 1
        if type(f19) is not str or not (f19.isascii() or _utf8(f19)):
            raise Invalid(("f19",), "expected a string")
    f24 = x.get("f24", _MISSING)
    if f24 is not _MISSING:
        n -= 1
        if type(f24) is not str or not (f24.isascii() or _utf8(f24)):
            raise Invalid(("f24",), "expected a string")
    f29 = x.get("f29", _MISSING)
    if f29 is not _MISSING:
        n -= 1
        if type(f29) is not str or not (f29.isascii() or _utf8(f29)):
            raise Invalid(("f29",), "expected a string")
    f34 = x.get("f34", _MISSING)
    if f34 is not _MISSING:
        n -= 1
        if type(f34) is not str or not (f34.isascii() or _utf8(f34)):
            raise Invalid(("f34",), "expected a string")
    f39 = x.get("f39", _MISSING)
    if f39 is not _MISSING:
        n -= 1
        if type(f39) is not str or not (f39.isascii() or _utf8(f39)):
            raise Invalid(("f39",), "expected a string")
    f44 = x.get("f44", _MISSING)
    if f44 is not _MISSING:
        n -= 1
        if type(f44) is not str or not (f44.isascii() or _utf8(f44)):
            raise Invalid(("f44",), "expected a string")
    f49 = x.get("f49", _MISSING)
    if f49 is not _MISSING:
        n -= 1
        if type(f49) is not str or not (f49.isascii() or _utf8(f49)):
            raise Invalid(("f49",), "expected a string")
    if n != 40:
        raise _shape(x, (), WIDE_FIELDS)
    try:
        f00 = x["f00"]
        f01 = x["f01"]
        f02 = x["f02"]
        f03 = x["f03"]
        f05 = x["f05"]
        f06 = x["f06"]
        f07 = x["f07"]
        f08 = x["f08"]
        f10 = x["f10"]
        f11 = x["f11"]
        f12 = x["f12"]
        f13 = x["f13"]
        f15 = x["f15"]
        f16 = x["f16"]
        f17 = x["f17"]
        f18 = x["f18"]
        f20 = x["f20"]
        f21 = x["f21"]
        f22 = x["f22"]
        f23 = x["f23"]
        f25 = x["f25"]
        f26 = x["f26"]
        f27 = x["f27"]
        f28 = x["f28"]
        f30 = x["f30"]
        f31 = x["f31"]
        f32 = x["f32"]
        f33 = x["f33"]
        f35 = x["f35"]
        f36 = x["f36"]
        f37 = x["f37"]
        f38 = x["f38"]
        f40 = x["f40"]
        f41 = x["f41"]
        f42 = x["f42"]
        f43 = x["f43"]
        f45 = x["f45"]
        f46 = x["f46"]
        f47 = x["f47"]
        f48 = x["f48"]
    except KeyError:
        raise _shape(x, (), WIDE_FIELDS) from None
    if type(f00) is not str or not (f00.isascii() or _utf8(f00)):
        raise Invalid(("f00",), "expected a string")
    if type(f01) is not float and (
        type(f01) is not int or not -9007199254740992 <= f01 <= 9007199254740992
    ):
        raise Invalid(("f01",), "expected a float64")
    if type(f02) is not int or not -9223372036854775808 <= f02 <= 9223372036854775807:
        raise Invalid(("f02",), "expected an int64")
    if type(f03) is not bool:
        raise Invalid(("f03",), "expected a boolean")
    if type(f05) is not str or not (f05.isascii() or _utf8(f05)):
        raise Invalid(("f05",), "expected a string")
    if type(f06) is not float and (
        type(f06) is not int or not -9007199254740992 <= f06 <= 9007199254740992
    ):
        raise Invalid(("f06",), "expected a float64")
    if type(f07) is not int or not -9223372036854775808 <= f07 <= 9223372036854775807:
        raise Invalid(("f07",), "expected an int64")
    if type(f08) is not bool:
        raise Invalid(("f08",), "expected a boolean")
    if type(f10) is not str or not (f10.isascii() or _utf8(f10)):
        raise Invalid(("f10",), "expected a string")
    if type(f11) is not float and (
        type(f11) is not int or not -9007199254740992 <= f11 <= 9007199254740992
    ):
        raise Invalid(("f11",), "expected a float64")
    if type(f12) is not int or not -9223372036854775808 <= f12 <= 9223372036854775807:
        raise Invalid(("f12",), "expected an int64")
    if type(f13) is not bool:
        raise Invalid(("f13",), "expected a boolean")
    if type(f15) is not str or not (f15.isascii() or _utf8(f15)):
        raise Invalid(("f15",), "expected a string")
    if type(f16) is not float and (
        type(f16) is not int or not -9007199254740992 <= f16 <= 9007199254740992
    ):
        raise Invalid(("f16",), "expected a float64")
    if type(f17) is not int or not -9223372036854775808 <= f17 <= 9223372036854775807:
        raise Invalid(("f17",), "expected an int64")
    if type(f18) is not bool:
        raise Invalid(("f18",), "expected a boolean")
    if type(f20) is not str or not (f20.isascii() or _utf8(f20)):
        raise Invalid(("f20",), "expected a string")
    if type(f21) is not float and (
        type(f21) is not int or not -9007199254740992 <= f21 <= 9007199254740992
    ):
        raise Invalid(("f21",), "expected a float64")
    if type(f22) is not int or not -9223372036854775808 <= f22 <= 9223372036854775807:
        raise Invalid(("f22",), "expected an int64")
    if type(f23) is not bool:
        raise Invalid(("f23",), "expected a boolean")
    if type(f25) is not str or not (f25.isascii() or _utf8(f25)):
        raise Invalid(("f25",), "expected a string")
    if type(f26) is not float and (
        type(f26) is not int or not -9007199254740992 <= f26 <= 9007199254740992
    ):
        raise Invalid(("f26",), "expected a float64")
    if type(f27) is not int or not -9223372036854775808 <= f27 <= 9223372036854775807:
        raise Invalid(("f27",), "expected an int64")
    if type(f28) is not bool:
        raise Invalid(("f28",), "expected a boolean")
    if type(f30) is not str or not (f30.isascii() or _utf8(f30)):
        raise Invalid(("f30",), "expected a string")
    if type(f31) is not float and (
        type(f31) is not int or not -9007199254740992 <= f31 <= 9007199254740992
    ):
        raise Invalid(("f31",), "expected a float64")
    if type(f32) is not int or not -9223372036854775808 <= f32 <= 9223372036854775807:
        raise Invalid(("f32",), "expected an int64")
    if type(f33) is not bool:
        raise Invalid(("f33",), "expected a boolean")
    if type(f35) is not str or not (f35.isascii() or _utf8(f35)):
        raise Invalid(("f35",), "expected a string")
    if type(f36) is not float and (
        type(f36) is not int or not -9007199254740992 <= f36 <= 9007199254740992
    ):
        raise Invalid(("f36",), "expected a float64")
    if type(f37) is not int or not -9223372036854775808 <= f37 <= 9223372036854775807:
        raise Invalid(("f37",), "expected an int64")
    if type(f38) is not bool:
        raise Invalid(("f38",), "expected a boolean")
    if type(f40) is not str or not (f40.isascii() or _utf8(f40)):
        raise Invalid(("f40",), "expected a string")
    if type(f41) is not float and (
        type(f41) is not int or not -9007199254740992 <= f41 <= 9007199254740992
    ):
        raise Invalid(("f41",), "expected a float64")
    if type(f42) is not int or not -9223372036854775808 <= f42 <= 9223372036854775807:
        raise Invalid(("f42",), "expected an int64")
    if type(f43) is not bool:
        raise Invalid(("f43",), "expected a boolean")
    if type(f45) is not str or not (f45.isascii() or _utf8(f45)):
        raise Invalid(("f45",), "expected a string")
    if type(f46) is not float and (
        type(f46) is not int or not -9007199254740992 <= f46 <= 9007199254740992
    ):
        raise Invalid(("f46",), "expected a float64")
    if type(f47) is not int or not -9223372036854775808 <= f47 <= 9223372036854775807:
        raise Invalid(("f47",), "expected an int64")
    if type(f48) is not bool:
        raise Invalid(("f48",), "expected a boolean")
    return x


# --------------------------------------------------------------------------------------------
# The deep object


DEEP_LEVELS = 12
DEEP_FIELDS = frozenset({"name", "depth", "child"})
LEAF_FIELDS = frozenset({"name", "depth"})


def _deep_error(x: Any, level: int) -> Invalid:
    """The error for the object at ``level`` below the top ``x`` (0 is ``x``), which failed."""
    for _ in range(level):
        x = x["child"]
    path = ("child",) * level
    fields = LEAF_FIELDS if level == DEEP_LEVELS - 1 else DEEP_FIELDS
    if type(x) is not dict or list(map(type, x)).count(str) != len(x) or x.keys() != fields:
        return _shape(x, path, fields)
    if not _str_ok(x["name"]):
        return Invalid((*path, "name"), "expected a string")
    return Invalid((*path, "depth"), "expected an int64")


def deep_object(x: Any) -> Any:
    """12 nested objects ``{name, depth, child}``; the innermost has no ``child``.

    Written out level by level: a loop's bookkeeping (a counter, a path) costs about as much as
    a level's checks. A valid value builds no path; `_deep_error` works it out from the level.
    """
    c = x
    if type(c) is not dict or len(c) != 3 or list(map(type, c)).count(str) != 3:
        raise _deep_error(x, 0)
    try:
        name, depth, c = c["name"], c["depth"], c["child"]
    except KeyError:
        raise _deep_error(x, 0) from None
    if (
        type(name) is not str
        or not (name.isascii() or _utf8(name))
        or type(depth) is not int
        or not -9223372036854775808 <= depth <= 9223372036854775807
    ):
        raise _deep_error(x, 0)
    if type(c) is not dict or len(c) != 3 or list(map(type, c)).count(str) != 3:
        raise _deep_error(x, 1)
    try:
        name, depth, c = c["name"], c["depth"], c["child"]
    except KeyError:
        raise _deep_error(x, 1) from None
    if (
        type(name) is not str
        or not (name.isascii() or _utf8(name))
        or type(depth) is not int
        or not -9223372036854775808 <= depth <= 9223372036854775807
    ):
        raise _deep_error(x, 1)
    if type(c) is not dict or len(c) != 3 or list(map(type, c)).count(str) != 3:
        raise _deep_error(x, 2)
    try:
        name, depth, c = c["name"], c["depth"], c["child"]
    except KeyError:
        raise _deep_error(x, 2) from None
    if (
        type(name) is not str
        or not (name.isascii() or _utf8(name))
        or type(depth) is not int
        or not -9223372036854775808 <= depth <= 9223372036854775807
    ):
        raise _deep_error(x, 2)
    if type(c) is not dict or len(c) != 3 or list(map(type, c)).count(str) != 3:
        raise _deep_error(x, 3)
    try:
        name, depth, c = c["name"], c["depth"], c["child"]
    except KeyError:
        raise _deep_error(x, 3) from None
    if (
        type(name) is not str
        or not (name.isascii() or _utf8(name))
        or type(depth) is not int
        or not -9223372036854775808 <= depth <= 9223372036854775807
    ):
        raise _deep_error(x, 3)
    if type(c) is not dict or len(c) != 3 or list(map(type, c)).count(str) != 3:
        raise _deep_error(x, 4)
    try:
        name, depth, c = c["name"], c["depth"], c["child"]
    except KeyError:
        raise _deep_error(x, 4) from None
    if (
        type(name) is not str
        or not (name.isascii() or _utf8(name))
        or type(depth) is not int
        or not -9223372036854775808 <= depth <= 9223372036854775807
    ):
        raise _deep_error(x, 4)
    if type(c) is not dict or len(c) != 3 or list(map(type, c)).count(str) != 3:
        raise _deep_error(x, 5)
    try:
        name, depth, c = c["name"], c["depth"], c["child"]
    except KeyError:
        raise _deep_error(x, 5) from None
    if (
        type(name) is not str
        or not (name.isascii() or _utf8(name))
        or type(depth) is not int
        or not -9223372036854775808 <= depth <= 9223372036854775807
    ):
        raise _deep_error(x, 5)
    if type(c) is not dict or len(c) != 3 or list(map(type, c)).count(str) != 3:
        raise _deep_error(x, 6)
    try:
        name, depth, c = c["name"], c["depth"], c["child"]
    except KeyError:
        raise _deep_error(x, 6) from None
    if (
        type(name) is not str
        or not (name.isascii() or _utf8(name))
        or type(depth) is not int
        or not -9223372036854775808 <= depth <= 9223372036854775807
    ):
        raise _deep_error(x, 6)
    if type(c) is not dict or len(c) != 3 or list(map(type, c)).count(str) != 3:
        raise _deep_error(x, 7)
    try:
        name, depth, c = c["name"], c["depth"], c["child"]
    except KeyError:
        raise _deep_error(x, 7) from None
    if (
        type(name) is not str
        or not (name.isascii() or _utf8(name))
        or type(depth) is not int
        or not -9223372036854775808 <= depth <= 9223372036854775807
    ):
        raise _deep_error(x, 7)
    if type(c) is not dict or len(c) != 3 or list(map(type, c)).count(str) != 3:
        raise _deep_error(x, 8)
    try:
        name, depth, c = c["name"], c["depth"], c["child"]
    except KeyError:
        raise _deep_error(x, 8) from None
    if (
        type(name) is not str
        or not (name.isascii() or _utf8(name))
        or type(depth) is not int
        or not -9223372036854775808 <= depth <= 9223372036854775807
    ):
        raise _deep_error(x, 8)
    if type(c) is not dict or len(c) != 3 or list(map(type, c)).count(str) != 3:
        raise _deep_error(x, 9)
    try:
        name, depth, c = c["name"], c["depth"], c["child"]
    except KeyError:
        raise _deep_error(x, 9) from None
    if (
        type(name) is not str
        or not (name.isascii() or _utf8(name))
        or type(depth) is not int
        or not -9223372036854775808 <= depth <= 9223372036854775807
    ):
        raise _deep_error(x, 9)
    if type(c) is not dict or len(c) != 3 or list(map(type, c)).count(str) != 3:
        raise _deep_error(x, 10)
    try:
        name, depth, c = c["name"], c["depth"], c["child"]
    except KeyError:
        raise _deep_error(x, 10) from None
    if (
        type(name) is not str
        or not (name.isascii() or _utf8(name))
        or type(depth) is not int
        or not -9223372036854775808 <= depth <= 9223372036854775807
    ):
        raise _deep_error(x, 10)
    if type(c) is not dict or len(c) != 2 or list(map(type, c)).count(str) != 2:
        raise _deep_error(x, 11)
    try:
        name, depth = c["name"], c["depth"]
    except KeyError:
        raise _deep_error(x, 11) from None
    if (
        type(name) is not str
        or not (name.isascii() or _utf8(name))
        or type(depth) is not int
        or not -9223372036854775808 <= depth <= 9223372036854775807
    ):
        raise _deep_error(x, 11)
    return x


# --------------------------------------------------------------------------------------------
# The array of 1,000 int64 and the record of 1,000 entries

_pack = struct.pack
_StructError = struct.error


def int64_array(x: Any) -> Any:
    if type(x) is not list or len(x) > 8192:
        raise Invalid((), "expected an array of at most 8192 elements")
    n = len(x)
    # One pass in C over the types; then packing the (exact) ints as signed 64-bit integers
    # checks every bound in one more pass, faster than min() and max() over big ints.
    if list(map(type, x)).count(int) != n:
        raise _item_error(x, (), _int64_ok, "expected an int64")
    try:
        _pack(f"{n}q", *x)
    except _StructError:
        raise _item_error(x, (), _int64_ok, "expected an int64") from None
    return x


def float_record(x: Any) -> Any:
    """A record of string keys to float64 values, checked in bulk as vschema does."""
    if type(x) is not dict or len(x) > 1024:
        raise Invalid((), "expected an object of at most 1024 fields")
    n = len(x)
    if not n:
        return x
    # Keys: exact strs, then joined with "\n" (no valid name holds one), the separators are
    # exactly what is left after deleting the printable ASCII characters.
    if list(map(type, x)).count(str) != n:
        raise _record_error(x, (), _float64_ok, "expected a float64")
    joined = "\n".join(x)
    if (
        not joined.isascii()
        or len(joined.encode("ascii").translate(None, _PRINTABLE_ASCII)) != n - 1
        or ("$" in joined and (joined[0] == "$" or "\n$" in joined))
        or (len(joined) > 1024 and max(map(len, x)) > 1024)
    ):
        raise _record_error(x, (), _float64_ok, "expected a float64")
    # Values: all floats is the common case; ints need their magnitude checked.
    values = x.values()
    types = list(map(type, values))
    floats = types.count(float)
    if floats != n and (
        floats + types.count(int) != n
        or not all(
            type(value) is float or -9007199254740992 <= value <= 9007199254740992
            for value in values
        )
    ):
        raise _record_error(x, (), _float64_ok, "expected a float64")
    return x


# --------------------------------------------------------------------------------------------
# Convex IDs and a union of 50 literals

#: Crockford's digits to Python's base-32 digits (every other byte to "!", which ``int``
#: refuses), so ``int(digits, 32)`` decodes in C.
_TO_DIGITS = bytes(
    ord("0123456789abcdefghijklmnopqrstuv"[_c])
    if (_c := "0123456789abcdefghjkmnpqrstvwxyz".find(chr(b))) >= 0
    else ord("!")
    for b in range(256)
)
#: By ID length: (spare low bits, which must be 0, and their mask; bytes of the table number's
#: varint and the 16 bytes after it). The layout is the varint, 16 bytes, then a 2-byte
#: Fletcher-16 checksum.
_ID_LAYOUT = {
    length: (length * 5 % 8, (1 << length * 5 % 8) - 1, length * 5 // 8 - 18, length * 5 // 8 - 2)
    for length in (31, 32, 34, 36, 37)
}
_adler32 = zlib.adler32


def _id_ok(text: str) -> bool:
    """Whether the exact ``str`` ``text`` is a canonical Convex ID with a correct checksum."""
    layout = _ID_LAYOUT.get(len(text))
    if layout is None:
        return False
    try:
        bits = int(text.encode("ascii").translate(_TO_DIGITS), 32)
    except (UnicodeEncodeError, ValueError):  # not ASCII, or not the alphabet
        return False
    spare, mask, head, size = layout
    if bits & mask:
        return False
    bits >>= spare
    body = (bits >> 16).to_bytes(size, "big")
    # The table number's varint: continuation bits on all bytes but its last, which is not 0
    # (the shortest encoding, and table number 0 is no table); 5 bytes hold at most 2**32 - 1.
    last = body[head - 1]
    if not 0 < last < (0x10 if head == 5 else 0x80) or (head > 1 and min(body[: head - 1]) < 0x80):
        return False
    # Fletcher-16 of the body, c0 then c1 in the footer: Adler-32's two sums, which for at most
    # 21 bytes never reach its modulus (c0 starts at 1 there, so c1 counts it once a byte).
    sums = _adler32(body)
    return bits & 0xFFFF == ((sums - 1) & 0xFF) << 8 | ((sums >> 16) - size) & 0xFF


ID_FIELDS = frozenset({"authorId", "postId", "text"})


def ids_object(x: Any) -> Any:
    """``{authorId: v.id("users"), postId: v.id("posts"), text: v.string()}``."""
    if type(x) is not dict or len(x) != 3 or list(map(type, x)).count(str) != 3:
        raise _shape(x, (), ID_FIELDS)
    try:
        a = x["authorId"]
        b = x["postId"]
        c = x["text"]
    except KeyError:
        raise _shape(x, (), ID_FIELDS) from None
    if type(a) is not str or not _id_ok(a):
        raise Invalid(("authorId",), "expected an ID of table users")
    if type(b) is not str or not _id_ok(b):
        raise Invalid(("postId",), "expected an ID of table posts")
    if type(c) is not str or not (c.isascii() or _utf8(c)):
        raise Invalid(("text",), "expected a string")
    return x


#: The 50 literals of the union (the workload's `v.union` of `v.literal`s).
COUNTRIES = tuple(f"country-{i:02d}" for i in range(50))
_COUNTRIES = frozenset(COUNTRIES)
ADDRESS_FIELDS = frozenset({"city", "country"})


def address(x: Any) -> Any:
    """``{city: v.string(), country: v.union(...50 string literals)}``."""
    if type(x) is not dict or len(x) != 2 or list(map(type, x)).count(str) != 2:
        raise _shape(x, (), ADDRESS_FIELDS)
    try:
        city = x["city"]
        country = x["country"]
    except KeyError:
        raise _shape(x, (), ADDRESS_FIELDS) from None
    if type(city) is not str or not (city.isascii() or _utf8(city)):
        raise Invalid(("city",), "expected a string")
    if type(country) is not str or country not in _COUNTRIES:
        raise Invalid(("country",), "expected one of the 50 countries")
    return x
