/** The shipper's dock (schema.graphql: readyToShip, dockOrder, ship, printDocument). */

const USER_ERROR = '... on UserError { code message field }';

export interface DockCarton {
  id: string;
  cartonNo: number;
  sscc: string;
  weightGrams: number | null;
}

export interface PackedOrder {
  orderId: string;
  orderRef: string;
  packedAt: string | null;
  carrierCode: string | null;
  carrierName: string | null;
  cartons: DockCarton[];
}

const ORDER = 'orderId orderRef packedAt carrierCode carrierName cartons { id cartonNo sscc weightGrams }';

export const READY_TO_SHIP = `query ReadyToShip { readyToShip(first: 200) { edges { node { ${ORDER} } } } carriers(first: 50) { edges { node { code name } } } }`;

export interface ReadyToShip {
  readyToShip: { edges: { node: PackedOrder }[] };
  carriers: { edges: { node: { code: string; name: string } }[] };
}

export const DOCK_ORDER = `query DockOrder($code: String!) { dockOrder(code: $code) { __typename ... on PackedOrder { ${ORDER} } ${USER_ERROR} } }`;

export type DockOrderAnswer = { dockOrder: ({ __typename: 'PackedOrder' } & PackedOrder) | { __typename: string; code: string; message: string } };

export interface Shipment {
  id: string;
  carrierName: string;
  trackingNumber: string;
  labelsUrl: string;
  orderRefs: string[];
}

export const SHIP = `
mutation DockShip($input: ShipInput!) {
  ship(input: $input) { __typename ... on ShipSuccess { shipment { id carrierName trackingNumber labelsUrl orderRefs } } ${USER_ERROR} }
}`;

export const PRINT_LABELS = `
mutation DockPrint($input: PrintDocumentInput!) {
  printDocument(input: $input) { __typename ... on PrintJobSuccess { job { id printerName state } } ${USER_ERROR} }
}`;
