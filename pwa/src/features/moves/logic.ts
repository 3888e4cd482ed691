/**
 * The steps of an internal move (pure, tested without a DOM): scan the source
 * bin; then "whole bin" or an item (its lot when the item is lot-tracked and
 * the barcode did not carry one) and a quantity ("all" leaves it to the
 * server: all free stock of the item); then the destination bin.
 */

import type { MoveStockInput } from '../../graphql/generated/graphql';
import { sameCode } from '../../ui/flow/logic';

export type MoveStep = 'from' | 'what' | 'lot' | 'qty' | 'to';

export interface MoveItem {
  /** What was scanned (SKU, GTIN or GS1): sent as is, the server reads it again. */
  code: string;
  sku: string;
  name: string;
  lotTracked: boolean;
}

export interface MoveDraft {
  step: MoveStep;
  fromBin: string | null;
  /** Null with `wholeBin`: everything free on the source bin. */
  item: MoveItem | null;
  wholeBin: boolean;
  lot: string | null;
  /** Null: all free stock of the item (or of the bin). */
  quantity: number | null;
}

export type MoveEvent =
  | { type: 'from'; bin: string }
  | { type: 'wholeBin' }
  | { type: 'item'; item: MoveItem; lot: string | null }
  /** Null: no lot scanned, the server takes the only one on the bin. */
  | { type: 'lot'; lot: string | null }
  | { type: 'qty'; quantity: number | null }
  /** The server refused the move: go back to the step its field names. */
  | { type: 'refused'; field: string | null; code: string }
  | { type: 'reset' };

export const START: MoveDraft = { step: 'from', fromBin: null, item: null, wholeBin: false, lot: null, quantity: null };

export function moveReducer(d: MoveDraft, e: MoveEvent): MoveDraft {
  switch (e.type) {
    case 'reset':
      return START;
    case 'from':
      return { ...START, step: 'what', fromBin: e.bin };
    case 'wholeBin':
      return d.fromBin ? { ...d, step: 'to', wholeBin: true, item: null, lot: null, quantity: null } : d;
    case 'item':
      if (!d.fromBin) return d;
      return {
        ...d,
        item: e.item,
        wholeBin: false,
        lot: e.lot,
        quantity: null,
        step: e.item.lotTracked && !e.lot ? 'lot' : 'qty',
      };
    case 'lot':
      return d.item ? { ...d, lot: e.lot, step: 'qty' } : d;
    case 'qty':
      return d.item ? { ...d, quantity: e.quantity, step: 'to' } : d;
    case 'refused':
      return { ...d, step: stepForRefusal(d, e.field, e.code) };
  }
}

/** Where a refused move resumes: the step whose scan the server did not accept. */
export function stepForRefusal(d: MoveDraft, field: string | null, code: string): MoveStep {
  if (code === 'LOT_REQUIRED' || code === 'LOT_NOT_FOUND' || code === 'WRONG_LOT') return d.item ? 'lot' : 'what';
  if (code === 'INSUFFICIENT_STOCK' || code === 'INVALID_QUANTITY' || code === 'QUANTITY_TOO_LARGE') {
    return d.item && d.quantity != null ? 'qty' : 'what';
  }
  switch (field) {
    case 'fromBinCode':
      return 'from';
    case 'itemCode':
      return 'what';
    case 'lotNumber':
      return d.item ? 'lot' : 'what';
    case 'quantity':
      return d.item ? 'qty' : 'what';
    default:
      return 'to';
  }
}

/**
 * A bin's label read from its code (BIN-<warehouse>-<label>-<check>), for
 * when the server cannot be asked; null for anything else.
 */
export function labelFromBinCode(code: string): string | null {
  const m = /^BIN-[^-]+-(.+)-[0-9A-Z]$/i.exec(code.trim());
  return m ? m[1].toUpperCase() : null;
}

/** Internal labels are KIND-BODY-CHECK; a bin's starts with BIN-. */
export function looksLikeBin(code: string): boolean {
  return /^BIN-/i.test(code.trim());
}

export type ToBinCheck = { ok: true } | { ok: false; reason: 'notBin' | 'sameBin' };

/** The destination must be a bin, and another one. */
export function checkToBin(d: MoveDraft, code: string): ToBinCheck {
  if (!looksLikeBin(code)) return { ok: false, reason: 'notBin' };
  if (sameCode(code, d.fromBin)) return { ok: false, reason: 'sameBin' };
  return { ok: true };
}

/** The moveStock input (without its idempotency key) for the destination scanned. */
export function moveInput(d: MoveDraft, toBin: string): Omit<MoveStockInput, 'idempotencyKey'> {
  return {
    // Asked for only once the source bin is scanned; '' is refused as an unknown bin.
    fromBinCode: d.fromBin ?? '',
    toBinCode: toBin,
    itemCode: d.wholeBin || !d.item ? null : d.item.code,
    lotNumber: d.wholeBin || !d.item ? null : d.lot,
    quantity: d.wholeBin || !d.item ? null : d.quantity,
  };
}
