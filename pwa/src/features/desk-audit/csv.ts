import type { AuditEntry } from './ops';

/** One CSV field: quoted when it holds a comma, quote or line break (RFC 4180); formula starts defused. */
export function csvField(v: string | null): string {
  let s = v ?? '';
  // A spreadsheet would run "=…", "+…", "-…", "@…" as a formula.
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The entries shown, as CSV with a header line (times as the server's ISO stamps). */
export function auditCsv(rows: readonly AuditEntry[]): string {
  // The user's name last, so the columns before it stay where earlier exports had them.
  const head = ['id', 'at', 'user_id', 'device_id', 'action', 'entity', 'entity_id', 'user_name'];
  const lines = rows.map((r) => [r.id, r.at, r.userId, r.deviceId, r.action, r.entity, r.entityId, r.userName].map(csvField).join(','));
  return [head.join(','), ...lines].join('\r\n') + '\r\n';
}

/** Newest first: the server pages oldest first, the reader looks for what just happened. */
export function newestFirst(rows: readonly AuditEntry[]): AuditEntry[] {
  return [...rows].sort((a, b) => b.at.localeCompare(a.at) || Number(b.id) - Number(a.id));
}
