import { describe, expect, it } from 'vitest';
import { officeRoles, sectionsFor } from './access';

const ROLES = ['admin', 'supervisor', 'planner', 'viewer', 'receiver', 'picker', 'packer', 'shipper'];

describe('office desk access', () => {
  it('gives supervisors every section and planners their orders and count plans', () => {
    expect(sectionsFor(['supervisor'])).toEqual(['approvals', 'variances', 'plans', 'stock', 'alerts', 'audit', 'orders', 'items', 'parties', 'imports', 'setup']);
    expect(sectionsFor(['planner'])).toEqual(['plans', 'alerts', 'orders']);
    expect(sectionsFor(['viewer'])).toEqual(['alerts']);
  });

  it('keeps floor roles off the desk: they count blind and file no approvals', () => {
    expect(sectionsFor(['picker'])).toEqual([]);
    expect(officeRoles(ROLES).sort()).toEqual(['admin', 'planner', 'supervisor', 'viewer']);
  });
});
