import { USER_ERROR } from '../desk-office/ops';

/** The site desk's operations (plain texts with their result types, like the office desk's). */

export interface SiteZone {
  id: string;
  code: string;
  name: string;
  kind: string;
  storageClass: string;
}

export interface SiteWarehouse {
  id: string;
  code: string;
  name: string;
  timezone: string;
  nAisles: number;
  cellsPerAisle: number;
  nBlocks: number;
  active: boolean;
  zones: SiteZone[];
}

export interface SiteBin {
  code: string;
  label: string;
  aisle: number | null;
  bay: number | null;
  level: number | null;
  active: boolean;
  blocked: boolean;
}

export interface PlannedBin {
  code: string;
  label: string;
  zoneCode: string;
  aisle: number;
  bay: number;
  level: number;
  side: string | null;
  xM: number;
  yM: number;
  pickFace: boolean;
}

export interface LayoutGeometry {
  nAisles: number;
  cellsPerAisle: number;
  nBlocks: number;
  aisleXM: number[];
  crossAisleYM: number[];
  depotXM: number;
  depotYM: number;
  widthM: number;
  lengthM: number;
}

export interface LayoutPreview {
  warehouseCode: string;
  binCount: number;
  existingCodes: string[];
  geometry: LayoutGeometry;
  bins: PlannedBin[];
}

const WAREHOUSE_FIELDS = 'id code name timezone nAisles cellsPerAisle nBlocks active zones { id code name kind storageClass }';
const GEOMETRY = 'nAisles cellsPerAisle nBlocks aisleXM crossAisleYM depotXM depotYM widthM lengthM';

export const SITE_WAREHOUSES = `query SiteWarehouses { warehouses { ${WAREHOUSE_FIELDS} } }`;

export const SITE_BINS = `
query SiteBins($warehouseId: ID, $after: String) {
  bins(first: 200, after: $after, warehouseId: $warehouseId) {
    edges { node { code label aisle bay level active blocked } }
    pageInfo { hasNextPage endCursor }
  }
}`;

/** Enough planned bins to draw every rack position of a large layout (the server's cap). */
export const PREVIEW_FIRST = 5000;

export const PREVIEW_LAYOUT = `
query SitePreviewLayout($input: LayoutInput!, $first: Int!) {
  previewLayout(input: $input, first: $first) {
    __typename
    ... on LayoutPreview { warehouseCode binCount existingCodes geometry { ${GEOMETRY} }
      bins { code label zoneCode aisle bay level side xM yM pickFace } }
    ${USER_ERROR}
  }
}`;

export const CREATE_WAREHOUSE = `
mutation SiteCreateWarehouse($input: WarehouseInput!) {
  createWarehouse(input: $input) { __typename ... on WarehouseSuccess { warehouse { ${WAREHOUSE_FIELDS} } } ${USER_ERROR} }
}`;

export const UPDATE_WAREHOUSE = `
mutation SiteUpdateWarehouse($input: WarehouseInput!) {
  updateWarehouse(input: $input) { __typename ... on WarehouseSuccess { warehouse { ${WAREHOUSE_FIELDS} } } ${USER_ERROR} }
}`;

export const SAVE_LAYOUT = `
mutation SiteSaveLayout($input: LayoutInput!) {
  saveLayout(input: $input) { __typename ... on SaveLayoutSuccess { created updated retired warehouse { ${WAREHOUSE_FIELDS} } } ${USER_ERROR} }
}`;

export const SAVE_ZONE = `
mutation SiteSaveZone($input: ZoneInput!) {
  saveZone(input: $input) { __typename ... on ZoneSuccess { zone { id code name kind storageClass } } ${USER_ERROR} }
}`;

export const SAVE_BIN = `
mutation SiteSaveBin($input: BinInput!) {
  saveBin(input: $input) { __typename ... on BinSuccess { bin { code label aisle bay level active blocked } } ${USER_ERROR} }
}`;

export const SET_BIN_ACTIVE = `
mutation SiteSetBinActive($input: SetBinActiveInput!) {
  setBinActive(input: $input) { __typename ... on BinSuccess { bin { code label aisle bay level active blocked } } ${USER_ERROR} }
}`;

export interface WarehouseSaved {
  warehouse: SiteWarehouse;
}
export interface LayoutSaved {
  created: number;
  updated: number;
  retired: number;
  warehouse: SiteWarehouse;
}
export interface ZoneSaved {
  zone: SiteZone;
}
export interface BinSaved {
  bin: SiteBin;
}
