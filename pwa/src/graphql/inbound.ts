/** Inbound operations (schema.graphql: startReceipt, scanReceive, closeReceipt, recordQc, putawaySuggestion, scanPutaway). */

const USER_ERROR = '... on UserError { code message field }';

export interface ExpectedLine {
  itemSku: string;
  itemName: string;
  tracking: string;
  expiryTracked: boolean;
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
  qcResult: string | null;
}

export interface Receipt {
  id: string;
  state: string;
  poCode: string | null;
  poNumber: string | null;
  dockBinCode: string;
  expected: ExpectedLine[];
  lines: ReceiptLine[];
}

export interface NextStep {
  /** SCAN_ITEM, SCAN_SERIAL or CLOSE_RECEIPT. */
  action: string;
  message: string;
  itemSku: string | null;
}

const RECEIPT = `id state poCode poNumber dockBinCode
  expected { itemSku itemName tracking expiryTracked ordered received remaining }
  lines { id itemSku itemName lotNumber expiry status quantity qcResult }`;

export const START_RECEIPT = `
mutation StartReceipt($input: StartReceiptInput!) {
  startReceipt(input: $input) {
    __typename
    ... on StartReceiptSuccess { receipt { ${RECEIPT} } next { action message itemSku } }
    ${USER_ERROR}
  }
}`;

export interface ReceiptStep {
  receipt: Receipt;
  next: NextStep;
}

export const SCAN_RECEIVE = `
mutation ScanReceive($input: ScanReceiveInput!) {
  scanReceive(input: $input) {
    __typename
    ... on ScanReceiveSuccess {
      received { lineId itemSku itemName quantity lotNumber expiry serialNumber status }
      pallet { sscc announced goods { itemSku quantity } }
      receipt { ${RECEIPT} }
      next { action message itemSku }
    }
    ${USER_ERROR}
  }
}`;

/** Set when the scan was a pallet's SSCC: everything on it was received at once. */
export interface ReceivedPallet {
  sscc: string;
  announced: boolean;
  goods: { itemSku: string; quantity: number }[];
}

export interface ReceivedGoods {
  itemSku: string;
  itemName: string;
  quantity: number;
  lotNumber: string | null;
  status: string;
}

export const CLOSE_RECEIPT = `
mutation CloseReceipt($input: ReceiptIdInput!) {
  closeReceipt(input: $input) {
    __typename
    ... on CloseReceiptSuccess { receipt { ${RECEIPT} } putawayTaskIds qcTaskId }
    ${USER_ERROR}
  }
}`;

export interface CloseReceiptSuccess {
  receipt: Receipt;
  putawayTaskIds: string[];
  qcTaskId: string | null;
}

export const RECEIPT_QUERY = `query Receipt($id: ID!) { receipt(id: $id) { ${RECEIPT} } }`;

export const RECORD_QC = `
mutation RecordQc($input: RecordQcInput!) {
  recordQc(input: $input) {
    __typename
    ... on RecordQcSuccess { line { id itemSku itemName lotNumber expiry status quantity qcResult } putawayTaskId }
    ${USER_ERROR}
  }
}`;

export interface BinSuggestion {
  binCode: string;
  score: number;
  reasons: string[];
}

export interface PutawayPlan {
  __typename: 'PutawayPlan';
  taskId: string;
  taskState: string;
  itemSku: string;
  itemName: string;
  lotNumber: string | null;
  status: string;
  fromBinCode: string;
  quantity: number;
  putAway: number;
  remaining: number;
  suggestions: BinSuggestion[];
}

export const PUTAWAY_SUGGESTION = `
query PutawaySuggestion($taskId: ID!) {
  putawaySuggestion(taskId: $taskId) {
    __typename
    ... on PutawayPlan { taskId taskState itemSku itemName lotNumber status fromBinCode quantity putAway remaining
      suggestions { binCode score reasons } }
    ${USER_ERROR}
  }
}`;

export const SCAN_PUTAWAY = `
mutation ScanPutaway($input: ScanPutawayInput!) {
  scanPutaway(input: $input) {
    __typename
    ... on ScanPutawaySuccess { taskId binCode quantity overridden remaining taskDone suggestions { binCode score reasons } }
    ${USER_ERROR}
  }
}`;

export interface ScanPutawaySuccess {
  binCode: string;
  quantity: number;
  overridden: boolean;
  remaining: number;
  taskDone: boolean;
  suggestions: BinSuggestion[];
}

/** What a scanned article is: the item behind a GTIN, and how many base units one scan is. */
export const ITEM_BY_GTIN = `
query ItemByGtin($gtin: String!) { item(gtin: $gtin) { sku name tracking expiryTracked packagings { quantity gtin } } }`;

export interface ItemByGtin {
  item: { sku: string; name: string; tracking: string; expiryTracked: boolean; packagings: { quantity: number; gtin: string | null }[] } | null;
}

export const RESOLVE_GTIN = `
query ResolveGtin($code: String!) { resolveScan(code: $code) { __typename ... on ScanResolved { gtin } } }`;
