import { can, type DeskPermission } from '../desk/access';

/**
 * The office desk's sections and the permissions each needs (the server's
 * table is mirrored in ../desk/access.ts and checked against it by its test).
 * A section is offered only to roles holding all of its needs; the server
 * still checks every request.
 */
export type OfficeSection = 'approvals' | 'variances' | 'plans' | 'stock' | 'alerts' | 'audit' | 'orders' | 'reports';

export const SECTION_NEEDS: Record<OfficeSection, readonly DeskPermission[]> = {
  approvals: ['inventory.approve'],
  variances: ['inventory.approve'],
  plans: ['task.manage'],
  stock: ['stock.read', 'stock.adjust'],
  alerts: ['stock.read'],
  audit: ['audit.read'],
  // The list is the planner's order pool (wave.plan); create and cancel need order.manage.
  orders: ['order.manage', 'wave.plan'],
  reports: ['analytics.read', 'stock.read'],
};

export const SECTIONS = Object.keys(SECTION_NEEDS) as OfficeSection[];

export function sectionsFor(roles: readonly string[]): OfficeSection[] {
  return SECTIONS.filter((s) => SECTION_NEEDS[s].every((p) => can(roles, p)));
}

/** Roles that see at least one section: the menu entry is theirs. */
export function officeRoles(all: readonly string[]): string[] {
  return all.filter((r) => sectionsFor([r]).length > 0);
}
