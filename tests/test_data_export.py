"""``check-export``: real snapshot export ZIPs built from the strategies, with known flaws, and
the exact counts of the report; the exact decoding; the ID walk; serial and parallel agreeing.
"""

from __future__ import annotations

import itertools
import json
import math
import warnings
import zipfile
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from data_exports import export_json, write_export
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from test_walks import SAMPLES as WALK_SAMPLES

from vschema import (
    SchemaWarning,
    ValidationError,
    decode_id,
    define_schema,
    define_table,
    new_id,
    v,
)
from vschema._console import UsageError
from vschema.data import Report, check_export
from vschema.data._check import Job
from vschema.data._export import decode_value, line_blocks, open_export
from vschema.data._jsonl import loader
from vschema.data._references import IdWalk, table_number
from vschema.data._run import _picklable, portable
from vschema.strategies import for_table

USERS, POSTS, LEGACY = 10001, 10002, 10003
CREATED = 1_700_000_000_000.0

SCHEMA = define_schema(
    {
        "users": define_table(
            {
                "name": v.string(),
                "visits": v.int64(),
                "score": v.float64(),
                "samples": v.optional(v.array(v.number())),
                "avatar": v.optional(v.bytes()),
                "kind": v.union(v.literal("a"), v.literal("b")),
            }
        ),
        "posts": define_table(
            {
                "author": v.id("users"),
                "title": v.string(),
                "editors": v.optional(v.array(v.id("users"))),
                "file": v.optional(v.id("_storage")),
            }
        ),
        "drafts": define_table({"text": v.string()}),
    }
)

_serial = itertools.count(1)


def _id(table_number: int) -> str:
    return new_id(table_number, next(_serial).to_bytes(16, "big"))


def _user(row: dict[str, Any]) -> dict[str, Any]:
    """A drawn row as an exact stored document: Float64 fields hold floats (the strategies
    may draw an int for a v.number(), which an export would write as an Int64)."""
    doc = {"_id": _id(USERS), "_creationTime": CREATED, **row}
    doc["score"] = float(doc["score"])
    if "samples" in doc:
        doc["samples"] = [float(x) for x in doc["samples"]]
    return doc


def _post(row: dict[str, Any], users: list[str]) -> dict[str, Any]:
    doc = {"_id": _id(POSTS), "_creationTime": CREATED, **row}
    doc["author"] = users[len(doc["title"]) % len(users)]
    if "editors" in doc:
        doc["editors"] = [users[i % len(users)] for i in range(len(doc["editors"]))]
    doc.pop("file", None)
    return doc


# Each flaw: the table of the flawed document, how to make it from a valid one, and the
# one (path, code) group it lands in; "dangling" is valid but names no document.
def _int64_score(doc: dict[str, Any], users: list[str]) -> Any:
    return {**doc, "score": 3}


def _int_creation_time(doc: dict[str, Any], users: list[str]) -> Any:
    return {**doc, "_creationTime": 1_700_000_000_000}


def _no_name(doc: dict[str, Any], users: list[str]) -> Any:
    return {k: item for k, item in doc.items() if k != "name"}


def _own_id_of_posts(doc: dict[str, Any], users: list[str]) -> Any:
    return {**doc, "_id": _id(POSTS)}


def _broken_float(doc: dict[str, Any], users: list[str]) -> Any:
    return export_json({**doc, "score": 0.5}).replace('"score":0.5', '"score":{"$float":"AAAA"}')


def _not_json(doc: dict[str, Any], users: list[str]) -> Any:
    return export_json(doc)[:-3]


def _author_is_a_post(doc: dict[str, Any], users: list[str]) -> Any:
    return {**doc, "author": _id(POSTS)}


def _author_of_no_table(doc: dict[str, Any], users: list[str]) -> Any:
    return {**doc, "author": _id(999)}


def _dangling(doc: dict[str, Any], users: list[str]) -> Any:
    return {**doc, "author": _id(USERS)}


