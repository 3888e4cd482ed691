"""Wave planning core: pick routes and batches, as pure functions.

No database, no web framework: plain frozen dataclasses and tuples in, the same
out. The caller maps bins to ``PickLocation(aisle, cell)`` (cell = bay; level
and side do not change the walk, pickers pick from both sides of an aisle).

Routing
    geometry = WarehouseGeometry(n_aisles=10, cells_per_aisle=45, n_blocks=1,
                                 depot_aisle=0)   # metres: see its fields
    route = best_route(geometry, [PickLocation(3, 12), PickLocation(0, 4), ...])
    route.stops            # indices of the input picks, in walking order
    route.metres           # whole tour, depot to depot
    route.arrive_metres    # metres walked on reaching each stop
    route.metres_left(k)   # still to walk after k stops (for the handheld)
    route.method           # "ratliff-rosenthal", "roodbergen-de-koster",
                           # "held-karp", "local-search", ...

``best_route`` is exact for 1 and 2 blocks; for more blocks it is exact up to
12 distinct stops and a 2-opt/Or-opt local search beyond. ``s_shape_route`` and
``largest_gap_route`` are the textbook baselines. ``route_metres`` returns only
the length (faster). For layouts that are not rectangles, build a
``TravelGraph`` and call ``graph_tour``.

Batching
    orders = [Order("SO-1", picks=(PickLocation(3, 12), ...), units=4,
                    volume=12.5, weight=3.2, totes=1), ...]
    plan = plan_batches(geometry, orders, CartLimits(totes=6, units=60,
                                                      volume=None, weight=80))
    plan.batches     # Batch(order_ids, route, metres, lines) per tour;
                     # route.stops index into lines = (order id, pick index)
    plan.metres, plan.tours

``plan_batches`` is Clarke–Wright savings plus move/swap local search;
``first_come_batches`` is the arrival-order baseline. Both keep every cart
within all its limits; an order that alone exceeds a cart raises
``OrderTooLargeError`` (code ``QUANTITY_TOO_LARGE``): split it first.
"""

from backend.routing.batching import (
    Batch,
    BatchPlan,
    CartLimits,
    Order,
    OrderTooLargeError,
    first_come_batches,
    plan_batches,
)
from backend.routing.geometry import PickLocation, Spot, WarehouseGeometry
from backend.routing.graph import TravelGraph, graph_tour, rectangular_graph
from backend.routing.routes import (
    Route,
    best_route,
    exact_route,
    largest_gap_route,
    route_metres,
    s_shape_route,
    tsp_route,
)

__all__ = [
    "Batch",
    "BatchPlan",
    "CartLimits",
    "Order",
    "OrderTooLargeError",
    "PickLocation",
    "Route",
    "Spot",
    "TravelGraph",
    "WarehouseGeometry",
    "best_route",
    "exact_route",
    "first_come_batches",
    "graph_tour",
    "largest_gap_route",
    "plan_batches",
    "rectangular_graph",
    "route_metres",
    "s_shape_route",
    "tsp_route",
]
