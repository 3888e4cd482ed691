/**
 * The supervisor's inbound desk (schema.graphql): purchase orders, receipts,
 * receiving discrepancies, supplier performance, and the decisions a
 * supervisor takes on them.
 */

const USER_ERROR = '... on UserError { code message field }';

export interface PoLine {
  lineNo: number;
  itemSku: string;
  itemName: string;
  packaging: string | null;
  orderedUnits: number;
  /** Base units ordered; `received` and `remaining` count in the same units. */
  quantity: number;
  received: number;
  remaining: number;
  unitPriceCents: number;
  dueDate: string | null;
}

export interface PoDecision {
  level: number;
  decision: string;
  username: string | null;
  role: string | null;
  comment: string;
  at: string;
}

export interface DeskPo {
  id: string;
  code: string;
  number: string;
  state: string;
  warehouseId: string;
  supplierCode: string;
  supplierName: string;
  totalCents: number;
  note: string;
  requiredLevels: number[];
  createdAt: string;
  submittedAt: string | null;
  approvedAt: string | null;
  lines: PoLine[];
  decisions: PoDecision[];
}

const PO = `id code number state warehouseId supplierCode supplierName totalCents note requiredLevels
  createdAt submittedAt approvedAt
  lines { lineNo itemSku itemName packaging orderedUnits quantity received remaining unitPriceCents dueDate }
  decisions { level decision username role comment at }`;

export interface PageInfo {
  hasNextPage: boolean;
  endCursor: string | null;
}

export const DESK_OPEN_POS = `query DeskOpenPurchaseOrders($warehouseId: ID) { openPurchaseOrders(warehouseId: $warehouseId) { ${PO} } }`;

export const DESK_POS = `
query DeskPurchaseOrders($state: String, $after: String, $warehouseId: ID) {
  purchaseOrders(first: 100, after: $after, state: $state, warehouseId: $warehouseId) {
    edges { node { ${PO} } }
    pageInfo { hasNextPage endCursor }
  }
}`;

export const DESK_PO = `query DeskPurchaseOrder($code: String!) { purchaseOrder(code: $code) { ${PO} } }`;

export interface ExpectedLine {
  itemSku: string;
  itemName: string;
  ordered: number;
  received: number;
  remaining: number;
}

export interface ReceiptLine {
  id: string;
  itemSku: string;
  itemName: string;
  lotNumber: string | null;
  expiry: string | null;
  status: string;
  quantity: number;
  notOnOrder: boolean;
  expiredOnArrival: boolean;
  qcResult: string | null;
  qcNote: string;
}

export interface DeskReceipt {
  id: string;
  kind: string;
  state: string;
  warehouseId: string;
  poCode: string | null;
  poNumber: string | null;
  customerCode: string | null;
  sourceWarehouseCode: string | null;
  dockBinCode: string;
  allowUnplanned: boolean;
  qcTaskId: string | null;
  createdAt: string;
  closedAt: string | null;
  expected: ExpectedLine[];
  lines: ReceiptLine[];
}

const RECEIPT = `id kind state warehouseId poCode poNumber customerCode sourceWarehouseCode dockBinCode allowUnplanned qcTaskId
  createdAt closedAt
  expected { itemSku itemName ordered received remaining }
  lines { id itemSku itemName lotNumber expiry status quantity notOnOrder expiredOnArrival qcResult qcNote }`;

export const DESK_RECEIPTS = `
query DeskReceipts($state: String, $after: String, $warehouseId: ID) {
  receipts(first: 100, after: $after, state: $state, warehouseId: $warehouseId) {
    edges { node { ${RECEIPT} } }
    pageInfo { hasNextPage endCursor }
  }
}`;

export interface Discrepancy {
  kind: string;
  poNumber: string | null;
  receiptId: string | null;
  itemSku: string;
  expected: number | null;
  quantity: number;
}

export const DESK_DISCREPANCIES = `
query DeskDiscrepancies($warehouseId: ID) {
  receivingDiscrepancies(warehouseId: $warehouseId) { kind poNumber receiptId itemSku expected quantity }
}`;

export interface SupplierPerformance {
  supplierCode: string;
  supplierName: string;
  receiptLines: number;
  onTimeRate: number | null;
  quantityAccuracy: number | null;
  qcRejectRate: number | null;
}

export const DESK_SUPPLIERS = `
query DeskSupplierPerformance($since: DateTime, $warehouseId: ID) {
  supplierPerformance(since: $since, warehouseId: $warehouseId) {
    supplierCode supplierName receiptLines onTimeRate quantityAccuracy qcRejectRate
  }
}`;

export interface DeskWarehouse {
  id: string;
  code: string;
  name: string;
}

export const DESK_WAREHOUSES = `query DeskWarehouses { warehouses { id code name } }`;

export const DECIDE_PO = `
mutation DecidePurchaseOrder($input: DecidePurchaseOrderInput!) {
  decidePurchaseOrder(input: $input) {
    __typename ... on DecidePurchaseOrderSuccess { level purchaseOrder { ${PO} } } ${USER_ERROR}
  }
}`;

export const SUBMIT_PO = `
mutation SubmitPurchaseOrder($input: PurchaseOrderCodeInput!) {
  submitPurchaseOrder(input: $input) { __typename ... on PurchaseOrderSuccess { purchaseOrder { ${PO} } } ${USER_ERROR} }
}`;

/** Purchase suggestions turned into one draft order per supplier, net of what is on order. */
export const DRAFT_POS = `
mutation DraftPurchaseOrders($input: DraftPurchaseOrdersInput!) {
  draftPurchaseOrders(input: $input) {
    __typename ... on DraftPurchaseOrdersSuccess { purchaseOrders { ${PO} } skipped { sku reason } } ${USER_ERROR}
  }
}`;

export interface DraftedOrders {
  purchaseOrders: DeskPo[];
  skipped: { sku: string; reason: string }[];
}

export const SERIAL_TRACE = `
query SerialTrace($sku: String!, $serial: String!) {
  serialNumber(itemSku: $sku, serialNumber: $serial) {
    serialNumber itemSku itemName state receivedAt receiptReference lotNumber leftAt leftReference
  }
}`;

export interface SerialTrace {
  serialNumber: string;
  itemSku: string;
  itemName: string;
  state: 'IN_STOCK' | 'SHIPPED' | 'RETURNED_TO_VENDOR';
  receivedAt: string;
  receiptReference: string | null;
  lotNumber: string | null;
  leftAt: string | null;
  leftReference: string | null;
}

export const CLOSE_PO = `
mutation ClosePurchaseOrder($input: PurchaseOrderCodeInput!) {
  closePurchaseOrder(input: $input) { __typename ... on PurchaseOrderSuccess { purchaseOrder { ${PO} } } ${USER_ERROR} }
}`;

export const CANCEL_PO = `
mutation CancelPurchaseOrder($input: CancelPurchaseOrderInput!) {
  cancelPurchaseOrder(input: $input) { __typename ... on PurchaseOrderSuccess { purchaseOrder { ${PO} } } ${USER_ERROR} }
}`;

export const ALLOW_UNPLANNED = `
mutation AllowUnplannedItems($input: AllowUnplannedItemsInput!) {
  allowUnplannedItems(input: $input) { __typename ... on ReceiptSuccess { receipt { ${RECEIPT} } } ${USER_ERROR} }
}`;
