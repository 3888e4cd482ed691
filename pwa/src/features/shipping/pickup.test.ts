import { describe, expect, it } from 'vitest';
import type { PackedOrder } from './api';
import { EMPTY_PICKUP, addToPickup, byCarrier, cartonCounts, ssccOf } from './pickup';

const order = (id: string, carrier: string | null, ssccs: string[]): PackedOrder => ({
  orderId: id,
  orderRef: `SO-${id}`,
  packedAt: null,
  carrierCode: carrier,
  carrierName: carrier ? `${carrier} Express` : null,
  cartons: ssccs.map((sscc, i) => ({ id: `${id}${i}`, cartonNo: i + 1, sscc, weightGrams: null })),
});

describe('ssccOf', () => {
  it('reads a GS1-128 carton label with or without brackets and symbology prefix', () => {
    expect(ssccOf('(00)106141410000000017')).toBe('106141410000000017');
    expect(ssccOf('00106141410000000017')).toBe('106141410000000017');
    expect(ssccOf(']C100106141410000000017')).toBe('106141410000000017');
    expect(ssccOf('106141410000000017')).toBe('106141410000000017');
  });
  it('is not fooled by an order number or a GTIN', () => {
    expect(ssccOf('SO-1001')).toBeNull();
    expect(ssccOf('04006381333931')).toBeNull();
  });
});

describe('addToPickup', () => {
  it('takes the first order’s carrier and counts scanned cartons', () => {
    const a = order('1', 'DHL', ['111111111111111111', '222222222222222222']);
    const r = addToPickup(EMPTY_PICKUP, a, '111111111111111111');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.pickup.carrierCode).toBe('DHL');
    expect(cartonCounts(r.pickup)).toEqual({ loaded: 1, total: 2 });
    const again = addToPickup(r.pickup, a, '111111111111111111');
    expect(again.ok && again.again).toBe(true);
    const second = addToPickup(r.pickup, a, '222222222222222222');
    expect(second.ok && second.again).toBe(false);
    if (second.ok) expect(cartonCounts(second.pickup)).toEqual({ loaded: 2, total: 2 });
  });
  it('refuses another carrier’s order on the same pickup', () => {
    const r = addToPickup(EMPTY_PICKUP, order('1', 'DHL', ['1'.repeat(18)]), null);
    if (!r.ok) throw new Error('first add refused');
    const other = addToPickup(r.pickup, order('2', 'UPS', ['2'.repeat(18)]), null);
    expect(other).toEqual({ ok: false, reason: 'otherCarrier', carrier: 'UPS Express' });
  });
  it('lets an order without a carrier go with the pickup’s', () => {
    const r = addToPickup(EMPTY_PICKUP, order('1', 'DHL', []), null);
    if (!r.ok) throw new Error('first add refused');
    const none = addToPickup(r.pickup, order('2', null, []), null);
    expect(none.ok && none.pickup.orders.length).toBe(2);
  });
});

describe('byCarrier', () => {
  it('groups the ready list per carrier, orders without one last', () => {
    const groups = byCarrier([order('1', null, []), order('2', 'UPS', []), order('3', 'DHL', []), order('4', 'UPS', [])]);
    expect(groups.map((g) => [g.code, g.orders.length])).toEqual([
      ['DHL', 1],
      ['UPS', 2],
      [null, 1],
    ]);
  });
});
