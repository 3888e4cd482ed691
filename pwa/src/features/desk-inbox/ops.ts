import { USER_ERROR, type Connection } from '../desk-office/ops';

export const KINDS = [
  'ADJUSTMENT', 'COUNT_VARIANCE', 'COUNT_OVERDUE', 'SHORT_PICK', 'BACKORDER', 'CREDIT_HOLD',
  'RECEIPT_DISCREPANCY', 'QC_HOLD', 'EXPIRED_STOCK', 'BLOCKED_STOCK', 'PRINT_FAILED', 'WEBHOOK_FAILED',
] as const;
export type ExceptionKind = (typeof KINDS)[number];

export interface DeskException {
  kind: ExceptionKind;
  id: string;
  warehouseId: string;
  title: string;
  raisedAt: string | null;
  itemSku: string | null;
  binCode: string | null;
  quantity: number | null;
  reference: string | null;
  raisedById: string | null;
  raisedByName: string | null;
  actions: string[];
}

export interface InboxData {
  exceptionInbox: { total: number; counts: { kind: ExceptionKind; count: number }[]; items: DeskException[] };
}

export const INBOX = `
query OfficeExceptionInbox($kinds: [ExceptionKind!], $warehouseId: ID) {
  exceptionInbox(kinds: $kinds, warehouseId: $warehouseId, first: 200) {
    total counts { kind count }
    items { kind id warehouseId title raisedAt itemSku binCode quantity reference raisedById raisedByName actions }
  }
}`;

/** Counts only, for the office menu. */
export const INBOX_COUNTS = `
query OfficeExceptionCounts($warehouseId: ID) {
  exceptionInbox(warehouseId: $warehouseId, first: 1) { total }
}`;

export interface HistoryEntry {
  id: string;
  at: string;
  userId: string | null;
  userName: string | null;
  deviceId: string | null;
  action: string;
}
export type HistoryData = { auditEntries: Connection<HistoryEntry> };
export const HISTORY = `
query OfficeExceptionHistory($entity: String, $entityId: String) {
  auditEntries(first: 50, entity: $entity, entityId: $entityId) { edges { node { id at userId userName deviceId action } } pageInfo { hasNextPage endCursor } }
}`;

/** Each action the inbox performs itself: its mutation text and how an item fills its input. */
export interface ActionDef {
  query: string;
  input: (item: DeskException) => Record<string, unknown>;
}

export const ACTIONS: Record<string, ActionDef> = {
  approveAdjustment: {
    query: `mutation OfficeInboxApproveAdjustment($input: AdjustmentDecisionInput!) { approveAdjustment(input: $input) { __typename ... on AdjustmentSuccess { adjustment { id state moveId } } ${USER_ERROR} } }`,
    input: (i) => ({ adjustmentId: i.id }),
  },
  rejectAdjustment: {
    query: `mutation OfficeInboxRejectAdjustment($input: AdjustmentDecisionInput!) { rejectAdjustment(input: $input) { __typename ... on AdjustmentSuccess { adjustment { id state } } ${USER_ERROR} } }`,
    input: (i) => ({ adjustmentId: i.id }),
  },
  approveCountVariance: {
    query: `mutation OfficeInboxAcceptVariance($input: CountDecisionInput!) { approveCountVariance(input: $input) { __typename ... on CountDecisionSuccess { countId state } ${USER_ERROR} } }`,
    input: (i) => ({ countId: i.id }),
  },
  rejectCountVariance: {
    query: `mutation OfficeInboxRecount($input: CountDecisionInput!) { rejectCountVariance(input: $input) { __typename ... on CountDecisionSuccess { countId state } ${USER_ERROR} } }`,
    input: (i) => ({ countId: i.id }),
  },
  requestBinCount: {
    query: `mutation OfficeInboxBinCount($input: RequestBinCountInput!) { requestBinCount(input: $input) { __typename ... on RequestBinCountSuccess { count { countId } } ${USER_ERROR} } }`,
    input: (i) => ({ binCode: i.binCode }),
  },
  retryBackorders: {
    query: `mutation OfficeInboxRetryBackorders($input: RetryBackordersInput!) { retryBackorders(input: $input) { __typename ... on SalesOrdersSuccess { __typename } ${USER_ERROR} } }`,
    input: (i) => ({ warehouseId: i.warehouseId }),
  },
  cancelSalesOrder: {
    query: `mutation OfficeInboxCancelOrder($input: CancelSalesOrderInput!) { cancelSalesOrder(input: $input) { __typename ... on CancelSalesOrderSuccess { order { id } } ${USER_ERROR} } }`,
    input: (i) => ({ orderId: i.id }),
  },
  approveCreditHold: {
    query: `mutation OfficeInboxApproveCredit($input: CreditDecisionInput!) { approveCreditHold(input: $input) { __typename ... on CreditDecisionSuccess { order { id state } } ${USER_ERROR} } }`,
    input: (i) => ({ orderId: i.id }),
  },
  rejectCreditHold: {
    query: `mutation OfficeInboxRejectCredit($input: CreditDecisionInput!) { rejectCreditHold(input: $input) { __typename ... on CreditDecisionSuccess { order { id state } } ${USER_ERROR} } }`,
    input: (i) => ({ orderId: i.id }),
  },
  unblockBin: {
    query: `mutation OfficeInboxUnblockBin($input: UnblockBinInput!) { unblockBin(input: $input) { __typename ${USER_ERROR} } }`,
    input: (i) => ({ binCode: i.binCode }),
  },
  retryPrintJob: {
    query: `mutation OfficeInboxRetryPrint($input: PrintJobRefInput!) { retryPrintJob(input: $input) { __typename ... on PrintJobSuccess { job { id } } ${USER_ERROR} } }`,
    input: (i) => ({ jobId: i.id }),
  },
};
