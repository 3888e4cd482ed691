import { describe, expect, it } from 'vitest';
import { expectedOnCopy, receiveLocally, type ReceiptCopy } from './offlineReceive';

const copy: ReceiptCopy = {
  scanned: 'PO-1-X',
  items: [
    { sku: 'SKU-1', name: 'Juice', tracking: 'NONE', expiryTracked: false, gtins: ['04012345000016', '14012345000013'], packagings: [{ quantity: 6, gtin: '14012345000013' }] },
    { sku: 'SKU-2', name: 'Milk', tracking: 'LOT', expiryTracked: true, gtins: ['04012345000023'], packagings: [] },
  ],
  step: {
    receipt: {
      id: '9',
      state: 'OPEN',
      poCode: 'PO-1-X',
      poNumber: 'PO-1',
      dockBinCode: 'BIN-RCV',
      expected: [
        { itemSku: 'SKU-1', itemName: 'Juice', tracking: 'NONE', expiryTracked: false, ordered: 12, received: 0, remaining: 12 },
        { itemSku: 'SKU-2', itemName: 'Milk', tracking: 'LOT', expiryTracked: true, ordered: 2, received: 0, remaining: 2 },
      ],
      lines: [],
    },
    next: { action: 'SCAN_ITEM', message: '', itemSku: 'SKU-1' },
  },
};

describe('offline receiving against the kept receipt', () => {
  it('counts a case GTIN in its units and moves the next line on', () => {
    expect(expectedOnCopy(copy, '14012345000013')).toBe(2);
    const r = receiveLocally(copy, { code: '14012345000013', quantity: 2 }, 'k1');
    if (!r.ok) throw new Error(r.code);
    expect(r.quantity).toBe(12);
    expect(r.copy.step.receipt.expected[0]).toMatchObject({ received: 12, remaining: 0 });
    expect(r.copy.step.next).toMatchObject({ action: 'SCAN_ITEM', itemSku: 'SKU-2' });
    expect(r.copy.step.receipt.lines).toHaveLength(1);
  });

  it('says "not on this order" for an item that is not, and asks lot and expiry as the server would', () => {
    expect(receiveLocally(copy, { code: '04099999000012' }, 'k')).toEqual({ ok: false, code: 'NOT_ON_ORDER' });
    expect(receiveLocally(copy, { code: 'SKU-7' }, 'k')).toEqual({ ok: false, code: 'NOT_ON_ORDER' });
    expect(receiveLocally(copy, { code: 'SKU-2' }, 'k')).toEqual({ ok: false, code: 'LOT_REQUIRED' });
    expect(receiveLocally(copy, { code: 'SKU-2', lotNumber: 'L1' }, 'k')).toEqual({ ok: false, code: 'EXPIRY_REQUIRED' });
    const done = receiveLocally(copy, { code: 'SKU-2', lotNumber: 'L1', expiry: '2027-01-31', quantity: 2 }, 'k');
    expect(done).toMatchObject({ ok: true, quantity: 2 });
  });
});
