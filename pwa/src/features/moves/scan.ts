import { gql, NetworkError } from '../../graphql/client';
import { ItemLookupDocument, ResolveCodeDocument } from '../../graphql/generated/graphql';

export type IdentifiedItem =
  | { ok: true; sku: string; name: string; tracking: string; lot: string | null }
  /** `code`: an error code (backend/core/errors.py or NETWORK). */
  | { ok: false; code: string };

/**
 * The item behind a scan: a SKU as printed, or a GTIN / GS1 barcode (which
 * may carry the lot), the way the server reads item codes.
 */
export async function identifyItem(raw: string): Promise<IdentifiedItem> {
  const code = raw.trim();
  try {
    const bySku = await gql(ItemLookupDocument, { sku: code, gtin: null });
    if (bySku.item) return { ok: true, ...bySku.item, lot: null };
    const r = (await gql(ResolveCodeDocument, { code })).resolveScan;
    if (r.__typename !== 'ScanResolved') return { ok: false, code: r.code };
    if (!r.gtin) return { ok: false, code: 'SCAN_WRONG_KIND' };
    const byGtin = await gql(ItemLookupDocument, { sku: null, gtin: r.gtin });
    if (!byGtin.item) return { ok: false, code: 'ITEM_NOT_FOUND' };
    return { ok: true, ...byGtin.item, lot: r.lot };
  } catch (e) {
    return { ok: false, code: e instanceof NetworkError ? 'NETWORK' : 'REQUEST_FAILED' };
  }
}

/** A scanned bin's label as the server knows it; null when it cannot be asked (offline). */
export async function binLabel(raw: string): Promise<{ label: string | null; error: string | null }> {
  try {
    const r = (await gql(ResolveCodeDocument, { code: raw.trim() })).resolveScan;
    if (r.__typename !== 'ScanResolved') return { label: null, error: r.code };
    if (r.kind !== 'BIN') return { label: null, error: 'SCAN_WRONG_KIND' };
    return { label: r.label, error: null };
  } catch (e) {
    return { label: null, error: e instanceof NetworkError ? null : 'REQUEST_FAILED' };
  }
}
