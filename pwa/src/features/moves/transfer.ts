/**
 * Shipping stock to another warehouse (pure): the lines scanned so far, one
 * per bin, item and lot, and the createTransfer input they make.
 */

import type { CreateTransferInput } from '../../graphql/generated/graphql';
import { sameCode } from '../../ui/flow/logic';

/** The server takes at most this many lines a transfer (backend/control/moves.py). */
export const MAX_TRANSFER_LINES = 200;

export interface TransferDraftLine {
  binCode: string;
  binLabel: string;
  /** As scanned (SKU, GTIN or GS1): the server reads it again. */
  itemCode: string;
  sku: string;
  lot: string | null;
  quantity: number;
}

/** Add a line; the same bin, item and lot again adds to its quantity. */
export function addLine(lines: TransferDraftLine[], line: TransferDraftLine): TransferDraftLine[] {
  const i = lines.findIndex((l) => sameCode(l.binCode, line.binCode) && l.sku === line.sku && (l.lot ?? '') === (line.lot ?? ''));
  if (i < 0) return [...lines, line];
  const next = lines.slice();
  next[i] = { ...lines[i], quantity: lines[i].quantity + line.quantity };
  return next;
}

export function removeLine(lines: TransferDraftLine[], index: number): TransferDraftLine[] {
  return lines.filter((_, i) => i !== index);
}

export function totalUnits(lines: TransferDraftLine[]): number {
  return lines.reduce((n, l) => n + l.quantity, 0);
}

/** A warehouse code as the server keys it: trimmed, upper case. */
export function warehouseCode(text: string): string {
  return text.trim().toUpperCase();
}

export type ShipCheck = { ok: true } | { ok: false; reason: 'noLines' | 'tooMany' | 'noWarehouse' | 'sameWarehouse' };

export function checkShipment(lines: TransferDraftLine[], to: string, from: string | null): ShipCheck {
  if (lines.length === 0) return { ok: false, reason: 'noLines' };
  if (lines.length > MAX_TRANSFER_LINES) return { ok: false, reason: 'tooMany' };
  const code = warehouseCode(to);
  if (!code) return { ok: false, reason: 'noWarehouse' };
  if (from && code === warehouseCode(from)) return { ok: false, reason: 'sameWarehouse' };
  return { ok: true };
}

/** The createTransfer input (without its idempotency key). */
export function transferInput(lines: TransferDraftLine[], to: string, reference: string): Omit<CreateTransferInput, 'idempotencyKey'> {
  const ref = reference.trim();
  return {
    toWarehouseCode: warehouseCode(to),
    reference: ref ? ref : null,
    lines: lines.map((l) => ({ binCode: l.binCode, itemCode: l.itemCode, quantity: l.quantity, lotNumber: l.lot })),
  };
}
