"""The baseline: the fastest plain-Python checks of exactly vschema's rules, written by hand.

Each function returns its argument or raises `Invalid` with the path and the reason, checking
what vschema checks for the same schema: exact types (``type(x) is str``, so neither `bool` nor
subclasses pass), no lone surrogates in strings, int64 bounds, ints up to 2**53 for float64,
exactly the declared fields, at most 8192 array elements, and Convex's field-name rules for
record keys. The style (one ``try`` block fetching the required fields after a length check, then
one ``if`` per field) was the fastest of the variants tried (``dict.keys() ==`` a set, ``.get``,
a tuple of types compared at once).
"""

from __future__ import annotations

from typing import Any

MIN_INT64 = -(2**63)
MAX_INT64 = 2**63 - 1
SAFE_INT = 2**53
MAX_ARRAY = 8192
MAX_FIELDS = 1024
MAX_KEY = 1024

PLANS = frozenset({"free", "pro", "team"})


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


def _shape(value: object, path: tuple[object, ...], fields: frozenset[str]) -> Invalid:
    """The error for a dict whose keys are not exactly ``fields`` (or that is no dict)."""
    if type(value) is not dict:
        return Invalid(path, "expected an object")
    missing = sorted(fields - value.keys())
    if missing:
        return Invalid((*path, missing[0]), "missing required field")
    extra = sorted(map(repr, value.keys() - fields))
    return Invalid(path, f"extra field {extra[0]}")


FLAT_FIELDS = frozenset({"id", "name", "email", "plan", "age", "score", "active", "visits"})


def flat_row(x: Any) -> Any:
    if type(x) is not dict or len(x) != 8:
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
    if type(e) is not float and (type(e) is not int or not -SAFE_INT <= e <= SAFE_INT):
        raise Invalid(("age",), "expected a float64")
    if type(f) is not float and (type(f) is not int or not -SAFE_INT <= f <= SAFE_INT):
        raise Invalid(("score",), "expected a float64")
    if type(g) is not bool:
        raise Invalid(("active",), "expected a boolean")
    if type(h) is not int or not MIN_INT64 <= h <= MAX_INT64:
        raise Invalid(("visits",), "expected an int64")
    return x


def flat_rows(rows: list[Any]) -> list[Any]:
    """A batch of flat rows (a Python list of documents, not one Convex array)."""
    for row in rows:
        flat_row(row)
    return rows


NESTED_FIELDS = frozenset(
    {"id", "author", "title", "body", "tags", "scores", "attachment", "meta", "views", "published"}
)
AUTHOR_FIELDS = frozenset({"name", "email", "karma"})
IMAGE_FIELDS = frozenset({"kind", "url", "width", "height"})
LINK_FIELDS = frozenset({"kind", "url", "title"})


def _key_ok(key: object) -> bool:
    return (
        type(key) is str
        and len(key) <= MAX_KEY
        and key.isascii()
        and key.isprintable()
        and not key.startswith("$")
    )


