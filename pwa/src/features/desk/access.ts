/**
 * Which roles hold the permissions the desk and analytics screens need: the
 * server's table (backend/core/auth/permissions.py) for these permissions only.
 * It decides what is offered (menu entries, buttons); the server still checks
 * every request and answers PermissionDenied, which the screens show.
 */
export type DeskPermission =
  | 'task.read'
  | 'stock.read'
  | 'analytics.read'
  | 'purchase.approve'
  | 'purchase.manage'
  | 'master.write'
  | 'inventory.approve'
  | 'task.manage'
  | 'stock.adjust'
  | 'alert.manage'
  | 'audit.read'
  | 'order.manage'
  | 'wave.plan'
  | 'user.manage';

const READERS = ['viewer', 'planner', 'supervisor', 'admin'] as const;
const FLOOR = ['picker', 'receiver', 'packer', 'shipper'] as const;

export const GRANTS: Record<DeskPermission, readonly string[]> = {
  'task.read': [...READERS, ...FLOOR],
  // Floor roles count blind: no book quantities.
  'stock.read': READERS,
  'analytics.read': READERS,
  'purchase.approve': ['supervisor', 'admin'],
  'purchase.manage': ['supervisor', 'admin'],
  'master.write': ['supervisor', 'admin'],
  // The office desk (features/desk-*): approvals, counts, stock status, alerts, audit, orders.
  'inventory.approve': ['supervisor', 'admin'],
  'task.manage': ['planner', 'supervisor', 'admin'],
  'stock.adjust': ['supervisor', 'admin'],
  'alert.manage': ['supervisor', 'admin'],
  'audit.read': ['supervisor', 'admin'],
  'order.manage': ['planner', 'supervisor', 'admin'],
  'wave.plan': ['planner', 'supervisor', 'admin'],
  'user.manage': ['admin'],
};

export function can(roles: readonly string[], permission: DeskPermission): boolean {
  return roles.some((r) => GRANTS[permission].includes(r));
}

/** The desk reads POs and receipts (task.read), discrepancies (stock.read) and supplier figures (analytics.read). */
export const DESK_NEEDS: readonly DeskPermission[] = ['task.read', 'stock.read', 'analytics.read'];
export const ANALYTICS_NEEDS: readonly DeskPermission[] = ['analytics.read'];

/** Roles that hold every one of `needs`: the menu shows the page to them only. */
export function rolesWith(needs: readonly DeskPermission[]): string[] {
  const all = [...READERS, ...FLOOR];
  return all.filter((r) => needs.every((p) => GRANTS[p].includes(r)));
}
