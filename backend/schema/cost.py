"""A query cost limit: each field costs 1 times the page sizes of the lists above it.

Depth alone does not stop `items(first: 500) { quants(first: 500) … }`; this does.
"""

from __future__ import annotations

from typing import Any

from graphql import (
    FieldNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationContext,
    ValidationRule,
)


def make_cost_rule(max_cost: int, default_page: int) -> type[ValidationRule]:
    class QueryCostRule(ValidationRule):
        def __init__(self, context: ValidationContext) -> None:
            super().__init__(context)

        def _page(self, field: FieldNode) -> int:
            for argument in field.arguments or ():
                if argument.name.value in ("first", "last", "limit"):
                    if isinstance(argument.value, IntValueNode):
                        return max(1, int(argument.value.value))
                    return default_page  # a variable: assume the largest page
            return 1

        def _cost(self, selection_set: SelectionSetNode | None, factor: int, seen: set[str]) -> int:
            if selection_set is None:
                return 0
            total = 0
            for selection in selection_set.selections:
                if isinstance(selection, FieldNode):
                    inner = factor * self._page(selection)
                    total += factor + self._cost(selection.selection_set, inner, seen)
                elif isinstance(selection, InlineFragmentNode):
                    total += self._cost(selection.selection_set, factor, seen)
                elif isinstance(selection, FragmentSpreadNode):
                    name = selection.name.value
                    fragment = self.context.get_fragment(name)
                    if fragment is not None and name not in seen:
                        total += self._cost(fragment.selection_set, factor, seen | {name})
            return total

        def enter_operation_definition(self, node: OperationDefinitionNode, *_: Any) -> None:
            cost = self._cost(node.selection_set, 1, set())
            if cost > max_cost:
                self.report_error(
                    GraphQLError(
                        f"Query cost {cost} exceeds the limit of {max_cost}; ask for smaller pages.",
                        node,
                        extensions={"code": "QUERY_TOO_COSTLY", "cost": cost},
                    )
                )

    return QueryCostRule
