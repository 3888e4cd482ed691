import { USER_ERROR, type Connection } from '../desk-office/ops';

export const ORDER_STATES = ['NEW', 'CREDIT_HOLD', 'RESERVED', 'PARTIALLY_RESERVED', 'BACKORDERED', 'RELEASED', 'PICKING', 'PICKED', 'PACKED', 'SHIPPED', 'CANCELLED'] as const;
/** Editable before release, while on no wave (backend EDITABLE_STATES). */
export const EDITABLE = ['NEW', 'CREDIT_HOLD', 'RESERVED', 'PARTIALLY_RESERVED', 'BACKORDERED'];
/** Cancellable until picked (backend CANCELLABLE_STATES). */
export const CANCELLABLE = ['NEW', 'CREDIT_HOLD', 'RESERVED', 'PARTIALLY_RESERVED', 'BACKORDERED', 'RELEASED', 'PICKING'];

export interface SalesOrderLine {
  lineNo: number;
  itemSku: string;
  itemName: string;
  quantity: number;
  reserved: number;
  picked: number;
  short: number;
  backordered: boolean;
  backorderedQuantity: number;
}

export interface SalesOrder {
  id: string;
  number: string;
  state: string;
  warehouseId: string;
  customerCode: string;
  carrierCode: string | null;
  service: string;
  channel: string;
  priority: number;
  cutoffAt: string | null;
  createdAt: string;
  waveId: string | null;
  shipTo: { name: string | null; city: string | null; country: string | null };
  lines: SalesOrderLine[];
  promisedDate: string | null;
  source: string;
  creditDecision: string | null;
  createdById: string | null;
  backorderedUnits: number;
}

const ORDER = 'id number state warehouseId customerCode carrierCode service channel priority cutoffAt createdAt waveId shipTo { name city country } lines { lineNo itemSku itemName quantity reserved picked short backordered backorderedQuantity } promisedDate source creditDecision createdById backorderedUnits';

export type OrdersData = { salesOrders: Connection<SalesOrder> };
export const SALES_ORDERS = `
query OfficeSalesOrders($states: [SalesOrderState!], $priority: Int, $channel: String, $customerCode: String, $promisedFrom: Date, $promisedTo: Date, $search: String, $warehouseId: ID, $after: String) {
  salesOrders(first: 100, after: $after, states: $states, priority: $priority, channel: $channel, customerCode: $customerCode, promisedFrom: $promisedFrom, promisedTo: $promisedTo, search: $search, warehouseId: $warehouseId) { edges { node { ${ORDER} } } pageInfo { hasNextPage endCursor } }
}`;

export type OrderUpdated = { order: SalesOrder };
export const UPDATE_SALES_ORDER = `
mutation OfficeUpdateSalesOrder($input: UpdateSalesOrderInput!) {
  updateSalesOrder(input: $input) { __typename ... on UpdateSalesOrderSuccess { order { ${ORDER} } } ${USER_ERROR} }
}`;

export type CreditDecided = { order: SalesOrder };
export const APPROVE_CREDIT_HOLD = `
mutation OfficeApproveCreditHold($input: CreditDecisionInput!) {
  approveCreditHold(input: $input) { __typename ... on CreditDecisionSuccess { order { ${ORDER} } } ${USER_ERROR} }
}`;
export const REJECT_CREDIT_HOLD = `
mutation OfficeRejectCreditHold($input: CreditDecisionInput!) {
  rejectCreditHold(input: $input) { __typename ... on CreditDecisionSuccess { order { ${ORDER} } } ${USER_ERROR} }
}`;

export type OrderData = { salesOrder: SalesOrder | null };
export const SALES_ORDER = `
query OfficeSalesOrder($number: String) { salesOrder(number: $number) { ${ORDER} } }`;

export type CustomersData = { customers: Connection<{ code: string; name: string }> };
export const CUSTOMERS = `query OfficeCustomers { customers(first: 200) { edges { node { code name } } pageInfo { hasNextPage endCursor } } }`;

export type OrderCreated = { order: SalesOrder };
export const CREATE_SALES_ORDER = `
mutation OfficeCreateSalesOrder($input: CreateSalesOrderInput!) {
  createSalesOrder(input: $input) { __typename ... on SalesOrderSuccess { order { ${ORDER} } } ${USER_ERROR} }
}`;

export type OrderCancelled = { order: SalesOrder; releasedUnits: number; unitsInTotes: number; putBackTaskIds: string[] };
export const CANCEL_SALES_ORDER = `
mutation OfficeCancelSalesOrder($input: CancelSalesOrderInput!) {
  cancelSalesOrder(input: $input) { __typename ... on CancelSalesOrderSuccess { order { ${ORDER} } releasedUnits unitsInTotes putBackTaskIds } ${USER_ERROR} }
}`;
