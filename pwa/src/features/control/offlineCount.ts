import { gql } from '../../graphql/client';
import { CountSheetDocument, SubmitCountDocument, type CountSheetQuery } from '../../graphql/generated/graphql';

export type CountSheet = Extract<CountSheetQuery['countTaskSheet'], { __typename: 'CountSheet' }>;
import { kvGet } from '../../offline/db';
import { readScan } from '../../offline/scan';
import { loadTaskCopy, saveTaskCopy, sendTaskChange, type CopyLoaded, type TaskChange } from '../../offline/taskCopy';

/**
 * A blind count without the network. The device keeps the count sheet and
 * the count as it goes (bin scanned, each item and how many), written on
 * every scan so a reload or a flat battery loses nothing; the submission
 * waits in the outbox with its idempotency key until the server can take
 * it. The server compares with its book then: variances, recounts and
 * approvals are its decisions.
 */

export interface Counted {
  code: string;
  quantity: number;
}

export interface CountCopy {
  sheet: CountSheet;
  inBin: boolean;
  counted: Counted[];
  /** Submitted on this device (sent, or waiting in the outbox). */
  submitted: boolean;
}

const copyKey = (taskId: string) => `count:${taskId}`;

export async function loadCount(taskId: string): Promise<CopyLoaded<CountCopy>> {
  const draft = await kvGet<CountCopy>(copyKey(taskId)).catch(() => undefined);
  return loadTaskCopy<CountCopy>(copyKey(taskId), taskId, async () => {
    const r = (await gql(CountSheetDocument, { taskId })).countTaskSheet;
    if (r.__typename !== 'CountSheet') return { ok: false, code: r.code };
    const sheet = r;
    // The count so far stays: the sheet is the server's, the counting is the person's.
    const kept = draft && !draft.submitted ? draft : null;
    return { ok: true, value: { sheet, inBin: kept?.inBin ?? false, counted: kept?.counted ?? [], submitted: false } };
  });
}

export async function keepDraft(taskId: string, copy: CountCopy): Promise<void> {
  await saveTaskCopy(copyKey(taskId), copy);
}

/** The device's check of the bin scan, with the server's codes. */
export function scanBinLocally(copy: CountCopy, code: string): { ok: true; copy: CountCopy } | { ok: false; code: string } {
  const s = readScan(code);
  if (s.kind === 'error' && s.code !== 'SCAN_NOT_READ_OFFLINE') return { ok: false, code: s.code };
  if (s.kind !== 'internal' || s.prefix !== 'BIN') return { ok: false, code: 'SCAN_WRONG_KIND' };
  if (s.code.replace(/-/g, '') !== copy.sheet.binCode.toUpperCase().replace(/-/g, '')) return { ok: false, code: 'WRONG_BIN' };
  return { ok: true, copy: { ...copy, inBin: true } };
}

/** One more of the scanned article (a code the device can tell is broken is refused, as the server would). */
export function scanItemLocally(copy: CountCopy, code: string): { ok: true; copy: CountCopy } | { ok: false; code: string } {
  const s = readScan(code);
  if (s.kind === 'error' && s.code !== 'SCAN_NOT_READ_OFFLINE') return { ok: false, code: s.code };
  if (s.kind === 'internal') return { ok: false, code: 'SCAN_WRONG_KIND' };
  const i = copy.counted.findIndex((c) => c.code === code);
  const counted = i < 0 ? [...copy.counted, { code, quantity: 1 }] : copy.counted.map((c, j) => (j === i ? { code, quantity: c.quantity + 1 } : c));
  return { ok: true, copy: { ...copy, counted } };
}

export function setQuantity(copy: CountCopy, code: string, quantity: number): CountCopy {
  return { ...copy, counted: copy.counted.map((c) => (c.code === code ? { ...c, quantity } : c)) };
}

export async function submit(taskId: string, copy: CountCopy): Promise<TaskChange<{ countId: string }>> {
  const lines = copy.counted.filter((c) => c.quantity > 0).map((c) => ({ itemCode: c.code, quantity: c.quantity }));
  const done: CountCopy = { ...copy, submitted: true };
  const r = await sendTaskChange<{ countId: string }>(
    taskId,
    'submitCount',
    SubmitCountDocument.toString(),
    { taskId, lines },
    {
      summary: `count ${copy.sheet.binLabel}: ${lines.map((l) => `${l.quantity} × ${l.itemCode}`).join(', ') || 'empty'}`,
      offline: { ok: true, key: copyKey(taskId), value: done },
    },
  );
  if (r.status === 'ok') await saveTaskCopy(copyKey(taskId), done);
  return r;
}
