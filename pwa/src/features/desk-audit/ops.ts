import type { Connection } from '../desk-office/ops';

export interface AuditEntry {
  id: string;
  at: string;
  userId: string | null;
  deviceId: string | null;
  action: string;
  entity: string | null;
  entityId: string | null;
}

export type AuditData = { auditEntries: Connection<AuditEntry> };
export const AUDIT_ENTRIES = `
query OfficeAuditEntries($entity: String, $entityId: String, $after: String) {
  auditEntries(first: 100, after: $after, entity: $entity, entityId: $entityId) { edges { node { id at userId deviceId action entity entityId } } pageInfo { hasNextPage endCursor } }
}`;

/** Entities the server writes audit entries for (backend/schema: audit_entity=…). */
export const ENTITIES = [
  'adjustment', 'alert', 'alert_rule', 'bin', 'carton', 'count', 'count_plan', 'item', 'pack_session', 'print_job', 'purchase_order',
  'receipt', 'reservation', 'return_to_vendor', 'sales_order', 'shipment', 'task', 'transfer', 'user', 'wave',
] as const;
