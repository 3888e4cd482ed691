"""Analytics over GraphQL: reports, `analyticsCsv` and `reclassifyAbc`."""

from backend.schema.analytics.mutations import AnalyticsMutations
from backend.schema.analytics.queries import AnalyticsQueries

__all__ = ["AnalyticsMutations", "AnalyticsQueries"]