def nested_row(x: Any) -> Any:
    if type(x) is not dict:
        raise Invalid((), "expected an object")
    n = len(x)
    published = x.get("published", x)
    if published is not x:
        n -= 1
        if type(published) is not bool:
            raise Invalid(("published",), "expected a boolean")
    if n != 9:
        raise _shape(x, (), NESTED_FIELDS if published is not x else NESTED_FIELDS - {"published"})
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
    if type(author) is not dict:
        raise Invalid(("author",), "expected an object")
    n = len(author)
    email = author.get("email", author)
    if email is not author:
        n -= 1
        if type(email) is not str or not (email.isascii() or _utf8(email)):
            raise Invalid(("author", "email"), "expected a string")
    if n != 2:
        raise _shape(author, ("author",), AUTHOR_FIELDS)
    try:
        name = author["name"]
        karma = author["karma"]
    except KeyError:
        raise _shape(author, ("author",), AUTHOR_FIELDS) from None
    if type(name) is not str or not (name.isascii() or _utf8(name)):
        raise Invalid(("author", "name"), "expected a string")
    if type(karma) is not int or not MIN_INT64 <= karma <= MAX_INT64:
        raise Invalid(("author", "karma"), "expected an int64")
    if type(title) is not str or not (title.isascii() or _utf8(title)):
        raise Invalid(("title",), "expected a string")
    if body is not None and (type(body) is not str or not (body.isascii() or _utf8(body))):
        raise Invalid(("body",), "expected a string or null")
    if type(tags) is not list or len(tags) > MAX_ARRAY:
        raise Invalid(("tags",), "expected an array of at most 8192 elements")
    for i, tag in enumerate(tags):
        if type(tag) is not str or not (tag.isascii() or _utf8(tag)):
            raise Invalid(("tags", i), "expected a string")
    if type(scores) is not list or len(scores) > MAX_ARRAY:
        raise Invalid(("scores",), "expected an array of at most 8192 elements")
    for i, score in enumerate(scores):
        if type(score) is not float and (
            type(score) is not int or not -SAFE_INT <= score <= SAFE_INT
        ):
            raise Invalid(("scores", i), "expected a float64")
    # attachment: a union tagged by "kind"
    if type(attachment) is not dict:
        raise Invalid(("attachment",), "expected an object")
    kind = attachment.get("kind")
    if kind == "image" and type(kind) is str:
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
        if type(width) is not int or not MIN_INT64 <= width <= MAX_INT64:
            raise Invalid(("attachment", "width"), "expected an int64")
        if type(height) is not int or not MIN_INT64 <= height <= MAX_INT64:
            raise Invalid(("attachment", "height"), "expected an int64")
    elif kind == "link" and type(kind) is str:
        n = len(attachment)
        link_title = attachment.get("title", attachment)
        if link_title is not attachment:
            n -= 1
            if type(link_title) is not str or not (link_title.isascii() or _utf8(link_title)):
                raise Invalid(("attachment", "title"), "expected a string")
        if n != 2:
            raise _shape(attachment, ("attachment",), LINK_FIELDS)
        try:
            url = attachment["url"]
        except KeyError:
            raise _shape(attachment, ("attachment",), LINK_FIELDS) from None
        if type(url) is not str or not (url.isascii() or _utf8(url)):
            raise Invalid(("attachment", "url"), "expected a string")
    else:
        raise Invalid(("attachment", "kind"), "expected 'image' or 'link'")
    # meta: record of string to string
    if type(meta) is not dict or len(meta) > MAX_FIELDS:
        raise Invalid(("meta",), "expected an object of at most 1024 fields")
    for key, value in meta.items():
        if not _key_ok(key):
            raise Invalid(("meta", key), "invalid field name")
        if type(value) is not str or not (value.isascii() or _utf8(value)):
            raise Invalid(("meta", key), "expected a string")
    if type(views) is not int or not MIN_INT64 <= views <= MAX_INT64:
        raise Invalid(("views",), "expected an int64")
    return x


WIDE_FIELDS = frozenset(f"f{i:02d}" for i in range(50))


