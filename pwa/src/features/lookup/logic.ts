/**
 * What a lookup scan asks for, decided from what the server made of the code
 * (resolveScan): a bin's contents, or an item's stock (by SKU, GTIN or a GS1
 * barcode, whose lot is then picked out among the item's lines).
 */
export interface Resolved {
  kind: string;
  gtin: string | null;
  lot: string | null;
}

export type LookupTarget = { kind: 'bin'; code: string } | { kind: 'item'; code: string; lot: string | null };

/** `resolved` is null when the code is no barcode the server knows (a typed SKU or bin label). */
export function targetOf(raw: string, resolved: Resolved | null): LookupTarget {
  const code = raw.trim();
  if (resolved?.kind === 'BIN') return { kind: 'bin', code };
  if (resolved?.gtin) return { kind: 'item', code: resolved.gtin, lot: resolved.lot };
  return { kind: 'item', code, lot: null };
}

/** A typed code that named no item may still be a bin's label ("A-01-02"): ask for the bin next. */
export function retryAsBin(target: LookupTarget, errorCode: string): boolean {
  return target.kind === 'item' && target.lot === null && errorCode === 'ITEM_NOT_FOUND';
}

export interface MoveEnds {
  fromBin: string | null;
  toBin: string | null;
  quantity: number;
}

/**
 * The sign a move has from a bin's point of view: into the bin +, out of it −;
 * seen from an item (no bin), a receipt or found stock is +, a shipment or
 * write-off −, and a move between two bins neither.
 */
export function signed(move: MoveEnds, bin: string | null): string {
  const { fromBin, toBin, quantity } = move;
  if (bin !== null) {
    if (toBin === bin && fromBin !== bin) return `+${quantity}`;
    if (fromBin === bin && toBin !== bin) return `−${quantity}`;
    return String(quantity);
  }
  if (fromBin === null && toBin !== null) return `+${quantity}`;
  if (toBin === null && fromBin !== null) return `−${quantity}`;
  return String(quantity);
}

/** Days from `today` to an expiry date (ISO yyyy-mm-dd); negative once past. */
export function daysLeft(expiry: string, today: Date): number {
  const [y, m, d] = expiry.split('-').map(Number);
  const end = Date.UTC(y, m - 1, d);
  const start = Date.UTC(today.getFullYear(), today.getMonth(), today.getDate());
  return Math.round((end - start) / 86_400_000);
}
