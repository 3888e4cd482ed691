import { ACTIONS, KINDS, type DeskException, type ExceptionKind } from './ops';

/** The audit entity whose entries are an item's history (kinds whose id names no audited entity have none). */
const AUDIT_ENTITY: Partial<Record<ExceptionKind, string>> = {
  ADJUSTMENT: 'adjustment',
  COUNT_VARIANCE: 'count',
  BACKORDER: 'sales_order',
  CREDIT_HOLD: 'sales_order',
  COUNT_OVERDUE: 'count',
  PRINT_FAILED: 'print_job',
};

export function historyOf(item: Pick<DeskException, 'kind' | 'id'>): { entity: string; entityId: string } | null {
  const entity = AUDIT_ENTITY[item.kind];
  return entity ? { entity, entityId: item.id } : null;
}

/** Actions done elsewhere (QC on the handheld, stock changes in Stock status): named, not buttons. */
export function splitActions(item: Pick<DeskException, 'actions'>): { here: string[]; elsewhere: string[] } {
  const here = item.actions.filter((a) => a in ACTIONS);
  return { here, elsewhere: item.actions.filter((a) => !(a in ACTIONS)) };
}

/** Buttons that settle the item the way it asked (approve, accept, retry) lead; the rest follow. */
export function isPrimary(action: string): boolean {
  return /^(approve|retry|unblock)/.test(action);
}

/** Every kind with its count (zero when the server left it out), in the menu's order. */
export function kindCounts(counts: readonly { kind: ExceptionKind; count: number }[]): { kind: ExceptionKind; count: number }[] {
  const by = new Map(counts.map((c) => [c.kind, c.count]));
  return KINDS.map((kind) => ({ kind, count: by.get(kind) ?? 0 }));
}

/** The key of an item across kinds (ids are per entity). */
export const itemKey = (i: Pick<DeskException, 'kind' | 'id'>) => `${i.kind}:${i.id}`;