def wide_object(x: Any) -> Any:
    """50 fields: f00 string, f01 float64, f02 int64, f03 boolean, f04 optional string, ..."""
    if type(x) is not dict:
        raise Invalid((), "expected an object")
    n = len(x)
    f04 = x.get("f04", x)
    if f04 is not x:
        n -= 1
        if type(f04) is not str or not (f04.isascii() or _utf8(f04)):
            raise Invalid(("f04",), "expected a string")
    f09 = x.get("f09", x)
    if f09 is not x:
        n -= 1
        if type(f09) is not str or not (f09.isascii() or _utf8(f09)):
            raise Invalid(("f09",), "expected a string")
    f14 = x.get("f14", x)
    if f14 is not x:
        n -= 1
        if type(f14) is not str or not (f14.isascii() or _utf8(f14)):
            raise Invalid(("f14",), "expected a string")
    f19 = x.get("f19", x)
    if f19 is not x:
        n -= 1
        if type(f19) is not str or not (f19.isascii() or _utf8(f19)):
            raise Invalid(("f19",), "expected a string")
    f24 = x.get("f24", x)
    if f24 is not x:
        n -= 1
        if type(f24) is not str or not (f24.isascii() or _utf8(f24)):
            raise Invalid(("f24",), "expected a string")
    f29 = x.get("f29", x)
    if f29 is not x:
        n -= 1
        if type(f29) is not str or not (f29.isascii() or _utf8(f29)):
            raise Invalid(("f29",), "expected a string")
    f34 = x.get("f34", x)
    if f34 is not x:
        n -= 1
        if type(f34) is not str or not (f34.isascii() or _utf8(f34)):
            raise Invalid(("f34",), "expected a string")
    f39 = x.get("f39", x)
    if f39 is not x:
        n -= 1
        if type(f39) is not str or not (f39.isascii() or _utf8(f39)):
            raise Invalid(("f39",), "expected a string")
    f44 = x.get("f44", x)
    if f44 is not x:
        n -= 1
        if type(f44) is not str or not (f44.isascii() or _utf8(f44)):
            raise Invalid(("f44",), "expected a string")
    f49 = x.get("f49", x)
    if f49 is not x:
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
    if type(f01) is not float and (type(f01) is not int or not -SAFE_INT <= f01 <= SAFE_INT):
        raise Invalid(("f01",), "expected a float64")
    if type(f02) is not int or not MIN_INT64 <= f02 <= MAX_INT64:
        raise Invalid(("f02",), "expected an int64")
    if type(f03) is not bool:
        raise Invalid(("f03",), "expected a boolean")
    if type(f05) is not str or not (f05.isascii() or _utf8(f05)):
        raise Invalid(("f05",), "expected a string")
    if type(f06) is not float and (type(f06) is not int or not -SAFE_INT <= f06 <= SAFE_INT):
        raise Invalid(("f06",), "expected a float64")
    if type(f07) is not int or not MIN_INT64 <= f07 <= MAX_INT64:
        raise Invalid(("f07",), "expected an int64")
    if type(f08) is not bool:
        raise Invalid(("f08",), "expected a boolean")
    if type(f10) is not str or not (f10.isascii() or _utf8(f10)):
        raise Invalid(("f10",), "expected a string")
    if type(f11) is not float and (type(f11) is not int or not -SAFE_INT <= f11 <= SAFE_INT):
        raise Invalid(("f11",), "expected a float64")
    if type(f12) is not int or not MIN_INT64 <= f12 <= MAX_INT64:
        raise Invalid(("f12",), "expected an int64")
    if type(f13) is not bool:
        raise Invalid(("f13",), "expected a boolean")
    if type(f15) is not str or not (f15.isascii() or _utf8(f15)):
        raise Invalid(("f15",), "expected a string")
    if type(f16) is not float and (type(f16) is not int or not -SAFE_INT <= f16 <= SAFE_INT):
        raise Invalid(("f16",), "expected a float64")
    if type(f17) is not int or not MIN_INT64 <= f17 <= MAX_INT64:
        raise Invalid(("f17",), "expected an int64")
    if type(f18) is not bool:
        raise Invalid(("f18",), "expected a boolean")
    if type(f20) is not str or not (f20.isascii() or _utf8(f20)):
        raise Invalid(("f20",), "expected a string")
    if type(f21) is not float and (type(f21) is not int or not -SAFE_INT <= f21 <= SAFE_INT):
        raise Invalid(("f21",), "expected a float64")
    if type(f22) is not int or not MIN_INT64 <= f22 <= MAX_INT64:
        raise Invalid(("f22",), "expected an int64")
    if type(f23) is not bool:
        raise Invalid(("f23",), "expected a boolean")
    if type(f25) is not str or not (f25.isascii() or _utf8(f25)):
        raise Invalid(("f25",), "expected a string")
    if type(f26) is not float and (type(f26) is not int or not -SAFE_INT <= f26 <= SAFE_INT):
        raise Invalid(("f26",), "expected a float64")
    if type(f27) is not int or not MIN_INT64 <= f27 <= MAX_INT64:
        raise Invalid(("f27",), "expected an int64")
    if type(f28) is not bool:
        raise Invalid(("f28",), "expected a boolean")
    if type(f30) is not str or not (f30.isascii() or _utf8(f30)):
        raise Invalid(("f30",), "expected a string")
    if type(f31) is not float and (type(f31) is not int or not -SAFE_INT <= f31 <= SAFE_INT):
        raise Invalid(("f31",), "expected a float64")
    if type(f32) is not int or not MIN_INT64 <= f32 <= MAX_INT64:
        raise Invalid(("f32",), "expected an int64")
    if type(f33) is not bool:
        raise Invalid(("f33",), "expected a boolean")
    if type(f35) is not str or not (f35.isascii() or _utf8(f35)):
        raise Invalid(("f35",), "expected a string")
    if type(f36) is not float and (type(f36) is not int or not -SAFE_INT <= f36 <= SAFE_INT):
        raise Invalid(("f36",), "expected a float64")
    if type(f37) is not int or not MIN_INT64 <= f37 <= MAX_INT64:
        raise Invalid(("f37",), "expected an int64")
    if type(f38) is not bool:
        raise Invalid(("f38",), "expected a boolean")
    if type(f40) is not str or not (f40.isascii() or _utf8(f40)):
        raise Invalid(("f40",), "expected a string")
    if type(f41) is not float and (type(f41) is not int or not -SAFE_INT <= f41 <= SAFE_INT):
        raise Invalid(("f41",), "expected a float64")
    if type(f42) is not int or not MIN_INT64 <= f42 <= MAX_INT64:
        raise Invalid(("f42",), "expected an int64")
    if type(f43) is not bool:
        raise Invalid(("f43",), "expected a boolean")
    if type(f45) is not str or not (f45.isascii() or _utf8(f45)):
        raise Invalid(("f45",), "expected a string")
    if type(f46) is not float and (type(f46) is not int or not -SAFE_INT <= f46 <= SAFE_INT):
        raise Invalid(("f46",), "expected a float64")
    if type(f47) is not int or not MIN_INT64 <= f47 <= MAX_INT64:
        raise Invalid(("f47",), "expected an int64")
    if type(f48) is not bool:
        raise Invalid(("f48",), "expected a boolean")
    return x


