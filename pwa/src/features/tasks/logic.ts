import type { TaskFieldsFragment, TasksSubscription } from '../../graphql/generated/graphql';

/** A task as the list shows it (fragment TaskFields, operations.graphql). */
export type Task = TaskFieldsFragment;
/** One pushed change: CREATED, CLAIMED, RELEASED, DONE, CANCELLED. */
export type TaskEvent = TasksSubscription['taskEvents'];

/** States after which a task leaves the worker's list. */
const TERMINAL_STATES = new Set(['DONE', 'CANCELLED', 'CANCELED', 'COMPLETED', 'FINISHED', 'CLOSED', 'FAILED']);
const TERMINAL_EVENT = /CANCEL|DONE|FINISH|COMPLET|DELET|REMOV|CLOSE/;

export function leavesList(ev: TaskEvent, myUserId: string): boolean {
  const { task } = ev;
  if (TERMINAL_STATES.has(task.state.toUpperCase())) return true;
  if (TERMINAL_EVENT.test(ev.change.toUpperCase())) return true;
  // Claimed by someone else: no longer mine to do.
  return task.assigneeId != null && task.assigneeId !== myUserId;
}

export interface Applied {
  tasks: Task[];
  /** The task was not in the list before this event. */
  added: Task | null;
}

/** Apply one pushed event: new tasks go on top, changes replace in place, finished ones leave. */
export function applyTaskEvent(tasks: Task[], ev: TaskEvent, myUserId: string): Applied {
  const i = tasks.findIndex((t) => t.id === ev.task.id);
  if (leavesList(ev, myUserId)) {
    return { tasks: i < 0 ? tasks : tasks.filter((_, j) => j !== i), added: null };
  }
  if (i >= 0) {
    const next = tasks.slice();
    next[i] = { ...tasks[i], ...ev.task };
    return { tasks: next, added: null };
  }
  return { tasks: [ev.task, ...tasks], added: ev.task };
}

/** Most urgent first (priority 1 before 9), then oldest first. */
export function byUrgency(a: Task, b: Task): number {
  return a.priority - b.priority || a.createdAt.localeCompare(b.createdAt) || Number(a.id) - Number(b.id);
}

/** A fetched list, then the events that arrived while it was in flight. */
export function mergeFetched(fetched: Task[], lateEvents: TaskEvent[], myUserId: string): Task[] {
  return lateEvents.reduce((list, ev) => applyTaskEvent(list, ev, myUserId).tasks, fetched);
}

export type PriorityBand = 'urgent' | 'high' | 'normal' | 'low';

/**
 * Priority as a band. The API gives 1 (most urgent) to 9, default 5; bands
 * keep the badge readable at a glance.
 */
export function priorityBand(priority: number): PriorityBand {
  if (priority <= 1) return 'urgent';
  if (priority <= 3) return 'high';
  if (priority >= 7) return 'low';
  return 'normal';
}
