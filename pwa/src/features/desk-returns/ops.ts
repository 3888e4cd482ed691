import { USER_ERROR } from '../desk-office/ops';

export interface ReturnableLine {
  sku: string;
  itemName: string;
  lotNumber: string | null;
  shipped: number;
  authorised: number;
  returnable: number;
  serials: string[];
}

export interface ReturnableShipment {
  shipmentId: string;
  trackingNumber: string;
  waybillNo: string;
  shippedAt: string;
  orderId: string;
  orderNumber: string;
  customerCode: string;
  lines: ReturnableLine[];
}

export type ReturnableData = { returnableShipments: ReturnableShipment[] };
export const RETURNABLE = `
query OfficeReturnableShipments($code: String!, $warehouseId: ID) {
  returnableShipments(code: $code, warehouseId: $warehouseId) {
    shipmentId trackingNumber waybillNo shippedAt orderId orderNumber customerCode
    lines { sku itemName lotNumber shipped authorised returnable serials }
  }
}`;

export interface ReturnLine {
  id: string;
  lineNo: number;
  sku: string;
  lotNumber: string | null;
  quantity: number;
  received: number;
  serials: string[];
}
export interface ReturnUnit {
  id: string;
  lineId: string;
  sku: string;
  lotNumber: string | null;
  serial: string | null;
  binCode: string;
  status: string;
  disposition: string | null;
  toBinCode: string | null;
  note: string;
}
export interface CustomerReturn {
  id: string;
  number: string;
  shipmentId: string;
  trackingNumber: string;
  orderId: string;
  orderNumber: string;
  customerCode: string;
  state: string;
  reason: string;
  creditReference: string | null;
  createdAt: string;
  lines: ReturnLine[];
  units: ReturnUnit[];
}

export const RETURN = `id number shipmentId trackingNumber orderId orderNumber customerCode state reason creditReference createdAt
  lines { id lineNo sku lotNumber quantity received serials }
  units { id lineId sku lotNumber serial binCode status disposition toBinCode note }`;

export type ReturnsData = { customerReturns: CustomerReturn[] };
export const RETURNS = `
query OfficeCustomerReturns($warehouseId: ID, $code: String) {
  customerReturns(warehouseId: $warehouseId, code: $code, first: 100) { ${RETURN} }
}`;

export type Authorised = { customerReturn: CustomerReturn };
export const AUTHORISE_RETURN = `
mutation OfficeAuthoriseReturn($input: AuthoriseReturnInput!) {
  authoriseReturn(input: $input) { __typename ... on CustomerReturnSuccess { customerReturn { ${RETURN} } } ${USER_ERROR} }
}`;
