import { can, type DeskPermission } from '../desk/access';

/**
 * The office desk's sections and the permissions each needs (the server's
 * table is mirrored in ../desk/access.ts and checked against it by its test).
 * A section is offered only to roles holding all of its needs; the server
 * still checks every request.
 */
export type OfficeSection = 'approvals' | 'inbox' | 'variances' | 'plans' | 'stock' | 'alerts' | 'audit' | 'orders' | 'returns' | 'reports' | 'items' | 'parties' | 'imports' | 'site' | 'setup' | 'users';

export const SECTION_NEEDS: Record<OfficeSection, readonly DeskPermission[]> = {
  approvals: ['inventory.approve'],
  // Everything waiting for a decision; the buttons each item offers come from the server.
  // (Second, so a supervisor's desk still opens on approvals as before.)
  inbox: ['stock.read'],
  variances: ['inventory.approve'],
  plans: ['task.manage'],
  stock: ['stock.read', 'stock.adjust'],
  alerts: ['stock.read'],
  audit: ['audit.read'],
  // The list is the planner's order pool (wave.plan); create and cancel need order.manage.
  orders: ['order.manage', 'wave.plan'],
  returns: ['order.manage'],
  reports: ['analytics.read', 'stock.read'],
  // Master data (features/desk-masterdata): reading is master.read, which every office role holds.
  items: ['master.write'],
  parties: ['master.write'],
  imports: ['master.write'],
  // Site setup: warehouses, layout, zones and bins; users and their badges.
  site: ['master.write'],
  // Carriers, cartons, printers, reason codes (features/desk-setup); its approval-rules part also needs purchase.approve.
  setup: ['master.write'],
  users: ['user.manage'],
};

export const SECTIONS = Object.keys(SECTION_NEEDS) as OfficeSection[];

export function sectionsFor(roles: readonly string[]): OfficeSection[] {
  return SECTIONS.filter((s) => SECTION_NEEDS[s].every((p) => can(roles, p)));
}

/** Roles that see at least one section: the menu entry is theirs. */
export function officeRoles(all: readonly string[]): string[] {
  return all.filter((r) => sectionsFor([r]).length > 0);
}