FLAWS: dict[str, tuple[str, Any, tuple[str, str] | None]] = {
    "int64 in float64": ("users", _int64_score, (".score", "no_match")),
    "int64 creation time": ("users", _int_creation_time, ("._creationTime", "no_match")),
    "missing field": ("users", _no_name, (".name", "missing_field")),
    "_id of another table": ("users", _own_id_of_posts, ("._id", "invalid_id")),
    "broken $float": ("users", _broken_float, (".score", "invalid_encoding")),
    "not JSON": ("users", _not_json, ("", "invalid_encoding")),
    "id of another table": ("posts", _author_is_a_post, (".author", "invalid_id")),
    "id of no table": ("posts", _author_of_no_table, (".author", "invalid_id")),
    "dangling reference": ("posts", _dangling, None),
}


def _groups(report: Report) -> Counter[tuple[str, str, str]]:
    return Counter(
        {
            (name, group.path, group.code): group.count
            for name, table in report.tables.items()
            for group in table.groups.values()
        }
    )


@settings(max_examples=30, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    user_rows=st.lists(for_table(SCHEMA, "users"), min_size=1, max_size=6),
    post_rows=st.lists(for_table(SCHEMA, "posts"), min_size=1, max_size=6),
    flaws=st.lists(st.sampled_from(sorted(FLAWS)), max_size=8),
    fast=st.booleans(),
)
def test_export_report_counts_exactly(
    tmp_path: Path,
    user_rows: list[dict[str, Any]],
    post_rows: list[dict[str, Any]],
    flaws: list[str],
    fast: bool,
) -> None:
    users = [_user(row) for row in user_rows]
    user_ids = [doc["_id"] for doc in users]
    posts = [_post(row, user_ids) for row in post_rows]
    documents = {"users": list[Any](users), "posts": list[Any](posts)}
    expected: Counter[tuple[str, str, str]] = Counter()
    failing = Counter[str]()
    for flaw in flaws:
        table, make, group = FLAWS[flaw]
        base = users[0] if table == "users" else posts[0]
        flawed = make({**base, "_id": _id(USERS if table == "users" else POSTS)}, user_ids)
        documents[table].append(flawed)
        if group is not None:
            expected[(table, *group)] += 1
            failing[table] += 1
    path = write_export(
        tmp_path / "snapshot.zip",
        {
            "users": (USERS, documents["users"]),
            "posts": (POSTS, documents["posts"]),
            "legacy": (LEGACY, [{"_id": _id(LEGACY), "_creationTime": CREATED, "x": 1}] * 2),
        },
        components={"waitlist": {"entries": (USERS, ['{"a":1}'])}},
        storage=True,
    )
    report = check_export(path, SCHEMA, references=True, jobs=1, fast=fast, progress=False)
    assert {n: (t.checked, t.failing) for n, t in report.tables.items()} == {
        "users": (len(documents["users"]), failing["users"]),
        "posts": (len(documents["posts"]), failing["posts"]),
    }
    assert _groups(report) == expected
    assert report.dangling_count == flaws.count("dangling reference")
    assert report.missing_tables == ["drafts"]
    assert report.extra_tables == {"legacy": 2}
    assert report.unchecked == {"waitlist/entries": 1}
    # The legacy table is listed, not failed: Convex checks only the tables a schema names.
    assert report.exit_status() == (1 if failing or report.dangling_count else 0)


