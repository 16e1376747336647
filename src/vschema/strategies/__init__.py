"""Hypothesis strategies for vschema validators (the ``vschema[hypothesis]`` extra).

* `from_validator` draws values a validator accepts: every kind, optional fields present and
  absent, union branches, edge numbers, valid Convex IDs, awkward strings, Convex's limits kept.
* `invalid` draws ``(value, expected)``: a value that breaks exactly one rule, and the first issue
  validation reports for it (`ExpectedIssue`: its code and path).
* `for_table` / `invalid_for_table` do the same for a table of a `define_schema` schema;
  `for_patch` draws partial updates of its rows. They take ``overrides`` (strategies for
  fields, by path), ``existing_ids`` (IDs of rows that exist, for stateful tests),
  ``json_safe`` / ``convex_json`` (draws ready for ``json.dumps`` or Convex's wire) and
  ``max_items`` / ``max_size`` (collection caps and the per-draw size budget).
* `register_types` registers `for_table` for the ``TypedDict``s of a module that
  ``vschema codegen --py-out`` generated, so ``st.from_type(Inquiry)`` draws valid rows.
* `validators` draws validator trees, for testing code that is generic over validators.

Every strategy is built by one walk over the validator tree, constructively: nothing is drawn and
thrown away, except near-misses in unions whose members overlap. Every strategy's repr is short
(``for_table(schema, 'inquiries')``, ``from_validator(v.object({...``), inner ones too, since
Hypothesis prints reprs into failure notes and filter events. Invalid values are a valid draw
plus one mutation at one path, simplest flaws first, so they shrink to the smallest payload that
still has the flaw. Arguments are checked when a strategy is defined, as Hypothesis does.
"""

from __future__ import annotations

# Checked before any submodule is imported, so a missing Hypothesis is this one clear error.
try:
    import hypothesis as _hypothesis  # noqa: F401
except ImportError as error:  # pragma: no cover - exercised in a subprocess by the tests
    raise ImportError(
        "vschema.strategies needs Hypothesis, which is not installed: "
        "pip install 'vschema[hypothesis]'"
    ) from error

from vschema.strategies._arguments import FieldPath
from vschema.strategies._common import ExpectedIssue
from vschema.strategies._tables import for_patch, for_table, invalid_for_table, rows_breaking
from vschema.strategies._types import register_types
from vschema.strategies._validators import validators
from vschema.strategies._values import from_validator, invalid

__all__ = [
    "ExpectedIssue",
    "FieldPath",
    "for_patch",
    "for_table",
    "from_validator",
    "invalid",
    "invalid_for_table",
    "register_types",
    "rows_breaking",
    "validators",
]

# The public names are documented, shown and pickled as this module's, where users import them.
for _public in (
    ExpectedIssue,
    for_patch,
    for_table,
    from_validator,
    invalid,
    invalid_for_table,
    register_types,
    rows_breaking,
    validators,
):
    _public.__module__ = __name__
del _public
