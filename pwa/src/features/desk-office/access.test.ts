import { describe, expect, it } from 'vitest';
import { officeRoles, sectionsFor } from './access';

const ROLES = ['admin', 'supervisor', 'planner', 'viewer', 'receiver', 'picker', 'packer', 'shipper'];

describe('office desk access', () => {
  it('gives supervisors every section, planners their orders and count plans, readers the stock reports', () => {
    expect(sectionsFor(['supervisor'])).toEqual(['approvals', 'inbox', 'variances', 'plans', 'stock', 'alerts', 'audit', 'orders', 'returns', 'reports', 'items', 'parties', 'imports', 'site', 'setup']);
    expect(sectionsFor(['planner'])).toEqual(['inbox', 'plans', 'alerts', 'orders', 'returns', 'reports']);
    expect(sectionsFor(['viewer'])).toEqual(['inbox', 'alerts', 'reports']);
    expect(sectionsFor(['admin'])).toContain('users');
  });

  it('keeps floor roles off the desk: they count blind and file no approvals', () => {
    expect(sectionsFor(['picker'])).toEqual([]);
    expect(officeRoles(ROLES).sort()).toEqual(['admin', 'planner', 'supervisor', 'viewer']);
  });
});