def _big_export(tmp_path: Path, count: int = 1500) -> Path:
    users, posts = [], []
    for i in range(count):
        doc = {
            "_id": _id(USERS),
            "_creationTime": CREATED + i,
            "name": f"user {i}",
            "visits": i,
            "score": i / 3,
            "kind": "a",
        }
        if i % 7 == 3:
            doc["score"] = i  # an Int64 where a Float64 belongs
        if i % 11 == 5:
            doc["kind"] = "c"
        users.append(doc)
    for i in range(count // 3):
        author = users[i]["_id"] if i % 13 else _id(USERS)  # every 13th dangles
        posts.append({"_id": _id(POSTS), "_creationTime": CREATED, "author": author, "title": ""})
    return write_export(tmp_path / "big.zip", {"users": (USERS, users), "posts": (POSTS, posts)})


def test_parallel_run_reports_exactly_what_a_serial_run_does(tmp_path: Path) -> None:
    path = _big_export(tmp_path)
    options: dict[str, Any] = {"references": True, "progress": False, "block_bytes": 8192}
    serial = check_export(path, SCHEMA, jobs=1, **options)
    parallel = check_export(path, SCHEMA, jobs=2, min_parallel_bytes=0, **options)
    assert parallel.to_json() == serial.to_json()
    users = serial.tables["users"]
    threes = len(range(3, 1500, 7))
    fives = len(range(5, 1500, 11))
    both = len([i for i in range(1500) if i % 7 == 3 and i % 11 == 5])
    assert (users.checked, users.failing) == (1500, threes + fives - both)
    assert users.groups[(".score", "no_match")].count == threes
    assert users.groups[(".kind", "literal_mismatch")].count == fives
    assert serial.dangling_count == len(range(0, 500, 13))
    # Stopping early is exact too, with blocks in flight on two workers.
    first = check_export(path, SCHEMA, jobs=1, max_failures=25, **options)
    early = check_export(path, SCHEMA, jobs=2, min_parallel_bytes=0, max_failures=25, **options)
    assert early.to_json() == first.to_json()
    assert (early.failing, early.stopped_early) == (25, True)
    assert early.tables["users"].checked < 1500


@pytest.mark.parametrize("fast", [True, False])
def test_export_values_decode_exactly(fast: bool) -> None:
    loads = loader(fast)
    line = (
        b'{"i":5,"f":5.0,"z":-0.0,"e":1e3,"inf":{"$float":"AAAAAAAA8H8="},'
        b'"b":{"$bytes":"AAE="},"n":{"$integer":"BQAAAAAAAAA="},'
        b'"big":9223372036854775808,"max":9223372036854775807,"deep":[{"x":[1,2.5]}]}'
    )
    # Integers beyond i64 are Float64 to Convex: the second read (``walk``) turns them.
    assert type(decode_value(b'{"big":9223372036854775808}', loads)["big"]) is int
    value = decode_value(line, loads, walk=True)
    assert value == {
        "i": 5,
        "f": 5.0,
        "z": -0.0,
        "e": 1000.0,
        "inf": math.inf,
        "b": b"\x00\x01",
        "n": 5,
        "big": 9223372036854775808.0,
        "max": 9223372036854775807,
        "deep": [{"x": [1, 2.5]}],
    }
    kinds = {key: type(item) for key, item in value.items()}
    assert [kinds[k] for k in ("i", "n", "max", "f", "e", "big")] == [int] * 3 + [float] * 3
    assert math.copysign(1.0, value["z"]) == -1.0
    assert type(value["deep"][0]["x"][0]) is int
    for bad in (b'{"a":NaN}', b'{"a":', b'{"a":{"$float":"AAAAAAAA8D8="}}', b"\xff"):
        with pytest.raises(ValidationError) as error:
            decode_value(bad, loads)
        assert [issue.code for issue in error.value.issues] == ["invalid_encoding"]


def test_blocks_are_whole_lines_whatever_the_chunks() -> None:
    text = b"".join(b'{"n":%d}\n' % i for i in range(100)) + b'{"last":1}'
    for size in (1, 3, 7, 64, 10_000):
        chunks = [text[i : i + size] for i in range(0, len(text), size)]
        blocks = list(line_blocks(chunks, "x"))
        assert b"".join(data for _, data in blocks) == text
        for first, data in blocks:
            assert text.split(b"\n")[first - 1] == data.split(b"\n")[0]


def test_export_layout_and_its_refusals(tmp_path: Path) -> None:
    path = write_export(
        tmp_path / "a.zip",
        {"users": (USERS, []), "posts": (POSTS, [])},
        components={"outer": {"t": (1, [])}},
    )
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr("_components/outer/_components/inner/_tables/documents.jsonl", "")
        archive.writestr("_components/outer/_components/inner/u/documents.jsonl", "{}\n")
    export = open_export(path)
    assert [(t.component, t.name, t.number) for t in export.tables] == [
        ("", "users", USERS),
        ("", "posts", POSTS),
        ("outer", "t", 1),
        ("outer/inner", "u", None),
    ]
    not_zip = tmp_path / "x.zip"
    not_zip.write_text("{}")
    with pytest.raises(UsageError, match="not a ZIP file"):
        open_export(not_zip)
    no_tables = tmp_path / "y.zip"
    with zipfile.ZipFile(no_tables, "w") as archive:
        archive.writestr("users/documents.jsonl", "")
    with pytest.raises(UsageError, match="not a Convex snapshot export"):
        open_export(no_tables)
    old = tmp_path / "old.zip"
    write_export(old, {"users": (USERS, [])})
    with zipfile.ZipFile(old, "a") as archive:
        archive.writestr("posts/generated_schema.jsonl", '{"type":"object"}\n')
    with pytest.raises(UsageError, match="older format"):
        open_export(old)


def test_id_walk_takes_the_first_union_member_with_right_ids() -> None:
    numbers = {"users": USERS, "posts": POSTS}
    validator = v.object(
        {
            "ref": v.union(v.id("users"), v.id("posts")),
            "tagged": v.union(
                v.object({"t": v.literal("u"), "id": v.id("users")}),
                v.object({"t": v.literal("u"), "id": v.id("posts")}),
            ),
            "owners": v.record(v.id("users"), v.array(v.id("posts"))),
            "plain": v.array(v.string()),
        }
    )
    walk = IdWalk(validator, numbers)
    user, post = _id(USERS), _id(POSTS)
    refs: list[Any] = []
    good = {"ref": post, "tagged": {"t": "u", "id": post}, "owners": {user: [post]}, "plain": []}
    assert walk.check(good, refs) == []
    assert [(path, target) for path, target, _ in refs] == [
        (("ref",), post),
        (("tagged", "id"), post),
        (("owners", user), user),
        (("owners", user, 0), post),
    ]
    bad = {"ref": _id(LEGACY), "tagged": {"t": "u", "id": _id(LEGACY)}, "owners": {post: []}}
    issues = walk.check(bad)
    assert [(issue.path, issue.code) for issue in issues] == [
        (("ref",), "no_match"),
        (("tagged",), "no_match"),
        (("owners", post), "invalid_id"),
    ]
    assert issues[2].message.startswith(f'Found ID "{post}" from table `posts`')
    assert decode_id(post).table_number == POSTS
    assert not IdWalk(v.object({"a": v.array(v.string())}), numbers).any_ids


def test_a_valid_export_passes(tmp_path: Path) -> None:
    user = {"_id": _id(USERS), "_creationTime": CREATED, "name": "a", "visits": 1}
    user |= {"score": math.nan, "kind": "b", "avatar": b"\x00", "samples": [-0.0, math.inf]}
    post = {"_id": _id(POSTS), "_creationTime": CREATED, "author": user["_id"], "title": "t"}
    post["file"] = new_id(77)  # a _storage ID: system tables have no number in _tables
    path = write_export(
        tmp_path / "ok.zip",
        {"users": (USERS, [user]), "posts": (POSTS, [post]), "drafts": (20000, [])},
    )
    report = check_export(path, SCHEMA, references=True, jobs=1, progress=False)
    assert (report.ok, report.exit_status()) == (True, 0)
    assert report.to_json()["tables"] == {
        "users": {"checked": 1, "failing": 0, "groups": []},
        "posts": {"checked": 1, "failing": 0, "groups": []},
        "drafts": {"checked": 0, "failing": 0, "groups": []},
    }
    assert json.loads(json.dumps(report.to_json()))["references"] == {
        "dangling": 0,
        "examples": [],
        "duplicate_ids": 0,
        "duplicate_examples": [],
    }


@pytest.mark.parametrize("jobs", [1, 2])
def test_references_find_duplicate_ids(tmp_path: Path, jobs: int) -> None:
    twice, other = _id(USERS), _id(USERS)
    users = [
        {"_id": i, "_creationTime": CREATED, "name": "a", "visits": 1, "score": 1.0, "kind": "a"}
        for i in (twice, other, twice, twice)
    ]
    path = write_export(tmp_path / "d.zip", {"users": (USERS, users)})
    options: dict[str, Any] = {"progress": False, "block_bytes": 64, "min_parallel_bytes": 0}
    report = check_export(path, SCHEMA, references=True, jobs=jobs, **options)
    assert (report.failing, report.duplicate_count, report.ok, report.exit_status()) == (
        0,
        2,
        False,
        1,
    )
    assert (
        report.to_json()["references"]["duplicate_examples"]
        == [{"table": "users", "target": twice, "first": "users"}] * 2
    )
    assert f"  users {twice} (first in users)" in report.render()
    # Without --references no IDs are kept, so none are compared.
    assert check_export(path, SCHEMA, jobs=jobs, **options).ok


def test_integers_beyond_int64_are_float64_as_convex_reads_them(tmp_path: Path) -> None:
    def line(**fields: str) -> str:
        doc = {"_id": _id(USERS), "_creationTime": CREATED, "name": "a", "visits": 1}
        doc |= {"score": 0.5, "kind": "a"}
        text = export_json(doc)
        for key, raw in fields.items():
            text = text.replace(f'"{key}":{export_json(doc[key])}', f'"{key}":{raw}')
        return text

    path = write_export(
        tmp_path / "big.zip",
        {
            "users": (
                USERS,
                [
                    line(score="9223372036854775808"),  # beyond i64: a Float64, as a score is
                    line(score="-123456789012345678901234"),
                    line(visits="9223372036854775808"),  # a Float64 where an Int64 belongs
                    line(visits="9223372036854775807"),  # the largest Int64
                ],
            )
        },
    )
    for fast in (True, False):
        report = check_export(path, SCHEMA, jobs=1, fast=fast, progress=False)
        users = report.tables["users"]
        assert (users.checked, users.failing) == (4, 1)
        assert list(users.groups) == [(".visits", "no_match")]


@given(
    number=st.one_of(st.integers(1, 2**7), st.integers(1, 2**32 - 1)),
    internal=st.binary(min_size=16, max_size=16),
)
def test_table_number_reads_what_decode_id_reads(number: int, internal: bytes) -> None:
    text = new_id(number, internal)
    assert table_number(text) == decode_id(text).table_number == number


WAITLIST = define_schema(
    {
        "entries": define_table({"email": v.string(), "next": v.optional(v.id("entries"))}),
        "notes": define_table({"text": v.string()}),
    }
)


def test_component_tables_against_their_own_schema(tmp_path: Path) -> None:
    # The component numbers its tables apart: its "entries" has the number of the app's users.
    first = {"_id": _id(USERS), "_creationTime": CREATED, "email": "a@b.c"}
    second = {**first, "_id": _id(USERS), "next": first["_id"]}
    wrong = {**first, "_id": _id(USERS), "next": _id(POSTS)}  # no table of the component
    post = {"_id": _id(POSTS), "_creationTime": CREATED, "author": first["_id"], "title": ""}
    path = write_export(
        tmp_path / "c.zip",
        {"users": (USERS, []), "posts": (POSTS, [post])},
        components={
            "waitlist": {"entries": (USERS, [first, second, wrong])},
            "other": {"things": (5, ['{"a":1}'])},
        },
    )
    report = check_export(
        path, SCHEMA, components={"waitlist": WAITLIST}, references=True, jobs=1, progress=False
    )
    assert {n: (t.checked, t.failing) for n, t in report.tables.items()} == {
        "users": (0, 0),
        "posts": (1, 0),
        "waitlist/entries": (3, 1),
    }
    assert list(report.tables["waitlist/entries"].groups) == [(".next", "invalid_id")]
    assert report.missing_tables == ["drafts", "waitlist/notes"]
    assert report.unchecked == {"other/things": 1}
    # The post's author is the text of a component's ID: not a document of the app's users.
    assert [(d.table, d.target) for d in report.dangling] == [("posts", first["_id"])]
    with pytest.raises(UsageError, match="no such component in the export"):
        check_export(path, SCHEMA, components={"nope": WAITLIST}, jobs=1)


@pytest.mark.parametrize("kind", sorted(WALK_SAMPLES))
def test_id_walk_handles_every_node_kind(kind: str) -> None:
    node = WALK_SAMPLES[kind]
    for validator in (node, v.object({"field": node.optional()})):
        walk = IdWalk(validator, {"users": USERS})
        assert walk.any_ids == (kind == "VId")
        user = _id(USERS)
        value = user if validator is node else {"field": user}
        refs: list[Any] = []
        assert walk.check(value, refs) == []
        assert len(refs) == (kind == "VId")


def test_a_document_with_an_odd_id_is_named_by_its_line(tmp_path: Path) -> None:
    user = {"_id": "\x1b[31mred", "_creationTime": CREATED, "name": "a", "visits": 1}
    user |= {"score": 1.5, "kind": "a"}
    path = write_export(tmp_path / "odd.zip", {"users": (USERS, [user])})
    table = check_export(path, SCHEMA, jobs=1, progress=False).tables["users"]
    assert [(k, [e.where for e in g.examples]) for k, g in table.groups.items()] == [
        (("._id", "invalid_id"), ["line 1"])
    ]


def test_the_text_report_escapes_control_characters_from_the_data(tmp_path: Path) -> None:
    path = write_export(tmp_path / "ctl.zip", {"users": (USERS, []), "evil\x1b[2J": (9, ["{}"])})
    lines = check_export(path, SCHEMA, jobs=1, progress=False).render()
    assert "In the data but not in the schema (not checked): evil\\x1b[2J (1 document)" in lines
    assert all(line.isprintable() for line in lines)


def test_a_schema_from_a_file_with_enum_names_runs_on_workers(tmp_path: Path) -> None:
    from vschema.codegen._load import load_schema

    (tmp_path / "enum_schema.py").write_text(
        "import enum\n"
        "from vschema import define_schema, define_table, v\n"
        "class T(str, enum.Enum):\n"
        "    users = 'users'\n"
        "schema = define_schema({T.users: define_table({'name': v.string()})})\n"
    )
    schema = load_schema(str(tmp_path / "enum_schema.py")).schema
    docs = [{"_id": _id(USERS), "_creationTime": CREATED, "name": i % 3 or "x"} for i in range(40)]
    path = write_export(tmp_path / "e.zip", {"users": (USERS, docs)})
    # The enum's module is gone once the file has run: the table names go to workers as str
    # (so the run below does use worker processes, not the one-process fallback).
    assert _picklable(Job(portable(schema), "export"))
    options: dict[str, Any] = {"progress": False, "block_bytes": 256, "min_parallel_bytes": 0}
    report = check_export(path, schema, jobs=2, **options)
    assert report.to_json() == check_export(path, schema, jobs=1, **options).to_json()
    assert (report.tables["users"].checked, report.tables["users"].failing) == (40, 40 - 14)


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_a_line_bounds_its_documents_size(data: st.DataObject) -> None:
    # check-export skips measuring a document whose line is too short to reach 1 MiB; the bound
    # it uses must hold for every value an export line can hold.
    from vschema.strategies import from_validator, validators
    from vschema.validators._size import convex_size, json_size_bound

    validator = data.draw(validators(max_depth=4))
    value = data.draw(from_validator(validator))
    if type(value) is not dict:
        value = {"v": value}
    try:
        line = export_json(value).encode("utf-8", "surrogatepass")
    except TypeError:  # a v.commitTs() placeholder, which no stored document holds
        assume(False)
    assert convex_size(value) <= json_size_bound(len(line))
    numbers = {"n": [0, 1, 2, 3, 4]}  # the densest case: a byte of text per 9 of size, nearly
    assert convex_size(numbers) <= json_size_bound(len(export_json(numbers)))


@pytest.mark.parametrize("table", [v.any(), v.object({"text": v.string()})], ids=repr)
def test_a_document_over_1_mib_is_too_large(tmp_path: Path, table: Any) -> None:
    schema = define_schema({"notes": define_table(table)})
    big = {"_id": _id(USERS), "_creationTime": CREATED, "text": "x" * (1 << 20)}
    small = {"_id": _id(USERS), "_creationTime": CREATED, "text": "x" * 100_000}
    path = write_export(tmp_path / "big.zip", {"notes": (USERS, [small, big])})
    report = check_export(path, schema, jobs=1, progress=False)
    tables = report.to_json()["tables"]
    assert tables["notes"]["checked"] == 2
    assert tables["notes"]["failing"] == 1
    assert [group["code"] for group in tables["notes"]["groups"]] == ["too_large"]


_FIELD_NAMES = st.from_regex(r"[A-Za-z][A-Za-z0-9_]{0,4}", fullmatch=True)


@settings(max_examples=60)
@given(st.data())
def test_the_quick_path_reports_what_the_full_check_does(data: st.DataObject) -> None:
    """`Checker` answers most lines with a fast path (`_quick_documents`); with it or without,
    every block of drawn documents (valid, with one flaw, with the right or a wrong `_id`)
    gets the same report."""
    from vschema.data._check import Checker
    from vschema.data._jsonl import Block
    from vschema.strategies import from_validator, invalid, validators

    fields = data.draw(st.dictionaries(_FIELD_NAMES, validators(max_depth=2, max_fields=3)))
    with warnings.catch_warnings():
        # A drawn v.id may name a table outside this schema: its IDs then fail, as they should.
        warnings.simplefilter("ignore", SchemaWarning)
        schema = define_schema({"t": define_table(fields)})
    document = schema.document("t")
    drawn = data.draw(
        st.lists(
            st.one_of(from_validator(document), invalid(document).map(lambda pair: pair[0])),
            min_size=1,
            max_size=6,
        )
    )
    lines = []
    for doc in drawn:
        if type(doc) is dict and data.draw(st.booleans(), label="an _id of table t"):
            doc = {**doc, "_id": _id(7)}
        try:
            lines.append(export_json(doc).encode())
        except (TypeError, ValueError):
            continue  # not a JSON value (a set, a lone surrogate, ...): no line of an export
    block = Block("t", 1, b"".join(line + b"\n" for line in lines))
    job = Job(schema, "export", numbers={"": {"t": 7}})
    full = Checker(job)
    full._quick_documents = lambda table, checks, walk, check: check  # type: ignore[method-assign]
    expected = full.check("t", block).report.to_json()
    assert Checker(job).check("t", block).report.to_json() == expected


@pytest.mark.parametrize(
    "files",
    [v.array(v.id("_storage")), v.record(v.string(), v.id("_storage")), v.object({})],
)
def test_ids_of_system_tables_inside_arrays_and_records(tmp_path: Path, files: Any) -> None:
    # The ID walk once asserted that an array of `_storage` IDs had a check of its own, and
    # check-export failed with an AssertionError on every such schema.
    schema = define_schema({"users": define_table({"name": v.string(), "files": files})})
    storage = new_id(1)
    value = (
        {}
        if isinstance(files, type(v.object({})))
        else ([storage] if files.kind == "array" else {"a": storage})
    )
    doc = {"_id": _id(USERS), "_creationTime": CREATED, "name": "Ada", "files": value}
    path = write_export(tmp_path / "e.zip", {"users": (USERS, [doc])})
    report = check_export(path, schema, progress=False)
    assert report.ok, report.render()
