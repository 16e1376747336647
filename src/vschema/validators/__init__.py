"""The runtime half of vschema: the validator tree, its builders and its checks.

The node classes (`_nodes`) sit at the bottom and import no walk; their methods (``is_valid``,
``validate``, ``repr``, ...) reach the walks through the `_nodes.Runtime` installed here, once,
when the package is first imported.
"""

from typing import Any

from vschema.validators import _builder, _compile, _display, _nodes


# The JSON forms (and decimal, base64 and struct with them) load on the first call, not at
# `import vschema`: validating needs none of them.
def _to_json(validator: _nodes.Validator) -> dict[str, Any]:
    from vschema.validators._convex_json import validator_to_json

    return validator_to_json(validator)


def _from_json(data: object) -> _nodes.Validator:
    from vschema.validators._convex_json import validator_from_json

    return validator_from_json(data)


_nodes.install(
    _nodes.Runtime(
        check=_compile.compile_check,
        locator=_compile.compile_locator,
        explainer=_compile.compile_explainer,
        to_json=_to_json,
        display=_display.builder_repr,
        pick=_builder.pick,
        build_object=_builder.v.object,
        from_json=_from_json,
    )
)
