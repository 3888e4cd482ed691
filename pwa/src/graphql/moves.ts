/** Internal moves and replenishment (schema.graphql: moveStock, completeReplenishment, resolveScan, item). */

const USER_ERROR = '... on UserError { code message field }';

export const MOVE_STOCK = `
mutation MoveStock($input: MoveStockInput!) {
  moveStock(input: $input) {
    __typename
    ... on MoveStockSuccess { fromBinCode toBinCode lines { itemSku lotNumber status quantity } reservedLeft }
    ${USER_ERROR}
  }
}`;

export interface MovedLine {
  itemSku: string;
  lotNumber: string | null;
  status: string;
  /** Null on a whole-bin or whole-item move for roles that may not read stock. */
  quantity: number | null;
}

export interface MoveStockSuccess {
  fromBinCode: string;
  toBinCode: string;
  lines: MovedLine[];
  reservedLeft: number | null;
}

export const COMPLETE_REPLENISHMENT = `
mutation CompleteReplenishment($input: CompleteReplenishmentInput!) {
  completeReplenishment(input: $input) {
    __typename
    ... on CompleteReplenishmentSuccess { taskId quantity }
    ${USER_ERROR}
  }
}`;

/** What a REPLENISH task asks for (schema.graphql: replenishTask). */
export const REPLENISH_TASK = `
query ReplenishTask($taskId: ID!) {
  replenishTask(taskId: $taskId) {
    itemSku itemName tracking toBinCode toBinLabel quantity
    sources { binCode binLabel lotNumber expiry quantity }
  }
}`;

export interface ReplenishDetails {
  itemSku: string;
  itemName: string;
  tracking: string;
  toBinCode: string;
  toBinLabel: string;
  quantity: number;
  sources: { binCode: string; binLabel: string; lotNumber: string | null; expiry: string | null; quantity: number }[];
}

export interface CompleteReplenishmentSuccess {
  taskId: string;
  quantity: number;
}

/** What a scanned code is: a bin (with its label) or an article (GTIN, lot). */
export const RESOLVE_CODE = `
query ResolveCode($code: String!) {
  resolveScan(code: $code) {
    __typename
    ... on ScanResolved { kind normalized label gtin lot }
    ${USER_ERROR}
  }
}`;

export type Resolved =
  | { __typename: 'ScanResolved'; kind: string; normalized: string; label: string; gtin: string | null; lot: string | null }
  | { __typename: string; code: string; message: string; field: string | null };

export const ITEM_LOOKUP = `
query ItemLookup($sku: String, $gtin: String) { item(sku: $sku, gtin: $gtin) { sku name tracking } }`;

export interface ItemLookup {
  item: { sku: string; name: string; tracking: string } | null;
}

/** Give a claimed task back to the pool (someone else, or a supervisor, takes it on). */
export const RELEASE_TASK = `
mutation ReleaseTask($input: TaskRefInput!) {
  releaseTask(input: $input) { __typename ... on TaskSuccess { task { id state } } ${USER_ERROR} }
}`;

export const CREATE_TRANSFER = `
mutation CreateTransfer($input: CreateTransferInput!) {
  createTransfer(input: $input) {
    __typename
    ... on TransferSuccess { transfer { id reference state fromWarehouseCode toWarehouseCode lines { itemSku lotNumber quantity fromBinCode } } }
    ${USER_ERROR}
  }
}`;

export interface TransferView {
  id: string;
  reference: string;
  state: string;
  fromWarehouseCode: string;
  toWarehouseCode: string;
  lines: { itemSku: string; lotNumber: string | null; quantity: number; fromBinCode: string }[];
}

export const RECEIVE_TRANSFER = `
mutation ReceiveTransfer($input: ReceiveTransferInput!) {
  receiveTransfer(input: $input) {
    __typename
    ... on TransferSuccess { transfer { id reference state fromWarehouseCode toWarehouseCode lines { itemSku lotNumber quantity fromBinCode } } }
    ${USER_ERROR}
  }
}`;

export const WAREHOUSES = `query Warehouses { warehouses { id code name } }`;

export interface WarehouseRef {
  id: string;
  code: string;
  name: string;
}
