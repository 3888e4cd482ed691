import { USER_ERROR, type Connection } from '../desk-office/ops';

/** Choices the server accepts (backend/catalog/checks.py, items.py). */
export const UNITS = ['EA', 'PCS', 'PR', 'SET', 'PK', 'BOX', 'KG', 'G', 'L', 'ML', 'M', 'CM'] as const;
export const LEVELS = ['INNER', 'CASE', 'PALLET'] as const;
export type Level = (typeof LEVELS)[number];
export const TRACKINGS = ['NONE', 'LOT', 'SERIAL'] as const;
export const STORAGE_CLASSES = ['AMBIENT', 'COLD', 'FROZEN', 'HAZARDOUS'] as const;
export const ABC = ['A', 'B', 'C'] as const;

export interface Packaging {
  level: string;
  quantity: number;
  gtin: string | null;
  lengthMm: number;
  widthMm: number;
  heightMm: number;
  weightG: number;
}

export interface Item {
  id: string;
  sku: string;
  name: string;
  specification: string;
  brand: string;
  category: string;
  baseUnit: string;
  tracking: string;
  expiryTracked: boolean;
  shelfLifeDays: number | null;
  minRemainingLifeDays: number | null;
  lengthMm: number;
  widthMm: number;
  heightMm: number;
  weightG: number;
  storageClass: string;
  abcClass: string;
  unitCostCents: number;
  active: boolean;
  retiredAt: string | null;
  gtins: string[];
  packagings: Packaging[];
}

export const ITEM_FIELDS = `id sku name specification brand category baseUnit tracking expiryTracked shelfLifeDays minRemainingLifeDays
  lengthMm widthMm heightMm weightG storageClass abcClass unitCostCents active retiredAt gtins
  packagings { level quantity gtin lengthMm widthMm heightMm weightG }`;

export type ItemsData = { items: Connection<Item> };
export const ITEMS = `
query DeskMasterItems($search: String, $after: String) {
  items(first: 50, after: $after, search: $search) { edges { node { ${ITEM_FIELDS} } } pageInfo { hasNextPage endCursor } }
}`;

export type ItemData = { item: Item | null };
export const ITEM_BY_GTIN = `query DeskMasterItemByGtin($gtin: String) { item(gtin: $gtin) { ${ITEM_FIELDS} } }`;
export const ITEM_BY_SKU = `query DeskMasterItemBySku($sku: String) { item(sku: $sku) { ${ITEM_FIELDS} } }`;

export type ItemSaved = { item: Item };
const itemMutation = (name: string, input: string) => `
mutation DeskMaster${name[0].toUpperCase()}${name.slice(1)}($input: ${input}!) {
  ${name}(input: $input) { __typename ... on ItemSuccess { item { ${ITEM_FIELDS} } } ${USER_ERROR} }
}`;
export const CREATE_ITEM = itemMutation('createItem', 'ItemInput');
export const UPDATE_ITEM = itemMutation('updateItem', 'ItemInput');
export const SET_ITEM_ACTIVE = itemMutation('setItemActive', 'SetItemActiveInput');

export type PartyKind = 'SUPPLIER' | 'CUSTOMER';

export interface Party {
  id: string;
  kind: string;
  code: string;
  name: string;
  active: boolean;
  contactName: string | null;
  email: string | null;
  phone: string | null;
  street: string | null;
  city: string | null;
  postcode: string | null;
  country: string | null;
  paymentTerms: string | null;
  rating: number | null;
  leadTimeDays: number | null;
  creditLimitCents: number | null;
  minShelfLifeDays: number | null;
  exposureCents: number | null;
}

const PARTY_FIELDS = `id kind code name active contactName email phone street city postcode country paymentTerms rating
  leadTimeDays creditLimitCents minShelfLifeDays exposureCents`;

export type SuppliersData = { suppliers: Connection<Party> };
export type CustomersData = { customers: Connection<Party> };
export const SUPPLIERS = `
query DeskMasterSuppliers($after: String) {
  suppliers(first: 200, after: $after) { edges { node { ${PARTY_FIELDS} } } pageInfo { hasNextPage endCursor } }
}`;
export const CUSTOMERS = `
query DeskMasterCustomers($after: String) {
  customers(first: 200, after: $after) { edges { node { ${PARTY_FIELDS} } } pageInfo { hasNextPage endCursor } }
}`;

export type PartySaved = { party: Party };
const partyMutation = (name: string, input: string) => `
mutation DeskMaster${name[0].toUpperCase()}${name.slice(1)}($input: ${input}!) {
  ${name}(input: $input) { __typename ... on PartySuccess { party { ${PARTY_FIELDS} } } ${USER_ERROR} }
}`;
export const CREATE_PARTY = partyMutation('createParty', 'PartyInput');
export const UPDATE_PARTY = partyMutation('updateParty', 'PartyInput');
export const SET_PARTY_ACTIVE = partyMutation('setPartyActive', 'SetPartyActiveInput');

export interface ImportKind {
  name: string;
  columns: string[];
  required: string[];
  example: string[];
  permission: string;
  templateCsvPath: string;
  templateXlsxPath: string;
  exportCsvPath: string;
  exportXlsxPath: string;
  importPath: string;
}
export type ImportKindsData = { importKinds: ImportKind[] };
export const IMPORT_KINDS = `query DeskMasterImportKinds { importKinds { name columns required example permission templateCsvPath templateXlsxPath exportCsvPath exportXlsxPath importPath } }`;
