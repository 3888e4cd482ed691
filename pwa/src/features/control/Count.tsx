import { useEffect, useState } from 'preact/hooks';
import { useI18n } from '../../i18n';
import { FlowDone, FlowFrame, QtyPad, ScanPrompt, useFlowFeedback } from '../../ui/flow/Flow';
import type { TaskScreenProps } from '../tasks/screens';
import { keepDraft, loadCount, scanBinLocally, scanItemLocally, setQuantity, submit, type CountCopy } from './offlineCount';


/**
 * Blind count (COUNT tasks): scan the bin, scan the items (every scan counts
 * one; key the quantity of the last one instead when there are many), submit.
 * What the system expects is never shown. The count lives on the device as
 * it goes and its submission waits for the network if need be
 * (offlineCount.ts).
 */
export function CountScreen({ task, close }: TaskScreenProps) {
  const { t, err } = useI18n();
  const fb = useFlowFeedback();
  const [copy, setCopy] = useState<CountCopy | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [keying, setKeying] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [queued, setQueued] = useState(false);

  useEffect(() => {
    void loadCount(task.id).then((r) => {
      if (r.ok) {
        setCopy(r.value);
        setQueued(r.fromDevice && r.value.submitted);
      } else setLoadError(err(r.code));
    });
  }, [task.id]);

  /** Every step is written to the device before the screen moves on. */
  const keep = (next: CountCopy) => {
    setCopy(next);
    void keepDraft(task.id, next);
  };

  const scanBin = (code: string) => {
    if (!copy) return;
    const r = scanBinLocally(copy, code);
    if (!r.ok) {
      fb.errorCode(r.code, { scanned: code, expected: copy.sheet.binLabel });
      return;
    }
    fb.ok();
    keep(r.copy);
  };

  const scanItem = (code: string) => {
    if (!copy) return;
    const r = scanItemLocally(copy, code);
    if (!r.ok) {
      fb.errorCode(r.code, { scanned: code });
      return;
    }
    fb.ok(t('count.scanned', { code }));
    keep(r.copy);
  };

  const send = async () => {
    if (busy || !copy) return;
    setBusy(true);
    const o = await submit(task.id, copy);
    setBusy(false);
    if (!fb.outcome(o)) return;
    setQueued(o.status === 'queued');
    setCopy({ ...copy, submitted: true });
  };

  if (loadError) return <p class="notice notice-error" role="alert">{loadError}</p>;
  if (!copy) return <p class="muted center">{t('app.loading')}</p>;
  if (copy.submitted) {
    return (
      <>
        {queued ? (
          <p class="notice notice-muted" role="status" data-testid="count-kept">
            {t('count.keptOnDevice')}
          </p>
        ) : null}
        <FlowDone text={t('count.submitted')} onClose={close} />
      </>
    );
  }

  const sheet = copy.sheet;
  if (!copy.inBin) {
    return (
      <FlowFrame message={fb.message}>
        <ScanPrompt thing="bin" expected={sheet.binLabel} onScan={scanBin} />
      </FlowFrame>
    );
  }

  if (keying) {
    const current = copy.counted.find((c) => c.code === keying)?.quantity ?? 0;
    return (
      <FlowFrame message={fb.message}>
        <section class="flow-prompt">
          <h2 class="flow-prompt-title">{t('count.howMany')}</h2>
          <p class="code">{keying}</p>
        </section>
        <QtyPad
          expected={current}
          max={999_999}
          onConfirm={(n) => {
            keep(setQuantity(copy, keying, n));
            setKeying(null);
          }}
        />
      </FlowFrame>
    );
  }

  return (
    <FlowFrame
      message={fb.message}
      actions={
        <div class="flow-actions">
          <button type="button" class="btn btn-primary" disabled={busy} onClick={send} data-testid="submit-count">
            {copy.counted.length === 0 ? t('count.submitEmpty') : t('count.submit')}
          </button>
        </div>
      }
    >
      <ScanPrompt thing="item" onScan={scanItem} disabled={busy} detail={<span class="muted">{sheet.binLabel}</span>} />
      {copy.counted.length > 0 ? (
        <ul class="task-list" data-testid="counted">
          {copy.counted.map((c) => (
            <li>
              <button type="button" class="btn btn-secondary btn-block" onClick={() => setKeying(c.code)}>
                <span class="code">{c.code}</span>
                <b>× {c.quantity}</b>
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </FlowFrame>
  );
}
