"""The schema: queries, mutations and subscriptions merged, with depth and cost limits."""

from __future__ import annotations

from pathlib import Path

import strawberry
from graphql import ASTValidationRule, NoSchemaIntrospectionCustomRule
from strawberry.extensions import (
    AddValidationRules,
    ParserCache,
    SchemaExtension,
    ValidationCache,
)
from strawberry.extensions.query_depth_limiter import create_validator
from strawberry.tools import merge_types

from backend.schema.alerts import AlertMutations, AlertQueries, ReplenishQuery
from backend.schema.analytics import AnalyticsMutations, AnalyticsQueries
from backend.schema.analytics.stock import StockReportQueries
from backend.schema.boundary import Schema
from backend.schema.catalog import CatalogMutations, CatalogQueries
from backend.schema.control import ControlMutation, ControlQuery
from backend.schema.cost import make_cost_rule
from backend.schema.desk import DeskQuery
from backend.schema.devices import DeviceMutations, DeviceQuery
from backend.schema.errors import ERROR_TYPES
from backend.schema.inbound import (
    InboundMutations,
    InboundQuery,
    PalletMutations,
    PalletQuery,
    ReorderMutations,
)
from backend.schema.layout import LayoutMutations, LayoutQueries
from backend.schema.limits import (
    Introspection,
    NoNulInLiterals,
    alias_limit_rule,
    request_guard,
    root_field_limit_rule,
)
from backend.schema.lookup import LookupQueries
from backend.schema.mutations.accounts import AccountMutations
from backend.schema.mutations.auth import AuthMutations
from backend.schema.mutations.stock import StockMutations
from backend.schema.mutations.tasks import TaskMutations
from backend.schema.outbound import OutboundMutations, OutboundQuery
from backend.schema.queries import Query
from backend.schema.returns import ReturnMutations, ReturnQuery
from backend.schema.scalars import SCALAR_OVERRIDES
from backend.schema.shipping import ShippingMutations, ShippingQuery
from backend.schema.subscriptions import Subscription
from backend.schema.users import UserMutations

SCHEMA_FILE = Path(__file__).resolve().parents[2] / "schema.graphql"

# Each domain adds its query and mutation classes here.
QUERY_TYPES: tuple[type, ...] = (
    Query,
    ControlQuery,
    OutboundQuery,
    InboundQuery,
    PalletQuery,
    ReplenishQuery,
    AlertQueries,
    AnalyticsQueries,
    StockReportQueries,
    ShippingQuery,
    DeskQuery,
    CatalogQueries,
    LayoutQueries,
    LookupQueries,
    ReturnQuery,
    DeviceQuery,
)
MUTATION_TYPES: tuple[type, ...] = (
    AuthMutations,
    AccountMutations,
    TaskMutations,
    StockMutations,
    ControlMutation,
    OutboundMutations,
    InboundMutations,
    PalletMutations,
    ReorderMutations,
    AlertMutations,
    AnalyticsMutations,
    ShippingMutations,
    CatalogMutations,
    LayoutMutations,
    UserMutations,
    ReturnMutations,
    DeviceMutations,
)

RootQuery = merge_types("Query", QUERY_TYPES)
Mutation = merge_types("Mutation", MUTATION_TYPES)


class CloseReadSession(SchemaExtension):
    """The request's read session ends with the operation."""

    async def on_operation(self):  # type: ignore[no-untyped-def]
        yield
        context = self.execution_context.context
        close = getattr(context, "close", None)
        if close is not None:
            await close()


# Handhelds send the same few documents all day: parse and validate each text once.
# The caches are keyed by the document and the rule classes, so the rules are built
# once per schema here (a rule class made per request would never hit the cache).
DOCUMENT_CACHE_SIZE = 512


def build_schema(
    max_depth: int = 12,
    max_cost: int = 50_000,
    max_page: int = 500,
    *,
    max_aliases: int = 50,
    max_root_fields: int = 30,
    introspection: Introspection = Introspection.ALL,
) -> strawberry.Schema:
    rules: list[type[ASTValidationRule]] = [
        create_validator(max_depth, None),
        make_cost_rule(max_cost, max_page),
        alias_limit_rule(max_aliases),
        root_field_limit_rule(max_root_fields),
        NoNulInLiterals,
    ]
    if introspection is Introspection.OFF:
        rules.append(NoSchemaIntrospectionCustomRule)
    return Schema(
        query=RootQuery,
        mutation=Mutation,
        subscription=Subscription,
        types=list(ERROR_TYPES),
        scalar_overrides=SCALAR_OVERRIDES,  # type: ignore[arg-type]
        extensions=[
            lambda: ParserCache(maxsize=DOCUMENT_CACHE_SIZE),
            lambda: AddValidationRules(rules),
            lambda: ValidationCache(maxsize=DOCUMENT_CACHE_SIZE),
            request_guard(introspection),  # after the cache: it adds to its verdict
            CloseReadSession,
        ],
    )


def schema_sdl() -> str:
    return build_schema().as_str() + "\n"
