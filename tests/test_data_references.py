"""The ID walk's yes-or-no fast path: `Prefixes` reads an ID's table number as `table_number`
does, and `IdWalk.ok` says yes exactly when `IdWalk.check` finds no issue."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from vschema import new_id, v
from vschema.data._references import IdWalk, Prefixes, table_number

#: Every varint length (1 to 5 bytes), and the numbers at each length's edges.
NUMBERS = st.one_of(
    st.sampled_from([1, 127, 128, 2**14 - 1, 2**14, 2**21 - 1, 2**21, 2**28 - 1, 2**28, 2**32 - 1]),
    st.integers(1, 2**32 - 1),
)
INTERNAL = st.binary(min_size=16, max_size=16)


@given(number=NUMBERS, other=NUMBERS, internal=INTERNAL)
def test_prefixes_read_the_table_number(number: int, other: int, internal: bytes) -> None:
    text = new_id(number, internal)
    assert Prefixes.of(number).match(text)
    assert Prefixes.of(other).match(text) == (table_number(text) == other)


def test_prefixes_list_every_head_of_a_short_number() -> None:
    # A 1-byte varint is 8 bits: 2 characters, 2 bits of the internal id in the second.
    heads = Prefixes.of(1).heads
    assert len(heads) == 4
    assert {new_id(1, bytes([b]) + bytes(15))[:2] for b in range(256)} == heads


USERS, POSTS, LEGACY = 10001, 10002, 10003
NUMBERS_OF = {"users": USERS, "posts": POSTS}
VALIDATOR = v.object(
    {
        "ref": v.union(v.id("users"), v.id("posts")),
        "tagged": v.optional(
            v.union(
                v.object({"t": v.literal("u"), "id": v.id("users")}),
                v.object({"t": v.literal("u"), "id": v.id("posts")}),
            )
        ),
        "owners": v.optional(v.record(v.id("users"), v.array(v.id("posts")))),
        "file": v.optional(v.id("_storage")),
        "gone": v.optional(v.id("archived")),
        "plain": v.optional(v.array(v.string())),
    }
)


def ids(*numbers: int) -> st.SearchStrategy[str]:
    return st.builds(new_id, st.sampled_from(numbers), INTERNAL)


ANY_ID = ids(USERS, POSTS, LEGACY, 7)
DOCUMENTS = st.fixed_dictionaries(
    {"ref": ANY_ID},
    optional={
        "tagged": st.fixed_dictionaries({"t": st.just("u"), "id": ANY_ID}),
        "owners": st.dictionaries(ANY_ID, st.lists(ANY_ID, max_size=3), max_size=3),
        "file": ANY_ID,
        "gone": ANY_ID,
        "plain": st.lists(st.text(max_size=3), max_size=2),
    },
)


@given(document=DOCUMENTS)
def test_ok_agrees_with_check(document: dict[str, Any]) -> None:
    walk = IdWalk(VALIDATOR, NUMBERS_OF)
    assert walk.ok(document) == (walk.check(document) == [])


@given(text=ANY_ID, table=st.sampled_from(["users", "posts", "archived", "_storage"]))
def test_right_table_agrees_with_id_issue(text: str, table: str) -> None:
    walk = IdWalk(VALIDATOR, NUMBERS_OF)
    assert walk.right_table(text, table) == (walk.id_issue(text, table, ()) is None)


def test_ok_refuses_an_id_of_another_table() -> None:
    walk = IdWalk(VALIDATOR, NUMBERS_OF)
    user, post = new_id(USERS), new_id(POSTS)
    assert walk.ok({"ref": user, "owners": {user: [post]}})
    assert not walk.ok({"ref": user, "owners": {post: []}})
    assert not walk.ok({"ref": new_id(LEGACY)})
    assert not walk.ok({"ref": user, "gone": user})  # a table the export does not number


def test_a_table_number_no_id_can_hold_gets_no_prefixes() -> None:
    # A broken _tables entry: its IDs are reported by id_issue, not matched by a prefix.
    walk = IdWalk(v.object({"a": v.id("users")}), {"users": 0})
    assert not walk.ok({"a": new_id(1)})
