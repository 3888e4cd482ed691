/**
 * Where a bin is, as its label says it. The server's `aisle`/`bay` are routing
 * coordinates (a zero-based aisle index and a bay pair: two bin positions
 * share one routing cell), so showing them sends a picker to the wrong aisle.
 * People walk by the numbers printed on the racking, which are the label's.
 */

export interface BinPlace {
  /** As printed: "07", "025", "1". */
  aisle: string;
  bay: string;
  level: string | null;
}

/**
 * Split a rack label such as `A07-025-1` (aisle letter + number, bay, level)
 * into its parts; null when the label is not of that shape (a dock, a QC
 * bench), where only the label itself is shown.
 */
export function binPlace(label: string | null | undefined): BinPlace | null {
  const m = /^\s*[A-Z]{0,3}(\d{1,4})[-.\s](\d{1,4})(?:[-.\s](\d{1,3}))?\s*$/i.exec(label ?? '');
  if (!m) return null;
  return { aisle: m[1], bay: m[2], level: m[3] ?? null };
}
