"""The runtime half of vschema: the validator tree, its builders and its checks.

The node classes (`_nodes`) sit at the bottom and import no walk; their methods (``is_valid``,
``validate``, ``repr``, ...) reach the walks through the `_nodes.Runtime` installed here, once,
when the package is first imported.
"""

from vschema.validators import _builder, _compile, _convex_json, _display, _nodes

_nodes.install(
    _nodes.Runtime(
        check=_compile.compile_check,
        locator=_compile.compile_locator,
        explainer=_compile.compile_explainer,
        to_json=_convex_json.validator_to_json,
        display=_display.builder_repr,
        pick=_builder.pick,
        build_object=_builder.v.object,
        from_json=_convex_json.validator_from_json,
    )
)
