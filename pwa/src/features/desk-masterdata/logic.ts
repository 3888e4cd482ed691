import { LEVELS, type Item, type Level, type Party, type PartyKind } from './ops';

/* ---------- items ---------- */

export interface Size {
  lengthMm: string;
  widthMm: string;
  heightMm: string;
  weightG: string;
}

export interface LevelDraft extends Size {
  on: boolean;
  quantity: string;
  gtin: string;
}

export interface ItemDraft extends Size {
  sku: string;
  name: string;
  specification: string;
  brand: string;
  category: string;
  baseUnit: string;
  gtin: string;
  tracking: string;
  expiryTracked: boolean;
  shelfLifeDays: string;
  minRemainingLifeDays: string;
  storageClass: string;
  abcClass: string;
  unitCost: string; // in the currency's units, e.g. "4.50"
  active: boolean;
  levels: Record<Level, LevelDraft>;
}

const NO_SIZE: Size = { lengthMm: '', widthMm: '', heightMm: '', weightG: '' };
const emptyLevel = (): LevelDraft => ({ on: false, quantity: '', gtin: '', ...NO_SIZE });

export function emptyItem(): ItemDraft {
  return {
    sku: '',
    name: '',
    specification: '',
    brand: '',
    category: '',
    baseUnit: 'EA',
    gtin: '',
    tracking: 'NONE',
    expiryTracked: false,
    shelfLifeDays: '',
    minRemainingLifeDays: '',
    storageClass: 'AMBIENT',
    abcClass: 'C',
    unitCost: '',
    active: true,
    ...NO_SIZE,
    levels: { INNER: emptyLevel(), CASE: emptyLevel(), PALLET: emptyLevel() },
  };
}

const num = (n: number | null | undefined) => (n == null || n === 0 ? '' : String(n));
const sizeOf = (x: { lengthMm: number; widthMm: number; heightMm: number; weightG: number }): Size => ({
  lengthMm: num(x.lengthMm),
  widthMm: num(x.widthMm),
  heightMm: num(x.heightMm),
  weightG: num(x.weightG),
});

/** The form for an item the server sent. */
export function draftOf(item: Item): ItemDraft {
  const levels = { INNER: emptyLevel(), CASE: emptyLevel(), PALLET: emptyLevel() };
  for (const p of item.packagings) {
    if (!(LEVELS as readonly string[]).includes(p.level)) continue;
    levels[p.level as Level] = { on: true, quantity: String(p.quantity), gtin: p.gtin ?? '', ...sizeOf(p) };
  }
  const packGtins = new Set(item.packagings.map((p) => p.gtin).filter(Boolean));
  return {
    sku: item.sku,
    name: item.name,
    specification: item.specification,
    brand: item.brand,
    category: item.category,
    baseUnit: item.baseUnit,
    gtin: item.gtins.find((g) => !packGtins.has(g)) ?? '',
    tracking: item.tracking,
    expiryTracked: item.expiryTracked,
    shelfLifeDays: item.shelfLifeDays == null ? '' : String(item.shelfLifeDays),
    minRemainingLifeDays: item.minRemainingLifeDays == null ? '' : String(item.minRemainingLifeDays),
    storageClass: item.storageClass,
    abcClass: item.abcClass,
    unitCost: item.unitCostCents ? (item.unitCostCents / 100).toFixed(2) : '',
    active: item.active,
    ...sizeOf(item),
    levels,
  };
}

/** A whole number typed in a field: '' is `blank`, anything but digits is null (wrong). */
function whole(text: string, blank: number | null): number | null | undefined {
  const s = text.trim();
  if (!s) return blank;
  return /^\d+$/.test(s) ? Number(s) : undefined;
}

/** "4.5" or "4,50" → 450 cents; undefined when it is not an amount. */
export function cents(text: string): number | undefined {
  const s = text.trim().replace(',', '.');
  if (!s) return 0;
  if (!/^\d+(\.\d{1,2})?$/.test(s)) return undefined;
  return Math.round(Number(s) * 100);
}

export type Built = { ok: true; input: Record<string, unknown> } | { ok: false; field: string };

function size(d: Size, prefix: string): { ok: true; value: Record<string, number> } | { ok: false; field: string } {
  const value: Record<string, number> = {};
  for (const k of ['lengthMm', 'widthMm', 'heightMm', 'weightG'] as const) {
    const n = whole(d[k], 0);
    if (n === undefined || n === null) return { ok: false, field: prefix + k };
    value[k] = n;
  }
  return { ok: true, value };
}

