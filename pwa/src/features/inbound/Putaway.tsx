import { useEffect, useState } from 'preact/hooks';
import { useI18n } from '../../i18n';
import { FlowDone, FlowFrame, FlowProgress, ScanPrompt, useFlowFeedback } from '../../ui/flow/Flow';
import { sameCode } from '../../ui/flow/logic';
import { reasonText } from '../../ui/flow/reasons';
import type { TaskScreenProps } from '../tasks/screens';
import { loadPutaway, put as putAway, type PutawayCopy } from './offlinePutaway';

/**
 * Put away: the suggested bin, big, with the reasons it was chosen; scan it
 * to confirm. Scanning another bin asks for a reason (the server checks the
 * bin can take the stock). Without a network the scan is checked on the
 * device and kept (offlinePutaway.ts); whether the bin takes the stock is
 * settled by the server when it is sent.
 */
export function PutawayScreen({ task, close }: TaskScreenProps) {
  const { t, err } = useI18n();
  const fb = useFlowFeedback();
  const [plan, setPlan] = useState<PutawayCopy | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [override, setOverride] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);

  const load = async () => {
    const r = await loadPutaway(task.id);
    if (r.ok) {
      setPlan(r.value);
      if (r.value.keptBin) setDone(true);
    } else setLoadError(err(r.code));
  };
  useEffect(() => {
    void load();
  }, [task.id]);

  const put = async (binCode: string, reason: string | null) => {
    if (!plan || busy) return;
    setBusy(true);
    const o = await putAway(task.id, plan, binCode, reason);
    setBusy(false);
    if (o.status === 'refused' && o.code === 'OVERRIDE_REASON_REQUIRED') {
      fb.refused(o);
      setOverride(binCode);
      return;
    }
    if (!fb.outcome(o)) return;
    setOverride(null);
    if (o.status === 'queued') {
      setPlan({ ...plan, keptBin: binCode, putAway: plan.quantity, remaining: 0 });
      setDone(true);
      return;
    }
    if (o.data.taskDone || o.data.remaining <= 0) {
      fb.ok(t('putaway.putInto', { n: o.data.quantity, bin: o.data.binCode }));
      setDone(true);
      return;
    }
    fb.ok(t('putaway.putInto', { n: o.data.quantity, bin: o.data.binCode }));
    setPlan({ ...plan, remaining: o.data.remaining, putAway: plan.quantity - o.data.remaining, suggestions: o.data.suggestions });
  };

  const onScan = (code: string) => {
    if (!plan) return;
    const best = plan.suggestions[0];
    if (best && !sameCode(code, best.binCode) && !plan.suggestions.some((s) => sameCode(code, s.binCode))) {
      // Not a suggested bin: the worker says why before it is sent.
      fb.error(t('putaway.notSuggested'));
      setOverride(code);
      return;
    }
    void put(code, null);
  };

  if (done) {
    return (
      <>
        {plan?.keptBin ? (
          <p class="notice notice-muted" role="status" data-testid="settled-on-sync">
            {t('putaway.settledOnSync', { n: plan.quantity, sku: plan.itemSku, bin: plan.keptBin })}
          </p>
        ) : null}
        <FlowDone onClose={close} />
      </>
    );
  }
  if (loadError) return <p class="notice notice-error" role="alert">{loadError}</p>;
  if (!plan) return <p class="muted center">{t('app.loading')}</p>;

  const best = plan.suggestions[0];
  return (
    <FlowFrame
      message={fb.message}
      progress={<FlowProgress units={{ done: plan.putAway, total: plan.quantity }} />}
    >
      {override ? (
        <OverrideReason
          bin={override}
          busy={busy}
          onReason={(reason) => void put(override, reason)}
          onCancel={() => {
            setOverride(null);
            fb.clear();
          }}
        />
      ) : (
        <ScanPrompt
          thing="bin"
          expected={best?.binCode ?? null}
          onScan={onScan}
          disabled={busy}
          detail={
            <>
              <span class="big">
                {plan.remaining} × {plan.itemSku}
              </span>
              <span>{plan.itemName}</span>
              {plan.lotNumber ? <span>{t('putaway.lot', { lot: plan.lotNumber })}</span> : null}
              <span class="muted">{t('putaway.from', { bin: plan.fromBinCode })}</span>
            </>
          }
        />
      )}
      {plan.suggestions.length > 0 ? (
        <section class="card flow-reasons" data-testid="suggestions">
          <h3>{t('putaway.why')}</h3>
          <ol>
            {plan.suggestions.slice(0, 3).map((s) => (
              <li>
                <span class="code">{s.binCode}</span>
                <ul>
                  {s.reasons.map((r) => (
                    <li>{reasonText(r, t)}</li>
                  ))}
                </ul>
              </li>
            ))}
          </ol>
        </section>
      ) : (
        <p class="notice notice-muted">{t('putaway.noSuggestion')}</p>
      )}
    </FlowFrame>
  );
}

const REASONS = ['putaway.reason.full', 'putaway.reason.blocked', 'putaway.reason.closer', 'putaway.reason.damaged'] as const;

function OverrideReason({ bin, busy, onReason, onCancel }: { bin: string; busy: boolean; onReason: (r: string) => void; onCancel: () => void }) {
  const { t } = useI18n();
  return (
    <section class="flow-sheet" data-testid="override">
      <h2 class="flow-sheet-title">{t('putaway.overrideTitle', { bin })}</h2>
      {REASONS.map((key) => (
        <button type="button" class="btn btn-secondary btn-block btn-lg" disabled={busy} onClick={() => onReason(t(key))}>
          {t(key)}
        </button>
      ))}
      <button type="button" class="btn btn-ghost btn-block" onClick={onCancel}>
        {t('flow.cancel')}
      </button>
    </section>
  );
}
