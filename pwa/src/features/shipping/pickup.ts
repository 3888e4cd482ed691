import type { PackedOrder } from './api';

/**
 * One carrier pickup being loaded at the dock: the packed orders scanned onto
 * it and which of their cartons' SSCC labels were scanned. Pure, so the rules
 * are tested without a screen.
 */
export interface Pickup {
  carrierCode: string | null;
  orders: PackedOrder[];
  /** SSCCs scanned at the dock (a carton's label). */
  loaded: string[];
}

export const EMPTY_PICKUP: Pickup = { carrierCode: null, orders: [], loaded: [] };

export type AddResult =
  | { ok: true; pickup: Pickup; again: boolean }
  | { ok: false; reason: 'otherCarrier'; carrier: string };

/** The SSCC a scan names, if it is a carton label: (00) + 18 digits, with or without the AI. */
export function ssccOf(code: string): string | null {
  const digits = code.replace(/^\][A-Za-z]\d/, '').replace(/[()\s\u001d]/g, '');
  if (/^00\d{18}$/.test(digits)) return digits.slice(2);
  if (/^\d{18}$/.test(digits)) return digits;
  return null;
}

/**
 * Add a scanned order to the pickup. A pickup is one carrier's: an order of
 * another carrier is refused (ship this pickup first). An order without a
 * carrier goes with the pickup's (the shipper chose it).
 */
export function addToPickup(pickup: Pickup, order: PackedOrder, scannedSscc: string | null): AddResult {
  if (pickup.orders.length > 0 && order.carrierCode && pickup.carrierCode && order.carrierCode !== pickup.carrierCode) {
    return { ok: false, reason: 'otherCarrier', carrier: order.carrierName ?? order.carrierCode };
  }
  const has = pickup.orders.some((o) => o.orderId === order.orderId);
  const alreadyLoaded = scannedSscc != null && pickup.loaded.includes(scannedSscc);
  return {
    ok: true,
    again: has && (scannedSscc == null || alreadyLoaded),
    pickup: {
      carrierCode: pickup.carrierCode ?? order.carrierCode,
      orders: has ? pickup.orders : [...pickup.orders, order],
      loaded: scannedSscc && !alreadyLoaded ? [...pickup.loaded, scannedSscc] : pickup.loaded,
    },
  };
}

export function cartonCounts(pickup: Pickup): { loaded: number; total: number } {
  const all = pickup.orders.flatMap((o) => o.cartons.map((c) => c.sscc));
  return { loaded: all.filter((s) => pickup.loaded.includes(s)).length, total: all.length };
}

/** The ready list by carrier (orders without one last), for one pickup per carrier. */
export function byCarrier(orders: PackedOrder[]): { code: string | null; name: string; orders: PackedOrder[] }[] {
  const groups = new Map<string | null, { code: string | null; name: string; orders: PackedOrder[] }>();
  for (const o of orders) {
    const g = groups.get(o.carrierCode) ?? { code: o.carrierCode, name: o.carrierName ?? '', orders: [] };
    g.orders.push(o);
    groups.set(o.carrierCode, g);
  }
  return [...groups.values()].sort((a, b) => (a.code == null ? 1 : b.code == null ? -1 : a.name.localeCompare(b.name)));
}