/**
 * The createItem/updateItem input, or the first field the form can already
 * tell is wrong (the server checks everything again, GTINs and units too).
 * Field names are the server's (`packagings.CASE.quantity`), so one map
 * points both kinds of refusal at the field on screen.
 */
export function itemInput(d: ItemDraft): Built {
  if (!d.sku.trim()) return { ok: false, field: 'sku' };
  if (!d.name.trim()) return { ok: false, field: 'name' };
  const shelf = whole(d.shelfLifeDays, null);
  if (shelf === undefined) return { ok: false, field: 'shelfLifeDays' };
  const minLife = whole(d.minRemainingLifeDays, null);
  if (minLife === undefined) return { ok: false, field: 'minRemainingLifeDays' };
  const cost = cents(d.unitCost);
  if (cost === undefined) return { ok: false, field: 'unitCostCents' };
  const own = size(d, '');
  if (!own.ok) return own;
  const packagings = [];
  for (const level of LEVELS) {
    const l = d.levels[level];
    if (!l.on) continue;
    const q = whole(l.quantity, null);
    if (q == null) return { ok: false, field: `packagings.${level}.quantity` };
    const s = size(l, `packagings.${level}.`);
    if (!s.ok) return s;
    packagings.push({ level, quantity: q, gtin: l.gtin.trim() || null, ...s.value });
  }
  return {
    ok: true,
    input: {
      sku: d.sku.trim(),
      name: d.name.trim(),
      specification: d.specification.trim(),
      brand: d.brand.trim(),
      category: d.category.trim(),
      baseUnit: d.baseUnit.trim().toUpperCase(),
      gtin: d.gtin.trim() || null,
      tracking: d.tracking,
      expiryTracked: d.expiryTracked,
      shelfLifeDays: shelf,
      minRemainingLifeDays: minLife,
      storageClass: d.storageClass,
      abcClass: d.abcClass,
      unitCostCents: cost,
      active: d.active,
      ...own.value,
      packagings,
    },
  };
}

/** What a field holds in the draft, for the refusal's specifics. */
export function valueAt(d: ItemDraft, field: string): string {
  const m = /^packagings\.(INNER|CASE|PALLET)\.(\w+)$/.exec(field);
  if (m) {
    const l = d.levels[m[1] as Level] as unknown as Record<string, string>;
    return String(l[m[2]] ?? '');
  }
  const v = (d as unknown as Record<string, unknown>)[field];
  return typeof v === 'string' ? v : v == null ? '' : String(v);
}

/** Split a server field name into its label key and level: `packagings.CASE.gtin` → gtin of CASE. */
export function fieldLabel(field: string): { key: string; level: Level | null } {
  const m = /^packagings\.(INNER|CASE|PALLET)(?:\.(\w+))?$/.exec(field);
  if (m) return { key: m[2] ?? 'quantity', level: m[1] as Level };
  return { key: field, level: null };
}

/** The GTIN check digit (mod 10, weights 3 and 1 from the right) of everything but the last digit. */
export function gtinCheckDigit(gtin: string): number | null {
  const digits = gtin.replace(/\s/g, '');
  if (!/^\d{8,14}$/.test(digits)) return null;
  const body = digits.slice(0, -1);
  let sum = 0;
  for (let i = 0; i < body.length; i++) sum += Number(body[body.length - 1 - i]) * (i % 2 === 0 ? 3 : 1);
  return (10 - (sum % 10)) % 10;
}

/** A search that looks like a GTIN is also looked up as one (the list searches SKU and name). */
export function looksLikeGtin(text: string): boolean {
  return /^\d{8,14}$/.test(text.trim());
}

/* ---------- suppliers and customers ---------- */

export interface PartyDraft {
  code: string;
  name: string;
  contactName: string;
  email: string;
  phone: string;
  street: string;
  city: string;
  postcode: string;
  country: string;
  paymentTerms: string;
  rating: string;
  leadTimeDays: string;
  creditLimit: string; // currency units; '' = no limit
  minShelfLifeDays: string;
  active: boolean;
}

export function emptyParty(): PartyDraft {
  return {
    code: '',
    name: '',
    contactName: '',
    email: '',
    phone: '',
    street: '',
    city: '',
    postcode: '',
    country: '',
    paymentTerms: '',
    rating: '',
    leadTimeDays: '7',
    creditLimit: '',
    minShelfLifeDays: '0',
    active: true,
  };
}

