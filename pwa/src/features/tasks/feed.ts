import type { Client } from 'graphql-ws';
import { cue } from '../../feedback';
import { AuthError, NetworkError, gql } from '../../graphql/client';
import { MyTasksDocument, TasksDocument, type TasksSubscription } from '../../graphql/generated/graphql';
import { createWsClient, type LinkStatus } from '../../graphql/ws';
import { kvGet, kvSet } from '../../offline/db';
import type { Session } from '../../offline/session';
import { startDeviceReports } from '../../offline/report';
import { outboxCount, refreshOutboxCount, syncOutbox } from '../../offline/sync';
import { createStore } from '../../store';
import { applyTaskEvent, byUrgency, mergeFetched, type Task, type TaskEvent } from './logic';
import { forgetWarmed, warmTasks } from './warm';

export interface FeedState {
  tasks: Task[];
  /** At least one answer (server or saved copy) has arrived. */
  loaded: boolean;
  /** The list shown is the copy saved on this device, not a fresh answer. */
  fromCache: boolean;
  loadError: boolean;
  link: LinkStatus;
  /** Ids of tasks that just arrived (highlighted for a moment). */
  fresh: string[];
}

const initial: FeedState = {
  tasks: [],
  loaded: false,
  fromCache: false,
  loadError: false,
  link: 'connecting',
  fresh: [],
};

export const feedStore = createStore<FeedState>(initial);

const FRESH_MS = 4000;
let activeRefetch: (() => Promise<void>) | null = null;

/**
 * The live task list of the signed-in user: `myTasks` once and after every
 * reconnect, `taskEvents` in between, a copy saved for offline start-up.
 */
/** How often a non-empty outbox is tried again while the device says it is online. */
const OUTBOX_POLL_MS = 10_000;

export function startTaskFeed(session: Session, onAuthRejected: () => void): () => void {
  const me = session.user.id;
  const cacheKey = `tasks:${me}`;
  let stopped = false;
  let client: Client | null = null;
  let unsubscribe: (() => void) | null = null;
  let inFlight: TaskEvent[] | null = null;
  let fetchSeq = 0;
  const timers = new Set<ReturnType<typeof setTimeout>>();

  feedStore.set({ ...initial, link: navigator.onLine ? 'connecting' : 'offline' });

  const update = (patch: Partial<FeedState>) => {
    if (!stopped) feedStore.set((s) => ({ ...s, ...patch }));
  };

  const save = (tasks: Task[]) => {
    void kvSet(cacheKey, tasks).catch(() => {});
  };

  const later = (fn: () => void, ms: number) => {
    const h = setTimeout(() => {
      timers.delete(h);
      if (!stopped) fn();
    }, ms);
    timers.add(h);
  };

  // Saved copy first, so the list is there at once (and offline). A failed
  // fetch waits for it too: offline, the fetch can fail before IndexedDB has
  // answered, and the list must not then say "0 open · could not load".
  const savedCopy: Promise<Task[] | undefined> = kvGet<Task[]>(cacheKey).catch(() => undefined);
  void savedCopy.then((saved) => {
    if (stopped || !saved || (feedStore.get().loaded && !feedStore.get().loadError)) return;
    update({ tasks: saved, loaded: true, fromCache: true, loadError: false });
  });

  const refetch = async () => {
    const seq = ++fetchSeq;
    inFlight = [];
    try {
      const data = await gql(MyTasksDocument, {});
      if (stopped || seq !== fetchSeq) return;
      const tasks = mergeFetched(
        data.myTasks.edges.map((e) => e.node).sort(byUrgency),
        inFlight,
        me,
      );
      inFlight = null;
      update({ tasks, loaded: true, fromCache: false, loadError: false });
      save(tasks);
      // While the link is there, the tasks' own copies too: a reload offline opens them.
      void warmTasks(tasks, me);
    } catch (err) {
      if (stopped || seq !== fetchSeq) return;
      inFlight = null;
      if (err instanceof AuthError) return; // the session is being closed
      const saved = await savedCopy;
      if (stopped || seq !== fetchSeq) return;
      const offline = err instanceof NetworkError;
      if (offline && saved && (!feedStore.get().loaded || feedStore.get().fromCache)) {
        update({ tasks: saved, loaded: true, fromCache: true, loadError: false });
        return;
      }
      update({ loadError: !offline || !feedStore.get().loaded, loaded: true });
    }
  };

  const onEvent = (ev: TaskEvent) => {
    if (inFlight) inFlight.push(ev);
    const s = feedStore.get();
    const { tasks, added } = applyTaskEvent(s.tasks, ev, me);
    if (tasks === s.tasks) return;
    update({ tasks, fresh: added ? [...s.fresh, added.id] : s.fresh });
    save(tasks);
    if (added) {
      cue('notify');
      later(() => update({ fresh: feedStore.get().fresh.filter((id) => id !== added.id) }), FRESH_MS);
    }
  };

  const subscribe = () => {
    if (!client || stopped) return;
    unsubscribe = client.subscribe<TasksSubscription>(
      { query: TasksDocument.toString() },
      {
        next: (msg) => {
          if (msg.data?.taskEvents) onEvent(msg.data.taskEvents);
        },
        error: () => {
          // The server refused the subscription (not a dropped socket, which
          // graphql-ws retries by itself): try again a little later.
          unsubscribe = null;
          later(subscribe, 5000);
        },
        complete: () => {
          unsubscribe = null;
        },
      },
    );
  };

  client = createWsClient({
    token: () => session.token,
    onStatus: (link) => update({ link: navigator.onLine ? link : 'offline' }),
    onAuthRejected,
    onConnected: () => {
      // Queued changes first, so the fresh list already reflects them.
      void syncOutbox().finally(refetch);
    },
  });
  subscribe();
  void refreshOutboxCount();
  activeRefetch = refetch;
  void refetch();

  const goneOffline = () => update({ link: 'offline' });
  const backOnline = () => {
    update({ link: 'reconnecting' });
    // The socket (whose reconnect also sends the outbox) may never have dropped.
    void syncOutbox();
    void refetch();
  };
  window.addEventListener('offline', goneOffline);
  window.addEventListener('online', backOnline);
  // Neither event is guaranteed (a socket that never dropped, an "online" the
  // browser did not announce, a first request after Wi-Fi returns that fails):
  // while anything waits, try again now and then.
  const outboxPoll = setInterval(() => {
    if (outboxCount.get() > 0 && navigator.onLine) void syncOutbox();
  }, OUTBOX_POLL_MS);
  // Supervisors see which devices hold unsent work: this one says what it holds.
  const stopReports = startDeviceReports();

  return () => {
    stopped = true;
    stopReports();
    if (activeRefetch === refetch) activeRefetch = null;
    timers.forEach(clearTimeout);
    window.removeEventListener('offline', goneOffline);
    window.removeEventListener('online', backOnline);
    clearInterval(outboxPoll);
    unsubscribe?.();
    void client?.dispose();
    feedStore.set(initial);
    forgetWarmed();
  };
}

/** Ask the running feed for a fresh list (it also refetches after every reconnect). */
export function refreshTasks(): void {
  void activeRefetch?.();
}
