import type { MessageKey } from '../i18n';
import type { Page } from '../router';
import { ANALYTICS_NEEDS, DESK_NEEDS, rolesWith } from '../features/desk/access';
import { officeRoles } from '../features/desk-office/access';

/** Menu entries for screens that are not tasks, by role. */
export interface NavEntry {
  page: Page;
  label: MessageKey;
  roles: string[];
}

export const NAV: NavEntry[] = [
  { page: 'receive', label: 'nav.receive', roles: ['receiver', 'supervisor', 'admin'] },
  { page: 'pack', label: 'nav.pack', roles: ['packer', 'shipper', 'supervisor', 'admin'] },
  { page: 'dock', label: 'nav.dock', roles: ['shipper', 'supervisor', 'admin'] },
  { page: 'move', label: 'nav.move', roles: ['picker', 'receiver', 'packer', 'shipper', 'supervisor', 'admin'] },
  // Everyone who may look stock up (stock.lookup); floor roles see no bin a count holds.
  { page: 'lookup', label: 'nav.lookup', roles: ['picker', 'receiver', 'packer', 'shipper', 'planner', 'viewer', 'supervisor', 'admin'] },
  { page: 'planner', label: 'nav.planner', roles: ['planner', 'supervisor', 'admin'] },
  { page: 'desk', label: 'nav.desk', roles: rolesWith(DESK_NEEDS) },
  { page: 'office', label: 'nav.office', roles: officeRoles(rolesWith([])) },
  { page: 'analytics', label: 'nav.analytics', roles: rolesWith(ANALYTICS_NEEDS) },
];

export function navFor(roles: readonly string[]): NavEntry[] {
  return NAV.filter((e) => e.roles.some((r) => roles.includes(r)));
}
