/**
 * Names the inbound desk's screens share for their generated types (the
 * operations are in operations.graphql beside this file).
 */
import type {
  DeskDiscrepanciesQuery,
  DeskPoFieldsFragment,
  DeskPurchaseOrdersQuery,
  DeskReceiptFieldsFragment,
  DeskSupplierPerformanceQuery,
  DeskWarehousesQuery,
  SerialTraceQuery,
} from '../../graphql/generated/graphql';

/** A purchase order with its lines and approval trail (fragment DeskPoFields). */
export type DeskPo = DeskPoFieldsFragment;
export type PoLine = DeskPo['lines'][number];
/** A receipt as the desk shows it (fragment DeskReceiptFields). */
export type DeskReceipt = DeskReceiptFieldsFragment;
export type PageInfo = DeskPurchaseOrdersQuery['purchaseOrders']['pageInfo'];
export type Discrepancy = DeskDiscrepanciesQuery['receivingDiscrepancies'][number];
export type SupplierPerformance = DeskSupplierPerformanceQuery['supplierPerformance'][number];
export type SerialTrace = NonNullable<SerialTraceQuery['serialNumber']>;
export type DeskWarehouse = DeskWarehousesQuery['warehouses'][number];
