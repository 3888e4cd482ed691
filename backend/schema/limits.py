"""Limits on what one GraphQL request may ask, beyond depth and cost (see cost.py).

- aliases and root fields per document: 5,000 aliases of one cheap field pass a cost
  rule that prices a field at 1 but still cost the server 5,000 resolver runs;
- text may not carry NUL: PostgreSQL refuses it in text columns, so a NUL would
  otherwise surface as a driver error deep inside a write;
- introspection for everyone, for administrators only, or for no one.

The document rules are validation rules, so ValidationCache remembers their verdict
per document text; the per-request checks (variables, the caller's role) run in
RequestGuard, once per operation.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from enum import StrEnum
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    StringValueNode,
    ValidationContext,
    ValidationRule,
    visit,
)
from graphql.language import Visitor
from strawberry.extensions import SchemaExtension

from backend.core.auth.permissions import Role


class Introspection(StrEnum):
    ALL = "all"
    ADMINS = "admins"
    OFF = "off"


NUL_MESSAGE = "Text may not contain NUL characters."


def _nul_error(node: Any = None) -> GraphQLError:
    return GraphQLError(NUL_MESSAGE, node, extensions={"code": "INVALID_INPUT"})


class NoNulInLiterals(ValidationRule):
    def enter_string_value(self, node: StringValueNode, *_args: Any) -> None:
        if "\x00" in node.value:
            self.report_error(_nul_error(node))


def alias_limit_rule(max_aliases: int) -> type[ValidationRule]:
    class MaxAliases(ValidationRule):
        def enter_document(self, node: Any, *_args: Any) -> None:
            count = 0

            class Count(Visitor):
                def enter_field(self, field: FieldNode, *_a: Any) -> None:
                    nonlocal count
                    if field.alias is not None:
                        count += 1

            visit(node, Count())
            if count > max_aliases:
                self.report_error(
                    GraphQLError(
                        f"At most {max_aliases} aliases per request; this one has {count}.",
                        extensions={"code": "QUERY_TOO_LARGE", "aliases": count},
                    )
                )

    return MaxAliases


def root_field_limit_rule(max_fields: int) -> type[ValidationRule]:
    class MaxRootFields(ValidationRule):
        def __init__(self, context: ValidationContext) -> None:
            super().__init__(context)
            self._fragments: dict[str, FragmentDefinitionNode] = {}

        def enter_document(self, node: Any, *_args: Any) -> None:
            self._fragments = {
                d.name.value: d for d in node.definitions if isinstance(d, FragmentDefinitionNode)
            }

        def enter_operation_definition(self, node: OperationDefinitionNode, *_args: Any) -> None:
            count = self._count(node.selection_set, set())
            if count > max_fields:
                self.report_error(
                    GraphQLError(
                        f"At most {max_fields} top-level fields per request; this one has {count}.",
                        node,
                        extensions={"code": "QUERY_TOO_LARGE", "rootFields": count},
                    )
                )

        def _count(self, selections: SelectionSetNode, seen: set[str]) -> int:
            total = 0
            for selection in selections.selections:
                if isinstance(selection, FieldNode):
                    total += 1
                elif isinstance(selection, InlineFragmentNode):
                    total += self._count(selection.selection_set, seen)
                elif isinstance(selection, FragmentSpreadNode):
                    name = selection.name.value
                    fragment = self._fragments.get(name)
                    if fragment is not None and name not in seen:  # cycles are another rule's
                        total += self._count(fragment.selection_set, seen | {name})
            return total

    return MaxRootFields


def has_nul(value: object) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(has_nul(k) or has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(has_nul(v) for v in value)
    return False


def asks_schema(document: Any) -> bool:
    """Does the document read `__schema` or `__type` (`__typename` is not introspection)?"""
    found = False

    class Find(Visitor):
        def enter_field(self, field: FieldNode, *_a: Any) -> None:
            nonlocal found
            if field.name.value in ("__schema", "__type"):
                found = True

    visit(document, Find())
    return found


def request_guard(introspection: Introspection) -> type[SchemaExtension]:
    class RequestGuard(SchemaExtension):
        """Refuses, before execution, variables with NUL and introspection by those
        the setting leaves out. Runs after ValidationCache, so it adds to its verdict."""

        async def on_validate(self) -> AsyncIterator[None]:  # type: ignore[override]
            ctx = self.execution_context
            errors: list[GraphQLError] = []
            if has_nul(ctx.variables):
                errors.append(_nul_error())
            text = ctx.query or ""
            if (
                introspection is Introspection.ADMINS  # OFF is a validation rule
                and ("__schema" in text or "__type" in text)
                and ctx.graphql_document is not None
                and asks_schema(ctx.graphql_document)
                and not await _is_admin(ctx.context)
            ):
                errors.append(
                    GraphQLError(
                        "Introspection is not open to you on this server.",
                        extensions={"code": "INTROSPECTION_DISABLED"},
                    )
                )
            if errors:
                # A new list: ValidationCache shares its list between requests.
                ctx.pre_execution_errors = [*(ctx.pre_execution_errors or []), *errors]
            yield

    return RequestGuard


async def _is_admin(context: Any) -> bool:
    principal = await context.principal()
    return principal is not None and Role.ADMIN in principal.roles
