import { USER_ERROR, type Connection } from '../desk-office/ops';

export const ORDER_STATES = ['NEW', 'RESERVED', 'PARTIALLY_RESERVED', 'BACKORDERED', 'RELEASED', 'PICKING', 'PICKED', 'PACKED', 'SHIPPED', 'CANCELLED'] as const;
/** Cancellable until picked (backend CANCELLABLE_STATES). */
export const CANCELLABLE = ['NEW', 'RESERVED', 'PARTIALLY_RESERVED', 'BACKORDERED', 'RELEASED', 'PICKING'];

export interface SalesOrderLine {
  lineNo: number;
  itemSku: string;
  itemName: string;
  quantity: number;
  reserved: number;
  picked: number;
  short: number;
  backordered: boolean;
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
}

const ORDER = 'id number state warehouseId customerCode carrierCode service channel priority cutoffAt createdAt waveId shipTo { name city country } lines { lineNo itemSku itemName quantity reserved picked short backordered }';

/** Orders not yet on a wave (NEW, reserved, partly reserved): the only list the API has. */
export type PoolData = { orderPool: Connection<SalesOrder> };
export const ORDER_POOL = `
query OfficeOrderPool($priority: Int, $channel: String, $warehouseId: ID, $after: String) {
  orderPool(first: 100, after: $after, priority: $priority, channel: $channel, warehouseId: $warehouseId, includeUnreserved: true) { edges { node { ${ORDER} } } pageInfo { hasNextPage endCursor } }
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
