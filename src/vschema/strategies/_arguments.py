"""Arguments of the strategies: field paths (overrides, per-path sizes), IDs of existing rows,
sizes, JSON forms, each checked when a strategy is defined."""

from __future__ import annotations

import typing
from collections.abc import Callable, Mapping
from typing import Any

import attrs
from hypothesis.errors import InvalidArgument
from hypothesis.strategies import SearchStrategy

from vschema.strategies._budget import _DRAW_BUDGET, _head
from vschema.strategies._common import _MAX_ITEMS_ARG, _MAX_SIZE_ARG
from vschema.strategies._walk import _Settings
from vschema.validators._ids import id_error
from vschema.validators._interpret import first_issue
from vschema.validators._nodes import FieldMap, Validator, VArray, VObject, VRecord, VUnion, as_node
from vschema.validators._schema import Schema

#: A field's path: a field name (a top-level field), or a tuple of names through nested
#: objects. Convex field names are identifiers, so a name never holds a dot: a dotted string
#: is refused with the tuple it likely meant.
FieldPath = str | tuple[str, ...]


class _Spot:
    """One place in the tree of paths the arguments name: the fields below it, and what an
    argument asks for the field here (its override strategy; its array's or record's cap)."""

    __slots__ = ("below", "items", "override")

    def __init__(self) -> None:
        self.below: dict[str, _Spot] = {}
        self.override: SearchStrategy[Any] | None = None
        self.items: int | None = None


def _shown(value: object) -> str:
    """A Python repr of an argument or a drawn value for a message, bounded in length (a
    huge value's full repr would be the message)."""
    import reprlib  # loaded only for messages

    shown = reprlib.Repr()  # attributes, not keywords: those arrived in Python 3.12
    shown.maxstring = shown.maxother = 60
    return shown.repr(value)


def _path_of(where: str, argument: str, key: object) -> tuple[str, ...]:
    if isinstance(key, str):
        if "." in key:
            raise InvalidArgument(
                f"{where}: {argument} key {key!r}: Convex field names hold no dots; the path "
                f"of a nested field is a tuple of names, {tuple(key.split('.'))!r}"
            )
        return (key,)
    if isinstance(key, tuple) and key and all(isinstance(name, str) for name in key):
        return key
    raise InvalidArgument(
        f"{where}: {argument} keys are field names or tuples of field names (the path of a "
        f"nested field, ('address', 'city')), got {_shown(key)}"
    )


