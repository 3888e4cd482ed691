"""The one error boundary: what a client may see of a failure, and what the log keeps.

Three kinds of error leave a GraphQL request:

- refusals the client can act on: validation errors, our own ``GraphQLError``s
  (UNAUTHENTICATED, PERMISSION_DENIED, BAD_REQUEST…) and ``DomainError``s raised
  by a read (a malformed id, say), which become an error with the domain's code;
- everything else raised while executing — a bug, a lost database, a driver
  message quoting SQL — becomes one generic ``INTERNAL`` error carrying the
  request's correlation id. Its traceback is logged once, with that id, and no
  text of it reaches the client.

Expected refusals log one line each, never a traceback.
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.types import ExecutionContext

from backend.core.errors import DomainError
from backend.http.edge import REQUEST_ID_KEY

log = logging.getLogger("backend.errors")

INTERNAL_MESSAGE = "Internal error. Quote the correlation id when you report it."


def request_id_of(context: Any) -> str:
    """The id the request middleware gave this request (or socket); a fresh one if none."""
    request = getattr(context, "request", None)
    scope = getattr(request, "scope", None)
    if isinstance(scope, dict):
        rid = scope.get(REQUEST_ID_KEY)
        if isinstance(rid, str):
            return rid
    return uuid.uuid4().hex[:16]


def _domain_error(error: GraphQLError, domain: DomainError) -> GraphQLError:
    extensions: dict[str, Any] = {"code": domain.code.value}
    if domain.field:
        extensions["field"] = domain.field
    return GraphQLError(
        domain.message,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        extensions=extensions,
    )


def _internal_error(error: GraphQLError, correlation_id: str) -> GraphQLError:
    return GraphQLError(
        INTERNAL_MESSAGE,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        extensions={"code": "INTERNAL", "correlationId": correlation_id},
    )


def _is_client_error(error: GraphQLError) -> bool:
    original = error.original_error
    if original is None or isinstance(original, GraphQLError):
        return True
    # Before execution (no path) graphql-core wraps a scalar's refusal of a variable
    # ("Invalid isoformat string") in a ValueError/TypeError: the caller's input, not ours.
    return error.path is None and type(original) in (ValueError, TypeError)


def classify(errors: list[GraphQLError], context: Any) -> None:
    """Rewrite `errors` in place into what a client may see, logging each once."""
    for index, error in enumerate(errors):
        original = error.original_error
        if isinstance(original, DomainError):
            errors[index] = _domain_error(error, original)
            log.info("refused %s: %s", _where(error), original.code.value)
        elif isinstance(original, RecursionError):
            errors[index] = GraphQLError(
                "The document is nested too deeply.", extensions={"code": "BAD_REQUEST"}
            )
            log.info("refused a document nested too deeply")
        elif _is_client_error(error):
            code = (error.extensions or {}).get("code", "GRAPHQL_VALIDATION_FAILED")
            log.info("refused %s: %s", _where(error), code)
        else:
            assert original is not None  # _is_client_error took the None case
            rid = request_id_of(context)
            errors[index] = _internal_error(error, rid)
            log.error(
                "internal error in %s (request %s)",
                _where(error),
                rid,
                exc_info=(type(original), original, original.__traceback__),
            )


def _where(error: GraphQLError) -> str:
    return ".".join(str(p) for p in error.path) if error.path else "the request"


class Schema(strawberry.Schema):
    """strawberry's schema with the boundary in place of its log-every-traceback default."""

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        classify(errors, execution_context.context if execution_context else None)
