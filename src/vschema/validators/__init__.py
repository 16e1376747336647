"""The runtime half of vschema: the validator tree, its builders and its checks.

The node classes (`_nodes`) sit at the bottom and import no walk; their methods (``is_valid``,
``validate``, ``repr``, ...) reach the walks through the `_nodes.Runtime` installed here, once,
when the package is first imported.
"""

from collections.abc import Callable
from typing import Any

from vschema.validators import _builder, _display, _nodes
from vschema.validators._errors import Issue


# The JSON forms (and decimal, base64 and struct with them) load on the first call, not at
# `import vschema`: validating needs none of them.
def _to_json(validator: _nodes.Validator) -> dict[str, Any]:
    from vschema.validators._convex_json import validator_to_json

    return validator_to_json(validator)


def _from_json(data: object) -> _nodes.Validator:
    from vschema.validators._convex_json import validator_from_json

    return validator_from_json(data)


# The compiler (and the interpreter and ID codec it brings) loads on a validator's first check,
# not at `import vschema`; each program is then cached on its node, so this runs once per node.
def _check(validator: _nodes.Validator) -> Callable[[object], bool]:
    from vschema.validators._compile import compile_check

    return compile_check(validator)


def _locator(validator: _nodes.Validator) -> Callable[[object], int | None]:
    from vschema.validators._compile import compile_locator

    return compile_locator(validator)


def _explainer(validator: _nodes.Validator) -> Callable[[object, list[Issue], int], None]:
    from vschema.validators._compile import compile_explainer

    return compile_explainer(validator)


_nodes.install(
    _nodes.Runtime(
        check=_check,
        locator=_locator,
        explainer=_explainer,
        to_json=_to_json,
        display=_display.builder_repr,
        pick=_builder.pick,
        build_object=_builder.v.object,
        from_json=_from_json,
    )
)
