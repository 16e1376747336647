"""The Jinja environment every generator renders through.

Templates do layout only: type expressions are rendered by the generators' walks in Python, and
every user string reaches a template through a named escaping filter from `_source`.
"""

from __future__ import annotations

import functools

import jinja2

from vschema import _source

__all__ = ["render"]


@functools.cache
def _environment() -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("vschema.codegen", "templates"),
        autoescape=False,  # the output is code, not HTML; escaping is explicit, per target
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters.update(
        ts_str=_source.ts_str,
        ts_key=_source.ts_key,
        py_literal=_source.py_literal,
        py_str=_source.py_str,
        py_name=_source.py_name,
        py_doc=_source.py_doc,
        comment=_source.comment_text,
    )
    return environment


def render(template: str, **context: object) -> str:
    """Render ``templates/<template>`` with ``context``; a missing variable is an error."""
    return _environment().get_template(template).render(**context)
