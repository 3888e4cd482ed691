import type { Task } from './logic';

/**
 * Warm the device copies of the person's tasks while the network is there,
 * so that after a reload without it the list still opens each task: the
 * pick's stops, the putaway's plan, the count's sheet are read now (each
 * flow's own loader keeps its copy, and leaves a copy alone while changes of
 * its task wait). Reads only; at most `WARM_LIMIT` tasks, most urgent first
 * (the list's order), one at a time so the floor's link is not flooded.
 * The loaders are imported on demand: a wedge-only first screen does not
 * download the flows.
 */

export const WARM_LIMIT = 20;

type Loader = (taskId: string) => Promise<unknown>;

const loaders: Record<string, () => Promise<Loader>> = {
  PICK: async () => (await import('../outbound/pickWork')).loadPick,
  PUTAWAY: async () => (await import('../inbound/offlinePutaway')).loadPutaway,
  COUNT: async () => (await import('../control/offlineCount')).loadCount,
};

/** Which tasks to warm: open or claimed, mine or nobody's, a kind with a device copy. */
export function toWarm(tasks: Task[], me: string, limit = WARM_LIMIT): Task[] {
  return tasks
    .filter((t) => t.kind in loaders && (t.assigneeId == null || t.assigneeId === me))
    .slice(0, limit);
}

/** What a task looked like when it was last warmed: warmed again when that changes. */
const stamp = (t: Task) => `${t.id}:${t.state}:${t.assigneeId ?? ''}`;
const warmed = new Set<string>();
let running: Promise<number> | null = null;

/** Read the copies of the tasks not warmed in their present state; how many were read. */
export function warmTasks(tasks: Task[], me: string): Promise<number> {
  running ??= (async () => {
    let n = 0;
    try {
      for (const t of toWarm(tasks, me)) {
        if (warmed.has(stamp(t)) || !navigator.onLine) continue;
        try {
          const load = await loaders[t.kind]();
          await load(t.id);
          warmed.add(stamp(t));
          n += 1;
        } catch {
          // A copy that cannot be read now is read when the task is opened.
        }
      }
    } finally {
      running = null;
    }
    return n;
  })();
  return running;
}

/** Forget what was warmed (sign-out: the next person's copies are theirs). */
export function forgetWarmed(): void {
  warmed.clear();
}
