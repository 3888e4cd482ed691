import { describe, expect, it } from 'vitest';
import { receiptIdOf } from './Qc';

describe('QC task reference', () => {
  it('names the receipt', () => {
    expect(receiptIdOf('RC-42')).toBe('42');
    expect(receiptIdOf('PO-W1-000007-K')).toBeNull();
    expect(receiptIdOf(null)).toBeNull();
  });
});
