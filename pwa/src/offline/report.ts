import { gqlText } from '../graphql/client';
import type { PendingMutation } from './db';
import { syncStore } from './sync';

/**
 * The device tells the server what its outbox holds (waiting, refused, since
 * when) so a supervisor can see work that has not landed. Sent when the
 * outbox changes after a sync run and now and then while online; never
 * queued (a report is the state now, an old one is worth nothing).
 */

export const REPORT_DEVICE_SYNC = `mutation ReportDeviceSync($input: ReportDeviceSyncInput!) {
  reportDeviceSync(input: $input) { __typename ... on UserError { code message field } }
}`;

export interface DeviceReport {
  waiting: number;
  conflicts: number;
  conflictCodes: string[];
  oldestWaitingAt: string | null;
  appVersion: string;
}

const VERSION = typeof __APP_VERSION__ === 'string' ? __APP_VERSION__ : '';

export function reportOf(items: PendingMutation[]): DeviceReport {
  const conflicts = items.filter((m) => m.conflict);
  const oldest = items.reduce<number | null>((min, m) => (min == null || m.createdAt < min ? m.createdAt : min), null);
  return {
    waiting: items.length,
    conflicts: conflicts.length,
    conflictCodes: [...new Set(conflicts.map((m) => (m.conflict as { code: string }).code))].sort(),
    oldestWaitingAt: oldest == null ? null : new Date(oldest).toISOString(),
    appVersion: VERSION,
  };
}

/** Same outbox as last told (the time of the oldest change included)? */
export const sameReport = (a: DeviceReport | null, b: DeviceReport): boolean =>
  !!a && a.waiting === b.waiting && a.conflicts === b.conflicts && a.oldestWaitingAt === b.oldestWaitingAt && a.conflictCodes.join() === b.conflictCodes.join();

/** A device that is still there says so this often even when nothing changed. */
export const HEARTBEAT_MS = 5 * 60_000;
const CHECK_MS = 30_000;

export function startDeviceReports(): () => void {
  let last: DeviceReport | null = null;
  let lastAt = 0;
  let sending = false;
  let stopped = false;

  const maybeReport = async () => {
    if (stopped || sending || (typeof navigator !== 'undefined' && !navigator.onLine)) return;
    const s = syncStore.get();
    if (s.syncing) return;
    const now = reportOf(s.items);
    if (sameReport(last, now) && Date.now() - lastAt < HEARTBEAT_MS) return;
    sending = true;
    try {
      await gqlText(REPORT_DEVICE_SYNC, { input: now });
      last = now;
      lastAt = Date.now();
    } catch {
      // Offline again or signed out: the next run or check tries again.
    } finally {
      sending = false;
    }
  };

  let runs = syncStore.get().runs;
  const unsubscribe = syncStore.subscribe((s) => {
    if (s.runs !== runs) {
      runs = s.runs;
      void maybeReport();
    }
  });
  const timer = setInterval(() => void maybeReport(), CHECK_MS);
  void maybeReport();
  return () => {
    stopped = true;
    unsubscribe();
    clearInterval(timer);
  };
}
