import { useEffect, useState } from 'preact/hooks';
import { CountSheetDocument, SubmitCountDocument, type CountSheetQuery } from '../../graphql/generated/graphql';
import { gql } from '../../graphql/client';
import { useI18n } from '../../i18n';
import { FlowDone, FlowFrame, QtyPad, ScanPrompt, useFlowFeedback } from '../../ui/flow/Flow';
import { sameCode } from '../../ui/flow/logic';
import { mutate } from '../../ui/flow/mutate';
import type { TaskScreenProps } from '../tasks/screens';

interface Counted {
  code: string;
  quantity: number;
}


type CountSheet = Extract<CountSheetQuery['countTaskSheet'], { __typename: 'CountSheet' }>;

/**
 * Blind count (COUNT tasks): scan the bin, scan the items (every scan counts
 * one; key the quantity of the last one instead when there are many), submit.
 * What the system expects is never shown.
 */
export function CountScreen({ task, close }: TaskScreenProps) {
  const { t, err } = useI18n();
  const fb = useFlowFeedback();
  const [sheet, setSheet] = useState<CountSheet | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [inBin, setInBin] = useState(false);
  const [counted, setCounted] = useState<Counted[]>([]);
  const [keying, setKeying] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);

  useEffect(() => {
    void gql(CountSheetDocument, { taskId: task.id })
      .then((d) => {
        const r = d.countTaskSheet;
        if (r.__typename === 'CountSheet') setSheet(r);
        else setLoadError(err(r.code));
      })
      .catch(() => setLoadError(err('NETWORK')));
  }, [task.id]);

  const scanBin = (code: string) => {
    if (!sheet) return;
    if (!sameCode(code, sheet.binCode)) {
      fb.errorCode('WRONG_BIN', { scanned: code, expected: sheet.binLabel });
      return;
    }
    fb.ok();
    setInBin(true);
  };

  const scanItem = (code: string) => {
    fb.ok(t('count.scanned', { code }));
    setCounted((list) => {
      const i = list.findIndex((c) => c.code === code);
      if (i < 0) return [...list, { code, quantity: 1 }];
      const next = list.slice();
      next[i] = { code, quantity: list[i].quantity + 1 };
      return next;
    });
  };

  const submit = async () => {
    if (busy) return;
    setBusy(true);
    const o = await mutate('submitCount', SubmitCountDocument, {
      taskId: task.id,
      lines: counted.filter((c) => c.quantity > 0).map((c) => ({ itemCode: c.code, quantity: c.quantity })),
    });
    setBusy(false);
    if (!fb.outcome(o)) return;
    setDone(true);
  };

  if (done) return <FlowDone text={t('count.submitted')} onClose={close} />;
  if (loadError) return <p class="notice notice-error" role="alert">{loadError}</p>;
  if (!sheet) return <p class="muted center">{t('app.loading')}</p>;

  if (!inBin) {
    return (
      <FlowFrame message={fb.message}>
        <ScanPrompt thing="bin" expected={sheet.binLabel} onScan={scanBin} />
      </FlowFrame>
    );
  }

  if (keying) {
    const current = counted.find((c) => c.code === keying)?.quantity ?? 0;
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
            setCounted((list) => list.map((c) => (c.code === keying ? { ...c, quantity: n } : c)));
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
          <button type="button" class="btn btn-primary" disabled={busy} onClick={submit} data-testid="submit-count">
            {counted.length === 0 ? t('count.submitEmpty') : t('count.submit')}
          </button>
        </div>
      }
    >
      <ScanPrompt thing="item" onScan={scanItem} disabled={busy} detail={<span class="muted">{sheet.binLabel}</span>} />
      {counted.length > 0 ? (
        <ul class="task-list" data-testid="counted">
          {counted.map((c) => (
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
