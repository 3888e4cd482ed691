/**
 * Shared bits of the office desk's operations (plain query strings with their
 * result types; they move to generated typed operations later).
 */
export const USER_ERROR = '... on UserError { code message field }';

export interface PageInfo {
  hasNextPage: boolean;
  endCursor: string | null;
}

export interface Connection<T> {
  edges: { node: T }[];
  pageInfo: PageInfo;
}

export const nodes = <T,>(c: Connection<T>): T[] => c.edges.map((e) => e.node);

/** What waits for a decision, one query per permission so a missing one costs only its figure. */
export const WAITING_ADJUSTMENTS = `
query OfficeWaitingAdjustments($warehouseId: ID) {
  adjustments(first: 100, state: "PENDING", warehouseId: $warehouseId) { edges { node { id } } pageInfo { hasNextPage endCursor } }
}`;
export const WAITING_VARIANCES = `
query OfficeWaitingVariances($warehouseId: ID) {
  countReviews(first: 100, state: "PENDING_APPROVAL", warehouseId: $warehouseId) { edges { node { countId } } pageInfo { hasNextPage endCursor } }
}`;
export const WAITING_ALERTS = `
query OfficeWaitingAlerts($warehouseId: ID) {
  alerts(first: 100, state: OPEN, warehouseId: $warehouseId) { edges { node { id } } pageInfo { hasNextPage endCursor } }
}`;