DEEP_LEVELS = 12
DEEP_FIELDS = frozenset({"name", "depth", "child"})
LEAF_FIELDS = frozenset({"name", "depth"})


def deep_object(x: Any) -> Any:
    """12 nested objects ``{name, depth, child}``; the innermost has no ``child``."""
    value = x
    path: tuple[object, ...] = ()
    for level in range(DEEP_LEVELS):
        leaf = level == DEEP_LEVELS - 1
        if type(x) is not dict or len(x) != (2 if leaf else 3):
            raise _shape(x, path, LEAF_FIELDS if leaf else DEEP_FIELDS)
        try:
            name = x["name"]
            depth = x["depth"]
            child = None if leaf else x["child"]
        except KeyError:
            raise _shape(x, path, LEAF_FIELDS if leaf else DEEP_FIELDS) from None
        if type(name) is not str or not (name.isascii() or _utf8(name)):
            raise Invalid((*path, "name"), "expected a string")
        if type(depth) is not int or not MIN_INT64 <= depth <= MAX_INT64:
            raise Invalid((*path, "depth"), "expected an int64")
        path = (*path, "child")
        x = child
    return value


def int64_array(x: Any) -> Any:
    if type(x) is not list or len(x) > MAX_ARRAY:
        raise Invalid((), "expected an array of at most 8192 elements")
    # One pass in C over the types, one each for the bounds; an empty list passes.
    if x and (set(map(type, x)) != {int} or min(x) < MIN_INT64 or max(x) > MAX_INT64):
        for i, item in enumerate(x):
            if type(item) is not int or not MIN_INT64 <= item <= MAX_INT64:
                raise Invalid((i,), "expected an int64")
    return x


def float_record(x: Any) -> Any:
    """A record of string keys to float64 values."""
    if type(x) is not dict or len(x) > MAX_FIELDS:
        raise Invalid((), "expected an object of at most 1024 fields")
    for key, value in x.items():
        if (
            type(key) is not str
            or len(key) > MAX_KEY
            or not key.isascii()
            or not key.isprintable()
            or key.startswith("$")
        ):
            raise Invalid((key,), "invalid field name")
        if type(value) is not float and (
            type(value) is not int or not -SAFE_INT <= value <= SAFE_INT
        ):
            raise Invalid((key,), "expected a float64")
    return x
