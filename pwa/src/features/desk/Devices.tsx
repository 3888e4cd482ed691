import { useEffect, useState } from 'preact/hooks';
import { gqlText } from '../../graphql/client';
import { useI18n } from '../../i18n';
import { failureCode, formats } from './common';

/** Kept beside the screen (plain text): the typed operations are generated elsewhere. */
export const DEVICE_SYNC_STATES = `query DeviceSyncStates($warehouseId: ID, $includeClear: Boolean!) {
  deviceSyncStates(warehouseId: $warehouseId, includeClear: $includeClear) {
    deviceId username displayName waiting conflicts conflictCodes oldestWaitingAt lastSeenAt appVersion
  }
}`;

export interface DeviceSyncState {
  deviceId: string;
  username: string;
  displayName: string;
  waiting: number;
  conflicts: number;
  conflictCodes: string[];
  oldestWaitingAt: string | null;
  lastSeenAt: string;
  appVersion: string;
}

/** "12 min" since a moment, for how long work has waited or a device was last heard of. */
export function ago(iso: string | null, now: number, t: (k: 'desk.dev.min' | 'desk.dev.h', p: { n: number }) => string): string {
  if (!iso) return '—';
  const minutes = Math.max(0, Math.round((now - Date.parse(iso)) / 60_000));
  return minutes < 120 ? t('desk.dev.min', { n: minutes }) : t('desk.dev.h', { n: Math.round(minutes / 60) });
}

/**
 * Handhelds whose work has not reached the server: changes waiting, changes
 * the server refused on replay (someone must decide on the device), since
 * when, who was signed in, when the device was last heard of. Each device
 * reports this itself when it is online.
 */
export function Devices({ warehouseId }: { warehouseId: string | null }) {
  const { t, err, locale } = useI18n();
  const f = formats(locale);
  const [list, setList] = useState<DeviceSyncState[] | null>(null);
  const [all, setAll] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [now, setNow] = useState(Date.now());

  const load = async () => {
    setError(null);
    try {
      const d = await gqlText<{ deviceSyncStates: DeviceSyncState[] }>(DEVICE_SYNC_STATES, { warehouseId, includeClear: all });
      setList(d.deviceSyncStates);
      setNow(Date.now());
    } catch (e) {
      setError(failureCode(e));
    }
  };
  useEffect(() => {
    void load();
    const timer = setInterval(() => void load(), 30_000);
    return () => clearInterval(timer);
  }, [warehouseId, all]);

  return (
    <div class="stack desk-pane" data-testid="devices">
      <div class="desk-filters">
        <label class="check">
          <input type="checkbox" checked={all} onChange={(e) => setAll((e.target as HTMLInputElement).checked)} data-testid="devices-all" />
          {t('desk.dev.includeClear')}
        </label>
        <button type="button" class="btn btn-secondary btn-small" onClick={() => void load()} data-testid="devices-refresh">
          {t('desk.refresh')}
        </button>
      </div>
      {error ? <p class="alert alert-error">{err(error)}</p> : null}
      {list === null && !error ? <p class="muted">{t('desk.loading')}</p> : null}
      {list && list.length === 0 ? <p class="muted" data-testid="devices-none">{t('desk.dev.none')}</p> : null}
      {list && list.length > 0 ? (
        <div class="desk-table-wrap">
          <table class="desk-table" data-testid="device-list">
            <thead>
              <tr>
                <th>{t('desk.dev.device')}</th>
                <th>{t('desk.dev.user')}</th>
                <th class="num">{t('desk.dev.waiting')}</th>
                <th class="num">{t('desk.dev.conflicts')}</th>
                <th>{t('desk.dev.oldest')}</th>
                <th>{t('desk.dev.lastSeen')}</th>
              </tr>
            </thead>
            <tbody>
              {list.map((d) => (
                <tr data-testid="device-row" data-device={d.deviceId} data-conflicts={d.conflicts} data-waiting={d.waiting}>
                  <td class="code">{d.deviceId.slice(0, 8)}</td>
                  <td>{d.displayName}</td>
                  <td class="num">{f.int(d.waiting)}</td>
                  <td class="num">
                    {d.conflicts > 0 ? (
                      <span class="badge badge-error" title={d.conflictCodes.map((c) => err(c)).join('\n')} data-testid="device-conflicts">
                        {f.int(d.conflicts)} · {d.conflictCodes.join(', ')}
                      </span>
                    ) : (
                      '0'
                    )}
                  </td>
                  <td>{ago(d.oldestWaitingAt, now, t)}</td>
                  <td title={f.stamp(d.lastSeenAt)}>{ago(d.lastSeenAt, now, t)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </div>
  );
}
