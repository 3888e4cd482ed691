import { useEffect, useState } from 'preact/hooks';
import { gqlText } from '../../graphql/client';
import { useI18n } from '../../i18n';
import { FlowMessageView, useFlowFeedback } from '../../ui/flow/Flow';
import { mutateText } from '../../ui/flow/mutate';
import { failureCode, formats, labelOf } from '../desk/common';
import type { SectionProps } from '../desk-office/section';
import { useLatest } from '../desk-office/latest';
import { nodes } from '../desk-office/ops';
import { historyOf, isPrimary, itemKey, kindCounts, splitActions } from './logic';
import { ACTIONS, HISTORY, INBOX, type DeskException, type ExceptionKind, type HistoryData, type HistoryEntry, type InboxData } from './ops';
import './inbox.css';

/**
 * Everything waiting for a decision, in one list: filtered by kind (with each kind's
 * count) and by the desk's warehouse; an item opens its detail with its history and the
 * decisions the role may take, run through the same mutations as the other sections.
 */
export function Inbox({ warehouseId, onDecided }: SectionProps) {
  const { t, err, locale } = useI18n();
  const f = formats(locale);
  const fb = useFlowFeedback();
  const [kind, setKind] = useState<ExceptionKind | ''>('');
  const [data, setData] = useState<InboxData['exceptionInbox'] | null>(null);
  const [allCounts, setAllCounts] = useState<InboxData['exceptionInbox']['counts']>([]);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [open, setOpen] = useState<DeskException | null>(null);

  const latest = useLatest();
  const load = async () => {
    const live = latest();
    setLoadError(null);
    try {
      const d = await gqlText<InboxData>(INBOX, { kinds: kind ? [kind] : null, warehouseId });
      if (!live()) return;
      setData(d.exceptionInbox);
      // The kind list keeps every kind's count while one kind is shown.
      if (!kind) setAllCounts(d.exceptionInbox.counts);
      else setAllCounts((prev) => prev.map((c) => d.exceptionInbox.counts.find((x) => x.kind === c.kind) ?? c));
    } catch (e) {
      setLoadError(failureCode(e));
    }
  };
  useEffect(() => {
    setData(null);
    void load();
  }, [kind, warehouseId]);

  const decided = (message: string) => {
    fb.ok(message);
    setOpen(null);
    onDecided();
    void load();
  };

  const counts = kindCounts(allCounts);
  return (
    <div class="stack">
      <div class="desk-filters">
        <label class="field desk-field">
          {t('inbox.kind')}
          <select class="input" data-testid="inbox-kind" value={kind} onChange={(e) => setKind((e.target as HTMLSelectElement).value as ExceptionKind | '')}>
            <option value="">{t('inbox.allKinds')}</option>
            {counts.map((c) => (
              <option value={c.kind}>{`${t(`inbox.kind.${c.kind}`)} (${c.count})`}</option>
            ))}
          </select>
        </label>
        <button type="button" class="btn btn-secondary btn-small" onClick={() => void load()}>
          {t('desk.refresh')}
        </button>
        {data ? (
          <p class="office-total" data-testid="inbox-total">
            {t('inbox.total', { n: f.int(data.total) })}
          </p>
        ) : null}
      </div>
      <ul class="inbox-chips" aria-label={t('inbox.kind')}>
        {counts
          .filter((c) => c.count > 0)
          .map((c) => (
            <li>
              <button type="button" class={`chip inbox-chip${kind === c.kind ? ' is-on' : ''}`} data-testid={`inbox-chip-${c.kind}`} onClick={() => setKind(kind === c.kind ? '' : c.kind)}>
                {t(`inbox.kind.${c.kind}`)} <strong class="inbox-chip-n">{f.int(c.count)}</strong>
              </button>
            </li>
          ))}
      </ul>
      <FlowMessageView message={fb.message} />
      {loadError ? <p class="alert alert-error">{err(loadError)}</p> : null}
      {data === null && !loadError ? <p class="muted">{t('desk.loading')}</p> : null}
      {data !== null && data.items.length === 0 ? <p class="muted">{t('inbox.none')}</p> : null}
      <div class={open ? 'office-two inbox-two' : ''}>
        {data && data.items.length > 0 ? (
          <div class="card desk-card desk-table-wrap">
            <table class="desk-table" data-testid="inbox">
              <thead>
                <tr>
                  {kind ? null : <th scope="col">{t('inbox.kind')}</th>}
                  <th scope="col">{t('inbox.what')}</th>
                  <th scope="col">{t('office.bin')}</th>
                  <th scope="col">{t('office.item')}</th>
                  <th scope="col">{t('inbox.by')}</th>
                  <th scope="col">{t('inbox.raised')}</th>
                </tr>
              </thead>
              <tbody>
                {data.items.map((i) => (
                  <tr
                    data-testid="inbox-row"
                    data-kind={i.kind}
                    data-id={i.id}
                    class={open && itemKey(open) === itemKey(i) ? 'is-open inbox-row' : 'inbox-row'}
                    tabIndex={0}
                    onClick={() => setOpen(i)}
                    onKeyDown={(e) => (e.key === 'Enter' ? setOpen(i) : undefined)}
                  >
                    {kind ? null : <td class="nowrap">{t(`inbox.kind.${i.kind}`)}</td>}
                    <td>{i.title}</td>
                    <td class="code">{i.binCode ?? '—'}</td>
                    <td class="code">{i.itemSku ?? '—'}</td>
                    <td>{i.raisedByName ?? '—'}</td>
                    <td class="nowrap">{f.stamp(i.raisedAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
        {open ? <Detail key={itemKey(open)} item={open} onClose={() => setOpen(null)} onDecided={decided} fb={fb} /> : null}
      </div>
    </div>
  );
}

function Detail({ item, onClose, onDecided, fb }: { item: DeskException; onClose: () => void; onDecided: (message: string) => void; fb: ReturnType<typeof useFlowFeedback> }) {
  const { t, err, locale } = useI18n();
  const f = formats(locale);
  const [history, setHistory] = useState<HistoryEntry[] | null>(null);
  const [historyError, setHistoryError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const source = historyOf(item);

  useEffect(() => {
    if (!source) return;
    gqlText<HistoryData>(HISTORY, source)
      .then((d) => setHistory(nodes(d.auditEntries)))
      .catch((e) => setHistoryError(failureCode(e)));
  }, []);

  const run = async (name: string) => {
    const def = ACTIONS[name];
    setBusy(true);
    fb.clear();
    const out = await mutateText<unknown>(name, def.query, def.input(item), { queueOffline: false });
    setBusy(false);
    if (!fb.outcome(out) || out.status !== 'ok') return;
    onDecided(t('inbox.done', { action: labelOf(locale, 'inbox.action', name), title: item.title }));
  };

  const { here, elsewhere } = splitActions(item);
  return (
    <section class="card desk-card stack inbox-detail" data-testid="inbox-detail" data-kind={item.kind} data-id={item.id} aria-label={item.title}>
      <div class="office-row">
        <h3 class="office-h">{t(`inbox.kind.${item.kind}`)}</h3>
        <button type="button" class="btn btn-secondary btn-small" onClick={onClose}>
          {t('inbox.close')}
        </button>
      </div>
      <p class="inbox-title">{item.title}</p>
      <dl class="inbox-facts">
        {item.binCode ? (
          <>
            <dt>{t('office.bin')}</dt>
            <dd class="code">{item.binCode}</dd>
          </>
        ) : null}
        {item.itemSku ? (
          <>
            <dt>{t('office.item')}</dt>
            <dd class="code">{item.itemSku}</dd>
          </>
        ) : null}
        {item.quantity !== null ? (
          <>
            <dt>{t('office.quantity')}</dt>
            <dd>{f.int(item.quantity)}</dd>
          </>
        ) : null}
        {item.reference ? (
          <>
            <dt>{t('inbox.reference')}</dt>
            <dd>{item.reference}</dd>
          </>
        ) : null}
        {item.raisedByName ? (
          <>
            <dt>{t('inbox.by')}</dt>
            <dd>{item.raisedByName}</dd>
          </>
        ) : null}
        <dt>{t('inbox.raised')}</dt>
        <dd>{f.stamp(item.raisedAt)}</dd>
      </dl>
      {here.length > 0 ? (
        <div class="office-actions">
          {[...here.filter(isPrimary), ...here.filter((a) => !isPrimary(a))].map((a) => (
            <button type="button" class={`btn btn-small ${isPrimary(a) ? 'btn-primary' : 'btn-secondary'}`} disabled={busy} data-testid={`inbox-act-${a}`} onClick={() => void run(a)}>
              {labelOf(locale, 'inbox.action', a)}
            </button>
          ))}
        </div>
      ) : (
        <p class="muted">{t('inbox.noActions')}</p>
      )}
      {elsewhere.length > 0 ? <p class="muted desk-sub">{t('inbox.elsewhere', { actions: elsewhere.map((a) => labelOf(locale, 'inbox.action', a)).join(', ') })}</p> : null}
      <h4 class="office-h">{t('inbox.history')}</h4>
      {!source ? <p class="muted">{t('inbox.noHistory')}</p> : null}
      {historyError ? <p class="alert alert-error">{err(historyError)}</p> : null}
      {history ? (
        <ol class="inbox-history" data-testid="inbox-history">
          {[...history].reverse().map((h) => (
            <li data-action={h.action}>
              <span class="nowrap">{f.stamp(h.at)}</span> · <strong>{h.action}</strong> · {h.userName ?? t('office.audit.system')}
              {h.deviceId ? <span class="muted code"> · {h.deviceId.slice(0, 8)}</span> : null}
            </li>
          ))}
        </ol>
      ) : null}
    </section>
  );
}
