import { gql } from '../../graphql/client';
import { PutawaySuggestionDocument, ScanPutawayDocument, type ScanPutawayMutation } from '../../graphql/generated/graphql';
import type { Success } from '../../ui/flow/mutate';
import type { PutawayPlan } from './types';

type ScanPutawaySuccess = Success<ScanPutawayMutation>;
import { readScan } from '../../offline/scan';
import { loadTaskCopy, saveTaskCopy, sendTaskChange, type CopyLoaded, type TaskChange } from '../../offline/taskCopy';

/**
 * Put away without the network. The device keeps the task's plan (item, lot,
 * quantity, the bins suggested when it was opened). Offline a bin scan is
 * checked the way the server reads it (a bin label, with its check
 * character; not a suggested bin needs a reason) and kept; where the stock
 * may go is the server's decision alone, taken when the change is replayed:
 * it lands if the bin can still take it, and a bin that no longer can comes
 * back as a conflict on the sync strip.
 */

export interface PutawayCopy extends PutawayPlan {
  /** The bin scanned on this device while offline, not yet judged by the server. */
  keptBin?: string | null;
}

const copyKey = (taskId: string) => `putaway:${taskId}`;

/**
 * Sent as the reason with a bin suggested on the device offline: the server
 * stores a reason only when the bin is not among its suggestions at replay,
 * and this one says why that could be (the plan was older than the scan).
 */
export const OFFLINE_SUGGESTED = 'Suggested on the device while offline';

export async function loadPutaway(taskId: string): Promise<CopyLoaded<PutawayCopy>> {
  return loadTaskCopy<PutawayCopy>(copyKey(taskId), taskId, async () => {
    const r = (await gql(PutawaySuggestionDocument, { taskId })).putawaySuggestion;
    return r.__typename === 'PutawayPlan' ? { ok: true, value: r } : { ok: false, code: r.code };
  });
}

const sameBin = (a: string, b: string) => a.replace(/-/g, '').toUpperCase() === b.replace(/-/g, '').toUpperCase();

/** The device's check of a bin scan, with the code the server would give; or the copy after it. */
export function putLocally(
  copy: PutawayCopy,
  binCode: string,
  reason: string | null,
): { ok: true; copy: PutawayCopy; reason: string | null } | { ok: false; code: string } {
  if (copy.remaining <= 0 || copy.keptBin) return { ok: false, code: 'INVALID_STATE' };
  const s = readScan(binCode);
  if (s.kind === 'error') return { ok: false, code: s.code === 'SCAN_NOT_READ_OFFLINE' ? 'SCAN_WRONG_KIND' : s.code };
  if (s.kind !== 'internal' || s.prefix !== 'BIN') return { ok: false, code: 'SCAN_WRONG_KIND' };
  const suggested = copy.suggestions.some((x) => sameBin(x.binCode, s.code));
  if (!suggested && !reason) return { ok: false, code: 'OVERRIDE_REASON_REQUIRED' };
  return {
    ok: true,
    copy: { ...copy, putAway: copy.quantity, remaining: 0, keptBin: s.code },
    reason: reason ?? OFFLINE_SUGGESTED,
  };
}

/** Put all that is left on `binCode`: now if the server can be reached, else kept on the device. */
export async function put(taskId: string, copy: PutawayCopy, binCode: string, reason: string | null): Promise<TaskChange<ScanPutawaySuccess>> {
  const local = putLocally(copy, binCode, reason);
  const r = await sendTaskChange<ScanPutawaySuccess>(
    taskId,
    'scanPutaway',
    ScanPutawayDocument.toString(),
    // Online the person's own words (or none); kept offline the device's reason goes along.
    { taskId, binCode, quantity: null, overrideReason: reason },
    {
      summary: `${copy.remaining} × ${copy.itemSku} → ${binCode}`,
      offline: local.ok ? { ok: true, key: copyKey(taskId), value: local.copy } : local,
      queuedInput: local.ok ? { taskId, binCode, quantity: null, overrideReason: local.reason } : undefined,
    },
  );
  if (r.status === 'ok') {
    const next: PutawayCopy = { ...copy, remaining: r.data.remaining, putAway: copy.quantity - r.data.remaining, suggestions: r.data.suggestions };
    await saveTaskCopy(copyKey(taskId), next);
  }
  return r;
}
