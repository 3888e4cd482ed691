import { describe, expect, it } from 'vitest';
import { REPLENISH_START, binMatchesLabel, itemMatches, parseReplenishTitle, replenishReducer, type ReplenishEvent } from './logic';

describe('replenish task title', () => {
  it('reads a pick face below its minimum', () => {
    expect(parseReplenishTitle('Replenish SKU-0007 to A01-003-1: 45')).toEqual({ sku: 'SKU-0007', toLabel: 'A01-003-1', quantity: 45, fromLabel: null });
  });

  it('reads a wave that would run a face short', () => {
    expect(parseReplenishTitle('Replenish A01-003-1 with 12 from A04-001-3')).toEqual({ sku: null, toLabel: 'A01-003-1', quantity: 12, fromLabel: 'A04-001-3' });
  });

  it('does not guess at other titles', () => {
    expect(parseReplenishTitle('Refill the shelf')).toBeNull();
    expect(parseReplenishTitle('Replenish SKU to A01: many')).toBeNull();
  });
});

describe('replenish steps', () => {
  const run = (...events: ReplenishEvent[]) => events.reduce(replenishReducer, REPLENISH_START);

  it('goes from, item, quantity, to, then sends', () => {
    expect(run({ type: 'from' }).step).toBe('item');
    const s = run({ type: 'from' }, { type: 'item', sku: 'SKU-1', lot: 'L9' }, { type: 'qty' });
    expect(s).toEqual({ step: 'to', sku: 'SKU-1', lot: 'L9' });
    expect(replenishReducer(s, { type: 'to' }).step).toBe('sending');
  });

  it('a refusal asks for the pick face again; steps out of order change nothing', () => {
    const sending = run({ type: 'from' }, { type: 'item', sku: 'S', lot: null }, { type: 'qty' }, { type: 'to' });
    expect(replenishReducer(sending, { type: 'refused' }).step).toBe('to');
    expect(run({ type: 'item', sku: 'S', lot: null })).toEqual(REPLENISH_START);
    expect(run({ type: 'qty' })).toEqual(REPLENISH_START);
    expect(run({ type: 'from' }, { type: 'to' }).step).toBe('item');
  });

  it('checks the item and the pick face', () => {
    const plan = { sku: 'SKU-1', toLabel: 'A01-003-1', quantity: 5, fromLabel: null };
    expect(itemMatches(plan, 'sku-1')).toBe(true);
    expect(itemMatches(plan, 'SKU-2')).toBe(false);
    expect(itemMatches({ ...plan, sku: null }, 'SKU-2')).toBe(true);
    expect(binMatchesLabel('BIN-WH1-A01-003-1-Q', 'A01-003-1', 'A01-003-1')).toBe(true);
    expect(binMatchesLabel('BIN-WH1-A01-003-1-Q', 'A01-003-1', 'A01-003-2')).toBe(false);
    // Offline: the code names the label between dashes.
    expect(binMatchesLabel('BIN-WH1-A01-003-1-Q', 'A01-003-1', null)).toBe(true);
    expect(binMatchesLabel('BIN-WH1-A01-003-12-Q', 'A01-003-1', null)).toBe(false);
  });
});