def _int_arg(where: str, argument: str, value: object, most: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= most:
        raise InvalidArgument(
            f"{where}: {argument} must be an int from 0 to {most}, got {_shown(value)}"
        )
    return value


def _bool_arg(where: str, argument: str, value: object) -> bool:
    if not isinstance(value, bool):
        raise InvalidArgument(f"{where}: {argument} must be True or False, got {_shown(value)}")
    return value


def _strategy_arg(where: str, argument: str, value: object) -> SearchStrategy[Any]:
    if not isinstance(value, SearchStrategy):
        raise InvalidArgument(
            f"{where}: {argument} must be a Hypothesis strategy, got "
            f"{type(value).__name__} {_shown(value)}"
        )
    return value


class _Paths:
    """Applies the path arguments (``overrides``, ``max_items`` by path) to a validator: each
    path is checked against it when the strategy is defined, and the nodes along it are
    copied, so that the options can name the copies (`_Settings`) without touching any other
    place the same subtree appears."""

    def __init__(self, where: str, options: _Settings, flaws_in_overrides: bool) -> None:
        self.where = where
        self.options = options
        self.flaws_in_overrides = flaws_in_overrides
        self.root = _Spot()

    def spot(self, argument: str, key: object) -> tuple[tuple[str, ...], _Spot]:
        path = _path_of(self.where, argument, key)
        spot = self.root
        for name in path:
            spot = spot.below.setdefault(name, _Spot())
        return path, spot

    def add_overrides(self, overrides: object) -> None:
        if overrides is None:
            return
        if not isinstance(overrides, Mapping):
            raise InvalidArgument(
                f"{self.where}: overrides must map field paths to strategies "
                f"({{'email': st.emails()}}), got {type(overrides).__name__}"
            )
        for key, strategy in overrides.items():
            path, spot = self.spot("overrides", key)
            spot.override = _strategy_arg(self.where, f"overrides[{path!r}]", strategy)

    def add_items(self, limits: Mapping[Any, Any]) -> None:
        for key, most in limits.items():
            path, spot = self.spot("max_items", key)
            spot.items = _int_arg(self.where, f"max_items[{path!r}]", most, _MAX_ITEMS_ARG)

    def apply(self, node: Validator) -> Validator:
        """``node`` with copies along every path; `InvalidArgument` for a path it lacks."""
        if not self.root.below:
            return node
        self.check_overlaps(self.root, ())
        return self.rewrite(node, self.root, ())

    def check_overlaps(self, spot: _Spot, path: tuple[str, ...]) -> None:
        for name, below in spot.below.items():
            here = (*path, name)
            if below.override is not None and below.below:
                inner = next(iter(below.below))
                raise InvalidArgument(
                    f"{self.where}: overrides[{here!r}] replaces the whole field, so a path "
                    f"inside it ({(*here, inner)!r}) cannot apply too"
                )
            self.check_overlaps(below, here)

    def rewrite(self, node: Validator, spot: _Spot, path: tuple[str, ...]) -> Validator:
        """A copy of ``node`` (at ``path``) whose fields named in ``spot`` are rewritten."""
        n = as_node(node)
        if isinstance(n, VUnion):
            # The object members (nullable objects too) that have the fields: each gets the
            # fields it has; a name that no member has is refused.
            members: list[Validator] = []
            found: set[str] = set()
            for member in n.members:
                names = _field_names(member) & spot.below.keys()
                if names:
                    part = _Spot()
                    part.below = {name: spot.below[name] for name in names}
                    members.append(self.rewrite(member, part, path))
                    found |= names
                else:
                    members.append(member)
            missing = sorted(spot.below.keys() - found)
            if missing:
                self.not_found(n, path, missing[0], sorted(_field_names(n)))
            return attrs.evolve(n, members=tuple(members))
        if not isinstance(n, VObject):
            name = next(iter(spot.below))
            self.not_found(n, path, name, [])
        fields = dict(n.fields)
        for name, below in spot.below.items():
            if name not in fields:
                self.not_found(n, path, name, list(fields))
            here = (*path, name)
            if below.below:
                fields[name] = self.rewrite(fields[name], below, here)
            if below.items is not None:
                fields[name] = self.limit(fields[name], here, below.items)
        copy_ = attrs.evolve(n, fields=FieldMap(fields))
        self.options.keep.append(copy_)
        for name, below in spot.below.items():
            if below.override is not None:
                here = (*path, name)
                key = (id(copy_), name)
                check = _checked_override(self.where, here, n.fields[name], len(here))
                self.options.fields[key] = below.override.map(check)
                if not self.flaws_in_overrides:
                    self.options.protected.add(key)
        return copy_

    def limit(self, node: Validator, path: tuple[str, ...], most: int) -> Validator:
        """A copy of the array or record at ``path`` (each one, in a union) capped at ``most``."""
        n = as_node(node)
        if isinstance(n, (VArray, VRecord)):
            copy_ = attrs.evolve(n)
            self.options.keep.append(copy_)
            self.options.limits[id(copy_)] = most
            return copy_
        if isinstance(n, VUnion) and any(_is_container(m) for m in n.members):
            return attrs.evolve(
                n,
                members=tuple(
                    self.limit(m, path, most) if _is_container(m) else m for m in n.members
                ),
            )
        raise InvalidArgument(
            f"{self.where}: max_items[{path!r}] names {_head(n)}, which is no array or record"
        )

    def not_found(
        self, node: Validator, path: tuple[str, ...], name: str, names: list[str]
    ) -> typing.NoReturn:
        import difflib  # loaded only for this message

        here = f"{path!r}" if path else "the top"
        if not names:
            raise InvalidArgument(
                f"{self.where}: no field {(*path, name)!r}: the value at {here} is "
                f"{_head(node)}, which has no fields"
            )
        close = difflib.get_close_matches(name, names, n=1)
        hint = f" (did you mean {(*path, close[0])!r}?)" if close else ""
        shown = ", ".join(map(repr, names[:8])) + (", ..." if len(names) > 8 else "")
        raise InvalidArgument(
            f"{self.where}: no field {(*path, name)!r}{hint}; the object at {here} has "
            f"the fields {shown}"
        )


def _field_names(node: Validator) -> set[str]:
    """The field names of an object, or of the objects of a union."""
    n = as_node(node)
    if isinstance(n, VObject):
        return set(n.fields)
    if isinstance(n, VUnion):
        return set().union(*(_field_names(m) for m in n.members))
    return set()


def _is_container(node: Validator) -> bool:
    return isinstance(node, (VArray, VRecord))


def _checked_override(
    where: str, path: tuple[str, ...], field: Validator, depth: int
) -> Callable[[Any], Any]:
    """Passes an override's draws through, or raises `InvalidArgument` for one the field
    rejects (a silent invalid row would fail the user's test for the wrong reason)."""
    required = field.required()

    def check(value: Any) -> Any:
        issue = first_issue(required, value, depth)
        if issue is not None:
            raise InvalidArgument(
                f"{where}: overrides[{path!r}] drew {_shown(value)}, which the "
                f"field's validator {_head(required)} rejects: {issue.summary}"
            )
        return value

    return check


def _checked_id(where: str, table: str) -> Callable[[Any], Any]:
    def check(value: Any) -> Any:
        if type(value) is not str or id_error(value) is not None:
            raise InvalidArgument(
                f"{where}: existing_ids[{table!r}] drew {_shown(value)}, which is no "
                "Convex ID (its rows' IDs, such as vschema.new_id makes, belong there)"
            )
        return value

    return check


class _Arguments:
    """The checked arguments of one public strategy, the `_Settings` they make, and the text
    its repr shows for them."""

    def __init__(self, where: str) -> None:
        self.where = where
        self.shown: list[str] = []
        self.size = _DRAW_BUDGET
        self.convex_json = False
        self.options = _Settings()
        self.paths = _Paths(where, self.options, flaws_in_overrides=False)

    def json(self, json_safe: object, convex_json: object) -> None:
        self.options.json_safe = _bool_arg(self.where, "json_safe", json_safe)
        self.convex_json = _bool_arg(self.where, "convex_json", convex_json)
        if self.options.json_safe and self.convex_json:
            raise InvalidArgument(
                f"{self.where}: json_safe=True and convex_json=True are two ways of making "
                "values JSON: choose one (Convex JSON keeps bytes, NaN and Int64s exact)"
            )
        if self.options.json_safe:
            self.shown.append("json_safe=True")
        if self.convex_json:
            self.shown.append("convex_json=True")

    def sizes(self, max_items: object, max_size: object) -> None:
        if isinstance(max_items, Mapping):
            self.paths.add_items(max_items)
            shown = ", ".join(f"{key!r}: {most!r}" for key, most in max_items.items())
            self.shown.append(f"max_items={{{shown}}}")
        elif max_items is not None:
            self.options.max_items = _int_arg(self.where, "max_items", max_items, _MAX_ITEMS_ARG)
            self.shown.append(f"max_items={max_items}")
        if max_size is not None:
            self.size = _int_arg(self.where, "max_size", max_size, _MAX_SIZE_ARG)
            self.shown.append(f"max_size={max_size}")

    def overrides(self, overrides: object, flaws_in_overrides: object = False) -> None:
        self.paths.flaws_in_overrides = _bool_arg(
            self.where, "flaws_in_overrides", flaws_in_overrides
        )
        self.paths.add_overrides(overrides)
        if overrides:
            assert isinstance(overrides, Mapping)
            shown = ", ".join(f"{key!r}: ..." for key in overrides)
            self.shown.append(f"overrides={{{shown}}}")
        if self.paths.flaws_in_overrides:
            self.shown.append("flaws_in_overrides=True")

    def existing_ids(self, schema: Schema, table: str, existing_ids: object) -> None:
        if existing_ids is None:
            return
        if isinstance(existing_ids, SearchStrategy):
            by_table: Mapping[Any, Any] = {table: existing_ids}
        elif isinstance(existing_ids, Mapping):
            by_table = existing_ids
        else:
            raise InvalidArgument(
                f"{self.where}: existing_ids must be a strategy of this table's IDs (a Bundle) "
                "or map table names to such strategies, got "
                f"{type(existing_ids).__name__} {_shown(existing_ids)}"
            )
        for name, ids in by_table.items():
            if not isinstance(name, str) or name not in schema.tables:
                raise InvalidArgument(
                    f"{self.where}: existing_ids names table {_shown(name)}, which is "
                    f"not in this schema. Tables in this schema: {', '.join(schema.tables)}"
                )
            strategy = _strategy_arg(self.where, f"existing_ids[{name!r}]", ids)
            self.options.ids[name] = strategy.map(_checked_id(self.where, name))
        self.shown.append(f"existing_ids={{{', '.join(map(repr, by_table))}}}")

    def text(self) -> str:
        return "".join(", " + part for part in self.shown)

    def finish(self, strategy: SearchStrategy[Any], node: Validator) -> SearchStrategy[Any]:
        """``strategy``'s draws as Convex JSON when asked (of ``node``, the validator)."""
        if not self.convex_json:
            return strategy
        # Loaded only here: the value encoding is not needed to draw Python values.
        from vschema.validators._convex_json import to_convex_json

        return strategy.map(lambda value: to_convex_json(value, node))
