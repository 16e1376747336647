"""Subtrees a schema uses in more than one place, which the generators name once.

A validator may reuse one subtree many times (``x = v.object({"l": x, "r": x})``, again and
again): as a tree it is exponential, as a graph of distinct nodes linear. Written out inline, the
TypeScript and Python text would be the tree; so each generator defines a named type (or constant)
for every large subtree that occurs more than once, and writes its name at every use. Small
subtrees stay inline, where a reader expects them, so ordinary schemas read as before.

`SharedRefs` is the mapping the walks look names up in: it holds the names defined so far (the
exported validators), and defines a shared subtree the first time a walk asks for it, through a
callback that writes its definition. Every walk here visits each distinct node once.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Iterator, Mapping

from vschema.validators._nodes import (
    Validator,
    VArray,
    VObject,
    VRecord,
    VUnion,
    children,
)

__all__ = ["SHARED_MIN_NODES", "SharedRefs", "key", "shared_subtrees"]

#: A subtree is named only when it has more nodes than this (written out, with repeats): a few
#: repeated literals or a small object read better inline than behind a name.
SHARED_MIN_NODES = 24
_COMPOSITE = (VObject, VArray, VRecord, VUnion)


def key(validator: Validator) -> Validator:
    """The node that stands for ``validator`` wherever it is used (optional or not: the flag
    belongs to the object field, not to the type)."""
    return validator.required() if validator.is_optional else validator


def shared_subtrees(
    roots: Iterable[Validator], *, min_nodes: int = SHARED_MIN_NODES
) -> frozenset[Validator]:
    """The composite subtrees (as `key`) that occur more than once under ``roots`` and have more
    than ``min_nodes`` nodes written out. Linear in the distinct nodes, however often each
    occurs."""
    uses: dict[Validator, int] = {}
    sizes: dict[Validator, int] = {}

    def visit(validator: Validator) -> int:
        node = key(validator)
        uses[node] = uses.get(node, 0) + 1
        size = sizes.get(node)
        if size is None:
            size = sizes[node] = 1 + sum(visit(child) for child in children(node))
        return size

    for root in roots:
        visit(root)
    return frozenset(
        node
        for node, count in uses.items()
        if count > 1 and sizes[node] > min_nodes and isinstance(node, _COMPOSITE)
    )


class SharedRefs(Mapping[Validator, str]):
    """Names standing for validators in one generated file: the ones given (`setdefault`), and
    shared subtrees, each defined on first lookup.

    ``define(validator)`` writes the definition of a shared subtree and returns its name; it
    renders the subtree with this same mapping, so shared subtrees inside it are defined first.
    """

    def __init__(
        self, shared: frozenset[Validator], define: Callable[[Validator], str] | None = None
    ) -> None:
        self._names: dict[Validator, str] = {}
        self._shared = shared
        self._define = define
        # The subtrees being defined right now: looking one up must expand it, not refer to
        # the name it does not have yet (a tree has no cycles, so only its own root does).
        self._defining: set[Validator] = set()

    def __getitem__(self, validator: Validator) -> str:
        name = self._names.get(validator)
        if name is not None:
            return name
        if self._define is None or validator not in self._shared or validator in self._defining:
            raise KeyError(validator)
        self._defining.add(validator)
        try:
            name = self._define(validator)
        finally:
            self._defining.discard(validator)
        self._names[validator] = name
        return name

    def __iter__(self) -> Iterator[Validator]:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)

    def __contains__(self, validator: object) -> bool:
        return validator in self._names

    @contextlib.contextmanager
    def expanding(self, validator: Validator) -> Iterator[None]:
        """While this runs, ``validator`` is written out, not referred to: a named definition
        (an export) of a shared subtree is its one definition, not an alias of another name."""
        node = key(validator)
        added = node not in self._defining
        self._defining.add(node)
        try:
            yield
        finally:
            if added:
                self._defining.discard(node)

    def setdefault(self, validator: Validator, name: str) -> str:
        """Name ``validator`` ``name`` unless it has a name already; return its name."""
        return self._names.setdefault(validator, name)