export function partyDraftOf(p: Party): PartyDraft {
  return {
    code: p.code,
    name: p.name,
    contactName: p.contactName ?? '',
    email: p.email ?? '',
    phone: p.phone ?? '',
    street: p.street ?? '',
    city: p.city ?? '',
    postcode: p.postcode ?? '',
    country: p.country ?? '',
    paymentTerms: p.paymentTerms ?? '',
    rating: p.rating == null ? '' : String(p.rating),
    leadTimeDays: p.leadTimeDays == null ? '7' : String(p.leadTimeDays),
    creditLimit: p.creditLimitCents == null ? '' : (p.creditLimitCents / 100).toFixed(2),
    minShelfLifeDays: p.minShelfLifeDays == null ? '0' : String(p.minShelfLifeDays),
    active: p.active,
  };
}

export function partyInput(kind: PartyKind, d: PartyDraft): Built {
  if (!d.code.trim()) return { ok: false, field: 'code' };
  if (!d.name.trim()) return { ok: false, field: 'name' };
  const rating = whole(d.rating, null);
  if (rating === undefined || (rating !== null && (rating < 1 || rating > 5))) return { ok: false, field: 'rating' };
  const lead = whole(d.leadTimeDays, 7);
  if (lead == null) return { ok: false, field: 'leadTimeDays' };
  const minShelf = whole(d.minShelfLifeDays, 0);
  if (minShelf == null) return { ok: false, field: 'minShelfLifeDays' };
  let credit: number | null = null;
  if (d.creditLimit.trim()) {
    const c = cents(d.creditLimit);
    if (c === undefined) return { ok: false, field: 'creditLimitCents' };
    credit = c;
  }
  const text = (s: string) => s.trim();
  return {
    ok: true,
    input: {
      kind,
      code: text(d.code).toUpperCase(),
      name: text(d.name),
      contactName: text(d.contactName),
      email: text(d.email),
      phone: text(d.phone),
      street: text(d.street),
      city: text(d.city),
      postcode: text(d.postcode),
      country: text(d.country).toUpperCase(),
      paymentTerms: text(d.paymentTerms),
      rating,
      active: d.active,
      leadTimeDays: lead,
      creditLimitCents: credit,
      minShelfLifeDays: minShelf,
    },
  };
}

/** How much of a customer's credit limit open orders use: null without a limit. */
export function creditUse(p: Pick<Party, 'creditLimitCents' | 'exposureCents'>): number | null {
  if (p.creditLimitCents == null || p.creditLimitCents <= 0) return null;
  return (p.exposureCents ?? 0) / p.creditLimitCents;
}

/* ---------- imports ---------- */

export interface RowError {
  line: number;
  column: string;
  code: string;
  message: string;
}

export interface ImportReport {
  kind: string;
  dryRun: boolean;
  rows: number;
  errorRows: number;
  applied: boolean;
  seconds: number;
  errors: RowError[];
  errorsTruncated: boolean;
}

export type ImportLine =
  | { type: 'progress'; done: number; total: number }
  | { type: 'report'; report: ImportReport }
  | { type: 'refused'; code: string; message: string; field: string | null };

/** One line of the import route's NDJSON answer. */
export function importLine(text: string): ImportLine | null {
  const s = text.trim();
  if (!s) return null;
  const v = JSON.parse(s) as Record<string, unknown>;
  if (typeof v.code === 'string') return { type: 'refused', code: v.code, message: String(v.message ?? ''), field: (v.field as string | null) ?? null };
  if ('rows' in v && 'errors' in v) return { type: 'report', report: v as unknown as ImportReport };
  if (typeof v.done === 'number') return { type: 'progress', done: v.done, total: typeof v.total === 'number' ? v.total : 0 };
  return null;
}

/** Split a byte stream's text into whole lines, keeping the unfinished tail for the next chunk. */
export function splitLines(buffer: string, chunk: string): { lines: string[]; rest: string } {
  const all = (buffer + chunk).split('\n');
  const rest = all.pop() ?? '';
  return { lines: all, rest };
}

/** A row's errors together: the report lists one per cell, the screen one line per row. */
export function byLine(errors: readonly RowError[]): { line: number; errors: RowError[] }[] {
  const map = new Map<number, RowError[]>();
  for (const e of errors) map.set(e.line, [...(map.get(e.line) ?? []), e]);
  return [...map].sort((a, b) => a[0] - b[0]).map(([line, list]) => ({ line, errors: list }));
}
