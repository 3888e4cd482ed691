import { describe, expect, it } from 'vitest';
import { carrierDraftOf, carrierInput, cartonInput, emptyCarrier, emptyCarton, emptyPrinter, emptyRule, litres, printerInput, ruleInput, serviceRow, sortedRules } from './logic';
import type { ApprovalRule } from './ops';

describe('carrier form', () => {
  it('sends services in their order as CODE:Name, upper-cased, blank rows dropped', () => {
    const built = carrierInput({
      ...emptyCarrier(),
      code: ' jd ',
      name: 'JD Logistics',
      services: [
        { code: 'xpress', name: 'Express' },
        { code: '', name: '' },
        { code: 'ECO', name: '' },
      ],
    });
    expect(built).toEqual({ ok: true, input: { kind: 'CARRIER', code: 'JD', name: 'JD Logistics', adapter: 'own_fleet', active: true, services: ['XPRESS:Express', 'ECO:ECO'] } });
  });

  it('points at the service row that is wrong before anything is sent', () => {
    const d = { ...emptyCarrier(), code: 'JD', name: 'JD' };
    expect(carrierInput({ ...d, services: [{ code: 'A', name: 'a' }, { code: 'a', name: 'again' }] })).toEqual({ ok: false, field: 'services.1' });
    expect(carrierInput({ ...d, services: [{ code: 'NEXT DAY', name: 'x' }] })).toEqual({ ok: false, field: 'services.0' });
    expect(carrierInput({ ...d, services: [{ code: '', name: 'No code' }] })).toEqual({ ok: false, field: 'services.0' });
    expect(carrierInput({ ...d, code: ' ' })).toEqual({ ok: false, field: 'code' });
  });

  it('reads the API form back into rows', () => {
    expect(serviceRow('EXP:Express: 24 h')).toEqual({ code: 'EXP', name: 'Express: 24 h' });
    expect(carrierDraftOf({ id: '1', code: 'OWN', name: 'Own', adapter: null, services: null, active: true }).services).toEqual([{ code: '', name: '' }]);
  });
});

describe('carton, printer and rule forms', () => {
  it('needs whole positive sizes; a tare may be zero', () => {
    const d = { ...emptyCarton(), code: 'm', name: 'Medium', lengthMm: '400', widthMm: '300', heightMm: '200', maxWeightGrams: '15000' };
    expect(cartonInput(d)).toEqual({ ok: true, input: { code: 'M', name: 'Medium', active: true, lengthMm: 400, widthMm: 300, heightMm: 200, tareWeightGrams: 0, maxWeightGrams: 15000 } });
    expect(cartonInput({ ...d, heightMm: '0' })).toEqual({ ok: false, field: 'heightMm' });
    expect(cartonInput({ ...d, maxWeightGrams: '1.5' })).toEqual({ ok: false, field: 'maxWeightGrams' });
    expect(litres({ lengthMm: 400, widthMm: 300, heightMm: 200 })).toBe(24);
  });

  it('sends raw only for CUPS queues and refuses an address with spaces for a network printer', () => {
    const d = { ...emptyPrinter(), name: 'Zebra 1', address: '10.0.0.5:9100', raw: true };
    expect(printerInput(d, '2')).toEqual({ ok: true, input: { name: 'Zebra 1', kind: 'RAW_TCP', address: '10.0.0.5:9100', station: '', raw: false, active: true, warehouseId: '2' } });
    expect(printerInput({ ...d, address: '10.0.0.5 9100' }, null)).toEqual({ ok: false, field: 'address' });
    expect(printerInput({ ...d, kind: 'CUPS', address: 'zebra_pack1' }, null)).toMatchObject({ ok: true, input: { raw: true } });
  });

  it('turns an amount into cents and blanks into "any"', () => {
    expect(ruleInput({ ...emptyRule(), level: '2', minAmount: '5000.50' })).toEqual({
      ok: true,
      input: { level: 2, approverRole: 'supervisor', minAmountCents: 500050, abcClass: null, storageClass: null, warehouseId: null },
    });
    expect(ruleInput({ ...emptyRule(), level: '10' })).toEqual({ ok: false, field: 'level' });
    expect(ruleInput({ ...emptyRule(), minAmount: '12,345.6' })).toEqual({ ok: false, field: 'minAmountCents' });
  });

  it('lists rules by level, the narrower first', () => {
    const rule = (id: string, level: number, minAmountCents: number | null): ApprovalRule => ({ id, level, minAmountCents, approverRole: 'admin', abcClass: null, storageClass: null, warehouseId: null, active: true });
    expect(sortedRules([rule('1', 2, null), rule('2', 1, null), rule('3', 1, 100)]).map((r) => r.id)).toEqual(['3', '2', '1']);
  });
});
