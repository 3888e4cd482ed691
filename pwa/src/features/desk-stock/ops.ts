import { USER_ERROR, type Connection } from '../desk-office/ops';

export const STATUSES = ['AVAILABLE', 'QUARANTINE', 'DAMAGED', 'BLOCKED', 'REWORK'] as const;

export interface StockQuant {
  id: string;
  status: string;
  onHand: number;
  reserved: number;
  available: number;
  item: { sku: string; name: string };
  bin: { code: string; blocked: boolean };
  lot: { lotNumber: string; expiry: string | null } | null;
}

export type StockData = { stock: Connection<StockQuant> };
export const STOCK = `
query OfficeStock($itemSku: String, $binCode: String, $lotNumber: String, $status: String, $warehouseId: ID, $after: String) {
  stock(first: 100, after: $after, itemSku: $itemSku, binCode: $binCode, lotNumber: $lotNumber, status: $status, warehouseId: $warehouseId) {
    edges { node { id status onHand reserved available item { sku name } bin { code blocked } lot { lotNumber expiry } } }
    pageInfo { hasNextPage endCursor }
  }
}`;

export interface BinFacts {
  code: string;
  label: string;
  blocked: boolean;
  needsCount: boolean;
  storageClass: string;
  zone: { code: string } | null;
}
export type BinData = { bin: BinFacts | null };
export const BIN = `
query OfficeBin($code: String!) { bin(code: $code) { code label blocked needsCount storageClass zone { code } } }`;

export type StatusChanged = { lines: { binCode: string; itemSku: string; lotNumber: string | null; status: string; quantity: number }[]; reservedLeft: number };
export const CHANGE_STATUS = `
mutation OfficeChangeStockStatus($input: ChangeStockStatusInput!) {
  changeStockStatus(input: $input) { __typename ... on StatusChangeSuccess { lines { binCode itemSku lotNumber status quantity } reservedLeft } ${USER_ERROR} }
}`;

export type BinBlocked = { binCode: string; blocked: boolean; unitsChanged: number };
export const BLOCK_BIN = `
mutation OfficeBlockBin($input: BlockBinInput!) {
  blockBin(input: $input) { __typename ... on BinBlockSuccess { binCode blocked unitsChanged } ${USER_ERROR} }
}`;
export const UNBLOCK_BIN = `
mutation OfficeUnblockBin($input: UnblockBinInput!) {
  unblockBin(input: $input) { __typename ... on BinBlockSuccess { binCode blocked unitsChanged } ${USER_ERROR} }
}`;

/** Stock sent to rework or scrap; PENDING waits for a second person (a costly one). */
export interface Disposition {
  id: string;
  kind: 'REWORK' | 'SCRAP';
  binCode: string;
  itemSku: string;
  lotNumber: string | null;
  status: string;
  quantity: number;
  reason: string;
  valueCents: number;
  state: string;
  requestedBy: string;
  decidedBy: string | null;
  moveId: string | null;
  createdAt: string;
}
const DISPOSITION = 'id kind binCode itemSku lotNumber status quantity reason valueCents state requestedBy decidedBy moveId createdAt';
export type DispositionsData = { dispositions: Connection<Disposition> };
export const DISPOSITIONS = `
query OfficeDispositions($state: String, $warehouseId: ID, $after: String) {
  dispositions(first: 50, after: $after, state: $state, warehouseId: $warehouseId) { edges { node { ${DISPOSITION} } } pageInfo { hasNextPage endCursor } }
}`;
export type DispositionDone = { disposition: Disposition };
export const CREATE_DISPOSITION = `
mutation OfficeCreateDisposition($input: CreateDispositionInput!) {
  createDisposition(input: $input) { __typename ... on DispositionSuccess { disposition { ${DISPOSITION} } } ${USER_ERROR} }
}`;
export const APPROVE_DISPOSITION = `
mutation OfficeApproveDisposition($input: DispositionDecisionInput!) {
  approveDisposition(input: $input) { __typename ... on DispositionSuccess { disposition { ${DISPOSITION} } } ${USER_ERROR} }
}`;
export const REJECT_DISPOSITION = `
mutation OfficeRejectDisposition($input: DispositionDecisionInput!) {
  rejectDisposition(input: $input) { __typename ... on DispositionSuccess { disposition { ${DISPOSITION} } } ${USER_ERROR} }
}`;
