import { can, type DeskPermission } from '../desk/access';

/**
 * The office desk's sections and the permissions each needs (the server's
 * table is mirrored in ../desk/access.ts and checked against it by its test).
 * A section is offered only to roles holding all of its needs; the server
 * still checks every request.
 */
export type OfficeSection = 'approvals' | 'variances' | 'plans' | 'stock' | 'alerts' | 'audit' | 'orders' | 'items' | 'parties' | 'imports' | 'setup';

export const SECTION_NEEDS: Record<OfficeSection, readonly DeskPermission[]> = {
  approvals: ['inventory.approve'],
  variances: ['inventory.approve'],
  plans: ['task.manage'],
  stock: ['stock.read', 'stock.adjust'],
  alerts: ['stock.read'],
  audit: ['audit.read'],
  // The list is the planner's order pool (wave.plan); create and cancel need order.manage.
  orders: ['order.manage', 'wave.plan'],
  // Master data (features/desk-masterdata): reading is master.read, which every office role holds.
  items: ['master.write'],
  parties: ['master.write'],
  imports: ['master.write'],
  // Carriers, cartons, printers, reason codes (features/desk-setup); its approval-rules part also needs purchase.approve.
  setup: ['master.write'],
};

export const SECTIONS = Object.keys(SECTION_NEEDS) as OfficeSection[];

export function sectionsFor(roles: readonly string[]): OfficeSection[] {
  return SECTIONS.filter((s) => SECTION_NEEDS[s].every((p) => can(roles, p)));
}

/** Roles that see at least one section: the menu entry is theirs. */
export function officeRoles(all: readonly string[]): string[] {
  return all.filter((r) => sectionsFor([r]).length > 0);
}
