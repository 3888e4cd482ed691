/** The stock reports' operations (schema: stockAge, stockLevelHistory, lotTrace, itemStock). */

export interface AgeBucket {
  fromDays: number;
  toDays: number | null;
  quantity: number;
  valueCents: number;
}
export interface AgeRow {
  itemId: string;
  sku: string;
  name: string;
  warehouseCode: string;
  onHand: number;
  valueCents: number;
  buckets: AgeBucket[];
}
export interface StockAgeReport {
  __typename: 'StockAge';
  asOf: string;
  edges: number[];
  totals: AgeBucket[];
  rows: AgeRow[];
  csv: string;
}
export interface LevelDay {
  day: string;
  received: number;
  issued: number;
  onHand: number;
}
export interface LevelHistory {
  __typename: 'StockLevelHistory';
  sku: string;
  warehouseCode: string;
  opening: number;
  days: LevelDay[];
  csv: string;
}
export interface Refusal {
  __typename: string;
  code: string;
  message: string;
}

export const STOCK_AGE = `
query DeskStockAge($warehouseId: ID, $edges: [Int!]) {
  stockAge(warehouseId: $warehouseId, edges: $edges, limit: 200) {
    __typename
    ... on StockAge { asOf edges totals { fromDays toDays quantity valueCents }
      rows { itemId sku name warehouseCode onHand valueCents buckets { fromDays toDays quantity valueCents } } csv }
    ... on UserError { code message }
  }
}`;

export const ITEM_BY_CODE = `
query DeskReportItem($code: String!) {
  itemStock(code: $code) { __typename ... on ItemStock { item { id sku name } } ... on UserError { code message } }
}`;

export const LEVEL_HISTORY = `
query DeskStockLevels($itemId: ID!, $warehouseId: ID!, $from: Date!, $to: Date!) {
  stockLevelHistory(itemId: $itemId, warehouseId: $warehouseId, from: $from, to: $to) {
    __typename
    ... on StockLevelHistory { sku warehouseCode opening days { day received issued onHand } csv }
    ... on UserError { code message }
  }
}`;

export interface LotTraceData {
  __typename: 'LotTrace';
  item: { sku: string; name: string };
  lot: { lotNumber: string; expiry: string | null };
  received: { receiptId: string; receivedAt: string; closedAt: string | null; quantity: number; kind: string; poNumber: string | null; reference: string; supplierCode: string | null; supplierName: string | null; warehouseCode: string }[];
  onHand: { binCode: string; warehouseCode: string; status: string; onHand: number; reserved: number }[];
  totals: { onHand: number; reserved: number; free: number };
  shipped: { orderNumber: string; customerCode: string; customerName: string; quantity: number; cartonSscc: string | null; packedAt: string | null; shipmentId: string | null; waybillNo: string | null; trackingNumber: string | null; shippedAt: string | null; warehouseCode: string }[];
}

export const LOT_TRACE = `
query DeskLotTrace($itemCode: String!, $lotNumber: String!) {
  lotTrace(itemCode: $itemCode, lotNumber: $lotNumber) {
    __typename
    ... on LotTrace {
      item { sku name } lot { lotNumber expiry }
      received { receiptId receivedAt closedAt quantity kind poNumber reference supplierCode supplierName warehouseCode }
      onHand { binCode warehouseCode status onHand reserved }
      totals { onHand reserved free }
      shipped { orderNumber customerCode customerName quantity cartonSscc packedAt shipmentId waybillNo trackingNumber shippedAt warehouseCode }
    }
    ... on UserError { code message }
  }
}`;
