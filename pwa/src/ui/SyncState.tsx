import { useEffect, useRef, useState } from 'preact/hooks';
import { ClaimTaskDocument } from '../graphql/generated/graphql';
import { useI18n } from '../i18n';
import type { PendingMutation } from '../offline/db';
import { clearConflict, discard, groupOf } from '../offline/queue';
import { refreshOutboxCount, syncOutbox, syncStore } from '../offline/sync';
import { useStore } from '../store';
import { mutate } from './flow/mutate';
import './sync.css';

/**
 * The outbox as the person sees it, under the app bar of every screen:
 * changes waiting, being sent, or refused by the server (a conflict, with
 * the server's code and words, resolved here and nowhere silently).
 */
export function SyncStrip() {
  const { t } = useI18n();
  const s = useStore(syncStore);
  const [open, setOpen] = useState(false);
  const [justSent, setJustSent] = useState(false);
  const had = useRef(s.waiting);

  useEffect(() => {
    const before = had.current;
    had.current = s.waiting;
    if (before > 0 && s.waiting === 0) {
      setJustSent(true);
      const h = setTimeout(() => setJustSent(false), 4000);
      return () => clearTimeout(h);
    }
    return undefined;
  }, [s.waiting]);

  const conflicts = s.conflicts.length;
  let state: 'conflict' | 'syncing' | 'waiting' | 'sent' | null = null;
  if (conflicts) state = 'conflict';
  else if (s.syncing && s.waiting) state = 'syncing';
  else if (s.waiting) state = 'waiting';
  else if (justSent) state = 'sent';
  if (!state) return null;

  const text =
    state === 'conflict'
      ? t('sync.conflict', { n: conflicts })
      : state === 'syncing'
        ? t('sync.syncing', { n: s.waiting })
        : state === 'waiting'
          ? t('sync.waiting', { n: s.waiting })
          : t('sync.sent');
  return (
    <>
      <button
        type="button"
        class={`sync-strip sync-${state}`}
        data-testid="sync-state"
        data-state={state}
        data-waiting={s.waiting}
        aria-live="polite"
        onClick={() => setOpen(state === 'conflict' || state === 'waiting' ? !open : false)}
      >
        <span class="sync-dot" aria-hidden="true" />
        <span>{text}</span>
      </button>
      {open ? <SyncSheet close={() => setOpen(false)} /> : null}
    </>
  );
}

function SyncSheet({ close }: { close: () => void }) {
  const { t } = useI18n();
  const s = useStore(syncStore);
  const groups = new Map<string, PendingMutation[]>();
  for (const m of s.items) groups.set(groupOf(m), [...(groups.get(groupOf(m)) ?? []), m]);
  return (
    <div class="sync-sheet" role="dialog" aria-label={t('sync.title')} data-testid="sync-sheet">
      <div class="sync-sheet-head">
        <h2>{t('sync.title')}</h2>
        <button type="button" class="btn btn-ghost" onClick={close}>
          {t('app.dismiss')}
        </button>
      </div>
      {[...groups.entries()].map(([g, items]) =>
        items.some((m) => m.conflict) ? (
          <ConflictPanel key={g} items={items} taskId={g.startsWith('task:') ? g.slice(5) : undefined} />
        ) : (
          <ul key={g} class="sync-list">
            {items.map((m) => (
              <li key={m.idempotencyKey}>{m.summary ?? m.name}</li>
            ))}
          </ul>
        ),
      )}
    </div>
  );
}

const lineOf = (m: PendingMutation): unknown => (m.variables.input as Record<string, unknown> | undefined)?.lineId;

/**
 * One refused change and what waits behind it: the server's code and
 * message, and the person's choices. Trying again claims the task first when
 * the server said it is not held (a supervisor released it meanwhile).
 */
export function ConflictPanel({ items, taskId, onResolved }: { items: PendingMutation[]; taskId?: string; onResolved?: () => void }) {
  const { t, err } = useI18n();
  const [busy, setBusy] = useState(false);
  const [confirm, setConfirm] = useState<string[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const first = items.find((m) => m.conflict);
  if (!first?.conflict) return null;
  const c = first.conflict;
  const behind = items.filter((m) => m.createdAt > first.createdAt);
  const sameLine = lineOf(first) != null ? items.filter((m) => m.createdAt >= first.createdAt && lineOf(m) === lineOf(first)) : [first];
  const claimFirst = taskId != null && (c.code === 'INVALID_STATE' || c.code === 'TASK_NOT_CLAIMED');

  const done = async () => {
    await refreshOutboxCount();
    await syncOutbox();
    onResolved?.();
  };

  const retry = async () => {
    setBusy(true);
    setProblem(null);
    if (claimFirst && taskId) {
      const o = await mutate('claimTask', ClaimTaskDocument, { taskId }, { queueOffline: false });
      if (o.status !== 'ok') {
        setBusy(false);
        setProblem(o.status === 'refused' ? `${o.code} · ${o.message}` : err('code' in o ? o.code : 'NETWORK'));
        return;
      }
    }
    for (const m of items.filter((x) => x.conflict)) await clearConflict(m.idempotencyKey);
    await done();
    setBusy(false);
  };

  const drop = async (keys: string[]) => {
    setBusy(true);
    await discard(keys);
    setConfirm(null);
    await done();
    setBusy(false);
  };

  return (
    <section class="conflict" role="alert" data-testid="conflict" data-code={c.code}>
      <h3 class="conflict-title">{t('conflict.title')}</h3>
      <p class="conflict-what">{first.summary ?? first.name}</p>
      <p class="conflict-msg">
        <span class="conflict-code code" data-testid="conflict-code">
          {c.code}
        </span>{' '}
        <span data-testid="conflict-message">{c.message}</span>
      </p>
      {behind.length ? <p class="conflict-held">{t('conflict.held', { n: behind.length })}</p> : null}
      {problem ? <p class="notice notice-error">{problem}</p> : null}
      {confirm ? (
        <div class="conflict-actions">
          <p>{t('conflict.confirmDiscard', { n: confirm.length })}</p>
          <button type="button" class="btn btn-danger btn-block" disabled={busy} onClick={() => void drop(confirm)} data-testid="conflict-discard-yes">
            {t('conflict.yesDiscard')}
          </button>
          <button type="button" class="btn btn-ghost btn-block" disabled={busy} onClick={() => setConfirm(null)}>
            {t('conflict.keep')}
          </button>
        </div>
      ) : (
        <div class="conflict-actions">
          <button type="button" class="btn btn-primary btn-block" disabled={busy} onClick={() => void retry()} data-testid="conflict-retry">
            {claimFirst ? t('conflict.claimRetry') : t('conflict.retry')}
          </button>
          <button
            type="button"
            class="btn btn-secondary btn-block"
            disabled={busy}
            onClick={() => setConfirm(sameLine.map((m) => m.idempotencyKey))}
            data-testid="conflict-discard-line"
          >
            {sameLine.length > 1 ? t('conflict.discardLine', { n: sameLine.length }) : t('conflict.discardOne')}
          </button>
          {behind.length + 1 > sameLine.length ? (
            <button
              type="button"
              class="btn btn-ghost btn-block"
              disabled={busy}
              onClick={() => setConfirm([first, ...behind].map((m) => m.idempotencyKey))}
              data-testid="conflict-discard-all"
            >
              {t('conflict.discardAll', { n: behind.length + 1 })}
            </button>
          ) : null}
        </div>
      )}
    </section>
  );
}
