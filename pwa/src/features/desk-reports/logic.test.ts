import { describe, expect, it } from 'vitest';
import { bucketLabel, lotTraceCsv, parseEdges, stackParts } from './logic';

describe('stock report helpers', () => {
  it('labels buckets by their days', () => {
    expect(bucketLabel({ fromDays: 0, toDays: 30 })).toBe('0–30');
    expect(bucketLabel({ fromDays: 366, toDays: null })).toBe('> 365');
  });

  it('reads bucket edges only when whole, positive and increasing', () => {
    expect(parseEdges('30, 60 90;180，365')).toEqual([30, 60, 90, 180, 365]);
    expect(parseEdges('30, 30')).toBeNull();
    expect(parseEdges('0, 30')).toBeNull();
    expect(parseEdges('7.5')).toBeNull();
    expect(parseEdges('')).toBeNull();
  });

  it('stacks parts end to end on a shared scale', () => {
    expect(stackParts([5, 30, 0, 2], 74, 740)).toEqual([
      { x: 0, w: 50 },
      { x: 50, w: 300 },
      { x: 350, w: 0 },
      { x: 350, w: 20 },
    ]);
    expect(stackParts([1], 0, 100)).toEqual([{ x: 0, w: 0 }]);
  });

  it('writes the lot trace as one CSV, quoting where needed', () => {
    const csv = lotTraceCsv({
      __typename: 'LotTrace',
      item: { sku: 'A-1', name: 'A' },
      lot: { lotNumber: 'L-1', expiry: null },
      received: [{ receiptId: '7', receivedAt: '2026-03-02T09:30:00+00:00', closedAt: null, quantity: 10, kind: 'PURCHASE', poNumber: 'PO-1', reference: 'DN, 4711', supplierCode: 'SUP', supplierName: 'Supplier', warehouseCode: 'W1' }],
      onHand: [{ binCode: 'BIN-1', warehouseCode: 'W1', status: 'AVAILABLE', onHand: 8, reserved: 0 }],
      totals: { onHand: 8, reserved: 0, free: 8 },
      shipped: [{ orderNumber: 'SO-1', customerCode: 'C1', customerName: 'Cust', quantity: 2, cartonSscc: '003', packedAt: null, shipmentId: '3', waybillNo: 'WB-1', trackingNumber: null, shippedAt: '2026-03-04T10:00:00+00:00', warehouseCode: 'W1' }],
    });
    expect(csv.split('\n')).toEqual([
      'section,date,sku,lot,quantity,warehouse,party,document,detail',
      'RECEIPT,2026-03-02T09:30:00+00:00,A-1,L-1,10,W1,SUP,PO-1,"DN, 4711"',
      'ON_HAND,,A-1,L-1,8,W1,,BIN-1,AVAILABLE',
      'SHIPMENT,2026-03-04T10:00:00+00:00,A-1,L-1,2,W1,C1,SO-1,WB-1',
      '',
    ]);
  });
});
