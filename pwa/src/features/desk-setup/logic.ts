import { cents } from '../desk-masterdata/logic';
import type { ApprovalRule, CartonType, Carrier, Printer } from './ops';

/** A form's input for the server, or the first field the form can already tell is wrong. */
export type Built = { ok: true; input: Record<string, unknown> } | { ok: false; field: string };

const SERVICE_CODE = /^[A-Z0-9_-]{1,32}$/;

function whole(text: string): number | undefined {
  const s = text.trim();
  return /^\d+$/.test(s) ? Number(s) : undefined;
}

export interface ServiceRow {
  code: string;
  name: string;
}

export interface CarrierDraft {
  code: string;
  name: string;
  adapter: string;
  active: boolean;
  services: ServiceRow[];
}

/** "EXP:Express" (the API's form) → a row; a bare code names itself. */
export function serviceRow(entry: string): ServiceRow {
  const at = entry.indexOf(':');
  return at < 0 ? { code: entry, name: entry } : { code: entry.slice(0, at), name: entry.slice(at + 1) };
}

export function emptyCarrier(): CarrierDraft {
  return { code: '', name: '', adapter: 'own_fleet', active: true, services: [{ code: '', name: '' }] };
}

export function carrierDraftOf(c: Carrier): CarrierDraft {
  const services = (c.services ?? []).map(serviceRow);
  return { code: c.code, name: c.name, adapter: c.adapter ?? 'own_fleet', active: c.active, services: services.length ? services : [{ code: '', name: '' }] };
}

/**
 * createParty/updateParty for a carrier. Blank service rows are dropped; the
 * first service is the one a shipment gets when the shipper names none.
 */
export function carrierInput(d: CarrierDraft): Built {
  if (!d.code.trim()) return { ok: false, field: 'code' };
  if (!d.name.trim()) return { ok: false, field: 'name' };
  const rows = d.services.map((s) => ({ code: s.code.trim().toUpperCase(), name: s.name.trim() })).filter((s) => s.code || s.name);
  const seen = new Set<string>();
  for (const [i, s] of rows.entries()) {
    if (!SERVICE_CODE.test(s.code) || seen.has(s.code) || s.name.includes(':')) return { ok: false, field: `services.${i}` };
    seen.add(s.code);
  }
  return {
    ok: true,
    input: {
      kind: 'CARRIER',
      code: d.code.trim().toUpperCase(),
      name: d.name.trim(),
      adapter: d.adapter,
      active: d.active,
      services: rows.map((s) => `${s.code}:${s.name || s.code}`),
    },
  };
}

export interface CartonDraft {
  code: string;
  name: string;
  lengthMm: string;
  widthMm: string;
  heightMm: string;
  tareWeightGrams: string;
  maxWeightGrams: string;
  active: boolean;
}

export const CARTON_NUMBERS = ['lengthMm', 'widthMm', 'heightMm', 'tareWeightGrams', 'maxWeightGrams'] as const;

export function emptyCarton(): CartonDraft {
  return { code: '', name: '', lengthMm: '', widthMm: '', heightMm: '', tareWeightGrams: '0', maxWeightGrams: '', active: true };
}

export function cartonDraftOf(c: CartonType): CartonDraft {
  return {
    code: c.code,
    name: c.name,
    lengthMm: String(c.lengthMm),
    widthMm: String(c.widthMm),
    heightMm: String(c.heightMm),
    tareWeightGrams: String(c.tareWeightGrams),
    maxWeightGrams: String(c.maxWeightGrams),
    active: c.active,
  };
}

export function cartonInput(d: CartonDraft): Built {
  if (!d.code.trim()) return { ok: false, field: 'code' };
  if (!d.name.trim()) return { ok: false, field: 'name' };
  const input: Record<string, unknown> = { code: d.code.trim().toUpperCase(), name: d.name.trim(), active: d.active };
  for (const k of CARTON_NUMBERS) {
    const n = whole(d[k]);
    if (n === undefined || (n === 0 && k !== 'tareWeightGrams')) return { ok: false, field: k };
    input[k] = n;
  }
  return { ok: true, input };
}

/** Litres a carton holds, for the list (mm³ → L). */
export function litres(c: Pick<CartonType, 'lengthMm' | 'widthMm' | 'heightMm'>): number {
  return (c.lengthMm * c.widthMm * c.heightMm) / 1e6;
}

export interface PrinterDraft {
  name: string;
  kind: string;
  address: string;
  station: string;
  raw: boolean;
  active: boolean;
}

export function emptyPrinter(): PrinterDraft {
  return { name: '', kind: 'RAW_TCP', address: '', station: '', raw: false, active: true };
}

export function printerDraftOf(p: Printer): PrinterDraft {
  return { name: p.name, kind: p.kind, address: p.address, station: p.station, raw: p.raw, active: p.active };
}

/** savePrinter: a printer is known by its name in the warehouse; saving that name again changes it. */
export function printerInput(d: PrinterDraft, warehouseId: string | null): Built {
  if (!d.name.trim()) return { ok: false, field: 'name' };
  const address = d.address.trim();
  if (!address) return { ok: false, field: 'address' };
  if (d.kind === 'RAW_TCP' && !/^[A-Za-z0-9.\-[\]:]+$/.test(address)) return { ok: false, field: 'address' };
  return {
    ok: true,
    input: { name: d.name.trim(), kind: d.kind, address, station: d.station.trim(), raw: d.kind === 'CUPS' && d.raw, active: d.active, warehouseId },
  };
}

/** The stations printers are set up at, for the station field's suggestions. */
export function stationsOf(printers: readonly Printer[]): string[] {
  return [...new Set(printers.map((p) => p.station).filter(Boolean))].sort();
}

export interface RuleDraft {
  level: string;
  approverRole: string;
  minAmount: string;
  abcClass: string;
  storageClass: string;
  /** '' for every warehouse. */
  warehouseId: string;
}

export function emptyRule(): RuleDraft {
  return { level: '1', approverRole: 'supervisor', minAmount: '', abcClass: '', storageClass: '', warehouseId: '' };
}

export function ruleInput(d: RuleDraft): Built {
  const level = whole(d.level);
  if (level === undefined || level < 1 || level > 9) return { ok: false, field: 'level' };
  let minAmountCents: number | null = null;
  if (d.minAmount.trim()) {
    const c = cents(d.minAmount);
    if (c === undefined) return { ok: false, field: 'minAmountCents' };
    minAmountCents = c;
  }
  return {
    ok: true,
    input: {
      level,
      approverRole: d.approverRole,
      minAmountCents,
      abcClass: d.abcClass || null,
      storageClass: d.storageClass || null,
      warehouseId: d.warehouseId || null,
    },
  };
}

/** Rules by level, then the narrowest (most conditions) first: the order an approver meets them. */
export function sortedRules(rules: readonly ApprovalRule[]): ApprovalRule[] {
  const conditions = (r: ApprovalRule) => [r.minAmountCents, r.abcClass, r.storageClass, r.warehouseId].filter((x) => x != null).length;
  return [...rules].sort((a, b) => a.level - b.level || conditions(b) - conditions(a) || Number(a.id) - Number(b.id));
}
