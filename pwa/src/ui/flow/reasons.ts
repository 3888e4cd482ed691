import type { MessageKey } from '../../i18n';

type T = (key: MessageKey, params?: Record<string, string | number>) => string;

const FIXED: Record<string, MessageKey> = {
  'same item and lot already here': 'reason.sameItemLot',
  'same item already here': 'reason.sameItem',
  'same item already here (another lot)': 'reason.sameItemOtherLot',
  'fast mover near the dock at waist height': 'reason.fastMover',
  'slow mover kept out of the prime spots': 'reason.slowMover',
  'partly filled, keeps empty bins free': 'reason.partly',
  'empty bin': 'reason.empty',
  'no capacity limit recorded': 'reason.noLimit',
  'QC zone for quarantined stock': 'reason.qcZone',
};

/** The server explains a putaway suggestion in plain English; say it in the UI's language. */
export function reasonText(reason: string, t: T): string {
  const key = FIXED[reason];
  if (key) return t(key);
  let m = /^(\d+) m from receiving$/.exec(reason);
  if (m) return t('reason.metres', { m: m[1] });
  m = /^(\d+) units of room left$/.exec(reason);
  if (m) return t('reason.room', { n: m[1] });
  return reason;
}
