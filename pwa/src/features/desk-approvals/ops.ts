import { USER_ERROR, type Connection } from '../desk-office/ops';

export interface Adjustment {
  id: string;
  binCode: string;
  itemSku: string;
  lotNumber: string | null;
  status: string;
  quantity: number;
  reason: string;
  note: string;
  valueCents: number;
  state: string;
  requestedBy: string;
  decidedBy: string | null;
  countId: string | null;
  moveId: string | null;
  createdAt: string;
  decidedAt: string | null;
}

const ADJUSTMENT = 'id binCode itemSku lotNumber status quantity reason note valueCents state requestedBy decidedBy countId moveId createdAt decidedAt';

export type AdjustmentsData = { adjustments: Connection<Adjustment> };
export const ADJUSTMENTS = `
query OfficeAdjustments($state: String, $warehouseId: ID, $after: String) {
  adjustments(first: 50, after: $after, state: $state, warehouseId: $warehouseId) { edges { node { ${ADJUSTMENT} } } pageInfo { hasNextPage endCursor } }
}`;

export type AdjustmentDecided = { adjustment: Adjustment };
export const APPROVE_ADJUSTMENT = `
mutation OfficeApproveAdjustment($input: AdjustmentDecisionInput!) {
  approveAdjustment(input: $input) { __typename ... on AdjustmentSuccess { adjustment { ${ADJUSTMENT} } } ${USER_ERROR} }
}`;
export const REJECT_ADJUSTMENT = `
mutation OfficeRejectAdjustment($input: AdjustmentDecisionInput!) {
  rejectAdjustment(input: $input) { __typename ... on AdjustmentSuccess { adjustment { ${ADJUSTMENT} } } ${USER_ERROR} }
}`;
