"""Compatibility of two validators or schemas: exact verdicts, verified witnesses, plans.

``diff(old, new)`` says, for two validators or per table of two schemas, whether every stored
document stays valid (stored data) and whether what NEW's code writes is valid under OLD
(writers), with a document that breaks each when one does. `plan` gives the widen-migrate-narrow
steps for a breaking change. ``vschema diff OLD NEW`` is the command (`vschema.evolution.cli`).
`vschema.strategies.rows_breaking` draws the rows OLD accepts and NEW rejects, from the
witnesses found here.
"""

from vschema.evolution._changes import Change
from vschema.evolution._diff import IndexChange, SchemaDiff, TableDiff, ValidatorDiff, diff
from vschema.evolution._plan import Plan, plan, widen
from vschema.evolution._witness import Verdict, Witness

__all__ = [
    "Change",
    "IndexChange",
    "Plan",
    "SchemaDiff",
    "TableDiff",
    "ValidatorDiff",
    "Verdict",
    "Witness",
    "diff",
    "plan",
    "widen",
]
