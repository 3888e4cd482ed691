/** Packing and shipping operations (schema.graphql: startPacking, packScan, closeCarton, ship). */

const USER_ERROR = '... on UserError { code message field }';

export interface PackLine {
  id: string;
  sku: string;
  description: string;
  gtin: string;
  lot: string | null;
  expected: number;
  packed: number;
  short: number;
  missing: number;
}

export interface Carton {
  id: string;
  cartonNo: number;
  state: string;
  sscc: string | null;
  cartonType: string | null;
  weightGrams: number | null;
  labelUrl: string | null;
}

export interface PackSession {
  id: string;
  orderId: string;
  orderRef: string;
  state: string;
  complete: boolean;
  missingUnits: number;
  lines: PackLine[];
  cartons: Carton[];
  suggestedCartonType: string | null;
}

const SESSION = `id orderId orderRef state complete missingUnits suggestedCartonType
  lines { id sku description gtin lot expected packed short missing }
  cartons { id cartonNo state sscc cartonType weightGrams labelUrl }`;

export const START_PACKING = `
mutation StartPacking($input: StartPackingInput!) {
  startPacking(input: $input) { __typename ... on PackSessionSuccess { session { ${SESSION} } } ${USER_ERROR} }
}`;

export const PACK_SCAN = `
mutation PackScan($input: PackScanInput!) {
  packScan(input: $input) { __typename ... on PackScanSuccess { session { ${SESSION} } sku quantity cartonNo } ${USER_ERROR} }
}`;

export const CLOSE_CARTON = `
mutation CloseCarton($input: CloseCartonInput!) {
  closeCarton(input: $input) { __typename ... on CloseCartonSuccess { session { ${SESSION} } carton { id cartonNo sscc labelUrl } orderPacked } ${USER_ERROR} }
}`;

export interface Shipment {
  id: string;
  carrierName: string;
  trackingNumber: string;
  labelsUrl: string;
}

export const SHIP = `
mutation Ship($input: ShipInput!) {
  ship(input: $input) { __typename ... on ShipSuccess { shipment { id carrierName trackingNumber labelsUrl } } ${USER_ERROR} }
}`;

export const ORDER_CARRIER = `query OrderCarrier($id: ID!) { salesOrder(id: $id) { id carrierCode } carriers(first: 50) { edges { node { code name } } } }`;

export interface OrderCarrier {
  salesOrder: { id: string; carrierCode: string | null } | null;
  carriers: { edges: { node: { code: string; name: string } }[] };
}
