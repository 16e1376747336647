"""``rows_breaking``: a Hypothesis strategy of rows OLD accepts and NEW rejects.

Built on `diff`'s witness: the witness itself (the smallest such row) and rows drawn from OLD's
table (`vschema.strategies.for_table`) with the witness's breaking field grafted in. Every draw
is checked (``old_schema.validate`` passes, ``new_schema.errors`` is not empty); a graft that
does not break NEW falls back to the witness, so no draw is ever wrong. Imports Hypothesis,
so it loads only when used (the ``vschema[hypothesis]`` extra).
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from hypothesis.strategies import SearchStrategy

from vschema.validators._schema import Schema

__all__ = ["rows_breaking"]


def rows_breaking(old_schema: Schema, new_schema: Schema, table: str) -> SearchStrategy[Any]:
    """Rows of ``table`` that ``old_schema`` accepts and ``new_schema`` rejects: the documents
    a push of NEW would fail on, for testing a migration.

    Raises `InvalidArgument` when there are none to draw: the table is missing from either
    schema, NEW accepts every row OLD accepts, the question could not be decided, or the
    difference exists only in Convex's types (an Int64 where NEW wants a Float64, an ID of
    another table), which vschema's Python spelling of values cannot show.
    """
    from vschema.evolution._diff import diff
    from vschema.strategies import for_table

    where = f"rows_breaking({table!r})"
    if not isinstance(old_schema, Schema) or not isinstance(new_schema, Schema):
        raise InvalidArgument(f"{where}: old_schema and new_schema must be schemas")
    for label, schema in (("old", old_schema), ("new", new_schema)):
        if table not in schema:
            raise InvalidArgument(f"{where}: table {table!r} is not in the {label} schema")
    verdict = diff(old_schema, new_schema).table(table).stored
    if verdict.status == "compatible":
        raise InvalidArgument(f"{where}: NEW accepts every row OLD accepts; none breaks")
    if verdict.status == "unknown":
        raise InvalidArgument(f"{where}: undecided: {verdict.reason}")
    witness = verdict.witness
    assert witness is not None
    if not witness.python_visible:
        raise InvalidArgument(
            f"{where}: the rows break only in Convex's types ({witness.message}); their "
            "Python spelling passes NEW too"
        )
    row: dict[str, Any] = witness.value
    field = witness.path[0] if witness.path else None

    def graft(drawn: dict[str, Any]) -> dict[str, Any]:
        candidate = dict(drawn)
        if isinstance(field, str):
            if field in row:
                candidate[field] = row[field]
            else:
                candidate.pop(field, None)
        breaks = old_schema.is_valid(table, candidate) and not new_schema.is_valid(table, candidate)
        return candidate if breaks else row

    return st.one_of(st.just(row), for_table(old_schema, table).map(graft))
