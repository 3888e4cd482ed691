import type { Connection } from '../desk-office/ops';

export interface AuditEntry {
  id: string;
  at: string;
  userId: string | null;
  /** The user's display name (null for system work). */
  userName: string | null;
  deviceId: string | null;
  action: string;
  entity: string | null;
  entityId: string | null;
}

export type AuditData = { auditEntries: Connection<AuditEntry> };
export const AUDIT_ENTRIES = `
query OfficeAuditEntries($entity: String, $entityId: String, $username: String, $deviceId: String, $action: String, $since: DateTime, $until: DateTime, $after: String) {
  auditEntries(first: 100, after: $after, entity: $entity, entityId: $entityId, username: $username, deviceId: $deviceId, action: $action, since: $since, until: $until) {
    edges { node { id at userId userName deviceId action entity entityId } } pageInfo { hasNextPage endCursor }
  }
}`;

/** The filters of one search, as the form holds them (times as datetime-local text). */
export interface AuditFilters {
  entity: string;
  entityId: string;
  username: string;
  deviceId: string;
  action: string;
  since: string;
  until: string;
}
export const NO_FILTERS: AuditFilters = { entity: '', entityId: '', username: '', deviceId: '', action: '', since: '', until: '' };

/** The query's variables: empty fields left out, local times sent as UTC instants. */
export function auditVariables(f: AuditFilters): Record<string, string | null> {
  const text = (v: string) => v.trim() || null;
  const instant = (v: string) => (v ? new Date(v).toISOString() : null);
  return {
    entity: text(f.entity),
    entityId: text(f.entityId),
    username: text(f.username),
    deviceId: text(f.deviceId),
    action: text(f.action),
    since: instant(f.since),
    until: instant(f.until),
  };
}

/** Entities the server writes audit entries for (backend/schema: audit_entity=…). */
export const ENTITIES = [
  'adjustment', 'alert', 'alert_rule', 'bin', 'carton', 'count', 'count_plan', 'item', 'pack_session', 'print_job', 'purchase_order',
  'receipt', 'reservation', 'return_to_vendor', 'sales_order', 'shipment', 'task', 'transfer', 'user', 'wave',
] as const;
