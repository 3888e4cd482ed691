import { describe, expect, it } from 'vitest';
import { officeRoles, sectionsFor } from './access';

const ROLES = ['admin', 'supervisor', 'planner', 'viewer', 'receiver', 'picker', 'packer', 'shipper'];

describe('office desk access', () => {
  it('gives supervisors every section, planners their orders and count plans, readers the stock reports', () => {
    expect(sectionsFor(['supervisor'])).toEqual(['approvals', 'variances', 'plans', 'stock', 'alerts', 'audit', 'orders', 'reports']);
    expect(sectionsFor(['planner'])).toEqual(['plans', 'alerts', 'orders', 'reports']);
    expect(sectionsFor(['viewer'])).toEqual(['alerts', 'reports']);
  });

  it('keeps floor roles off the desk: they count blind and file no approvals', () => {
    expect(sectionsFor(['picker'])).toEqual([]);
    expect(officeRoles(ROLES).sort()).toEqual(['admin', 'planner', 'supervisor', 'viewer']);
  });
});
