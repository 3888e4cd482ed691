import { describe, expect, it } from 'vitest';
import { byUrgency, editDraftOf, editInput, matches, merged, orderInput, orderUnits, type OrderDraft } from './logic';
import type { SalesOrder } from './ops';

const draft: OrderDraft = { number: ' SO-9 ', customerCode: 'CUST-1', channel: 'web', priority: '3', cutoff: '', carrierCode: '', lines: [{ sku: 'A', quantity: '2' }, { sku: '', quantity: '' }, { sku: 'A', quantity: '1' }, { sku: 'B', quantity: '5' }] };

const order = (id: string, priority: number, cutoffAt: string | null, createdAt = '2026-01-01'): SalesOrder => ({
  id, number: `SO-${id}`, state: 'RESERVED', warehouseId: '1', customerCode: 'C', carrierCode: null, service: '', channel: 'DEFAULT', priority, cutoffAt, createdAt, waveId: null,
  shipTo: { name: null, city: null, country: null }, lines: [{ lineNo: 1, itemSku: 'A', itemName: 'a', quantity: 4, reserved: 3, picked: 0, short: 0, backordered: false, backorderedQuantity: 0 }],
  promisedDate: null, source: 'DESK', creditDecision: null, createdById: null, backorderedUnits: 0,
});

describe('sales order form', () => {
  it('builds the input, adding up lines of one item and skipping empty rows', () => {
    expect(orderInput(draft, '1')).toEqual({
      ok: true,
      input: { number: 'SO-9', customerCode: 'CUST-1', channel: 'WEB', priority: 3, cutoffAt: null, carrierCode: null, warehouseId: '1', lines: [{ itemSku: 'A', quantity: 3 }, { itemSku: 'B', quantity: 5 }] },
    });
  });
  it('names the wrong field', () => {
    expect(orderInput({ ...draft, number: '' }, null)).toEqual({ ok: false, field: 'number' });
    expect(orderInput({ ...draft, priority: '0' }, null)).toEqual({ ok: false, field: 'priority' });
    expect(orderInput({ ...draft, lines: [{ sku: 'A', quantity: '-1' }] }, null)).toEqual({ ok: false, field: 'lines' });
    expect(orderInput({ ...draft, lines: [] }, null)).toEqual({ ok: false, field: 'lines' });
    expect(orderInput({ ...draft, cutoff: 'soon' }, null)).toEqual({ ok: false, field: 'cutoff' });
  });
});

describe('order list', () => {
  it('sorts by priority, then cut-off, then age; merges what the desk saw', () => {
    const list = [order('1', 5, null), order('2', 1, '2026-02-02T10:00:00Z'), order('3', 1, '2026-02-01T10:00:00Z')];
    expect(byUrgency(list).map((o) => o.id)).toEqual(['3', '2', '1']);
    const cancelled = { ...order('1', 5, null), state: 'CANCELLED' };
    expect(merged(list, [cancelled]).find((o) => o.id === '1')?.state).toBe('CANCELLED');
    expect(orderUnits(list[0])).toEqual({ ordered: 4, reserved: 3 });
  });
});

describe('order edit', () => {
  it('starts from the order and sends every line, the promised date or its clearing', () => {
    const o = { ...order('7', 4, null), promisedDate: '2027-01-02' };
    const d = editDraftOf(o);
    expect(d).toEqual({ priority: '4', promised: '2027-01-02', city: '', lines: [{ sku: 'A', quantity: '4' }] });
    expect(editInput('7', { ...d, lines: [...d.lines, { sku: 'B', quantity: '2' }] })).toEqual({
      ok: true,
      input: { orderId: '7', priority: 4, lines: [{ itemSku: 'A', quantity: 4 }, { itemSku: 'B', quantity: 2 }], promisedDate: '2027-01-02' },
    });
    expect(editInput('7', { ...d, promised: '' })).toMatchObject({ ok: true, input: { clearPromisedDate: true } });
    expect(editInput('7', { ...d, promised: '2.1.2027' })).toEqual({ ok: false, field: 'promised' });
    expect(editInput('7', { ...d, priority: '10' })).toEqual({ ok: false, field: 'priority' });
    expect(editInput('7', { ...d, lines: [] })).toEqual({ ok: false, field: 'lines' });
  });
});

describe('list filters on orders the desk changed', () => {
  const none = { state: '', priority: '', channel: '', customer: '', promisedFrom: '', promisedTo: '', search: '' };
  it('keeps an order while it matches', () => {
    const o = { ...order('8', 2, null), channel: 'WEB', promisedDate: '2031-06-15' };
    expect(matches(o, none)).toBe(true);
    expect(matches(o, { ...none, search: 'so-8', channel: 'web', priority: '2' })).toBe(true);
    expect(matches(o, { ...none, promisedFrom: '2031-07-01' })).toBe(false);
    expect(matches(o, { ...none, promisedFrom: '2031-06-01', promisedTo: '2031-06-30' })).toBe(true);
    expect(matches(o, { ...none, state: 'CREDIT_HOLD' })).toBe(false);
    expect(matches({ ...o, promisedDate: null }, { ...none, promisedTo: '2031-01-01' })).toBe(false);
  });
});
