import { useEffect, useState } from 'preact/hooks';
import { ReceiptDocument, RecordQcDocument } from '../../graphql/generated/graphql';
import { gql } from '../../graphql/client';
import { useI18n } from '../../i18n';
import { FlowDone, FlowFrame, FlowProgress, useFlowFeedback } from '../../ui/flow/Flow';
import { mutate } from '../../ui/flow/mutate';
import type { TaskScreenProps } from '../tasks/screens';
import type { Receipt, ReceiptLine } from './types';

/** The receipt a QC task is about: its reference is RC-<receipt id>. */
export function receiptIdOf(reference: string | null | undefined): string | null {
  const m = /^RC-(\d+)$/.exec(reference ?? '');
  return m ? m[1] : null;
}

/** Quality check (QC tasks): pass or fail every quarantined line of the receipt. */
export function QcScreen({ task, close }: TaskScreenProps) {
  const { t, err } = useI18n();
  const fb = useFlowFeedback();
  const [receipt, setReceipt] = useState<Receipt | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    const id = receiptIdOf(task.reference);
    if (!id) {
      setLoadError(err('NOT_FOUND'));
      return;
    }
    void gql(ReceiptDocument, { id })
      .then((d) => (d.receipt ? setReceipt(d.receipt) : setLoadError(err('NOT_FOUND'))))
      .catch(() => setLoadError(err('NETWORK')));
  }, [task.id]);

  const decide = async (line: ReceiptLine, result: 'PASS' | 'FAIL') => {
    if (!receipt || busy) return;
    setBusy(true);
    const o = await mutate('recordQc', RecordQcDocument, { receiptLineId: line.id, result });
    setBusy(false);
    if (!fb.outcome(o)) return;
    const updated = o.status === 'ok' ? o.data.line : { ...line, qcResult: result };
    if (o.status === 'ok') fb.ok(t(result === 'PASS' ? 'qc.passed' : 'qc.failed', { sku: line.itemSku }));
    setReceipt({ ...receipt, lines: receipt.lines.map((l) => (l.id === line.id ? updated : l)) });
  };

  if (loadError) return <p class="notice notice-error" role="alert">{loadError}</p>;
  if (!receipt) return <p class="muted center">{t('app.loading')}</p>;

  const toCheck = receipt.lines.filter((l) => l.status === 'QUARANTINE' || l.qcResult != null);
  const open = toCheck.filter((l) => l.qcResult == null);
  if (toCheck.length > 0 && open.length === 0) return <FlowDone text={t('qc.done')} onClose={close} />;

  return (
    <FlowFrame message={fb.message} progress={<FlowProgress lines={{ done: toCheck.length - open.length, total: toCheck.length }} />}>
      {open.map((l) => (
        <section class="flow-prompt" data-testid="qc-line">
          <h2 class="flow-prompt-title">
            {l.quantity} × {l.itemSku}
          </h2>
          <p>{l.itemName}</p>
          {l.lotNumber ? <p>{t('putaway.lot', { lot: l.lotNumber })}</p> : null}
          <div class="flow-actions">
            <button type="button" class="btn btn-primary" disabled={busy} onClick={() => void decide(l, 'PASS')}>
              {t('qc.pass')}
            </button>
            <button type="button" class="btn btn-secondary flow-problem" disabled={busy} onClick={() => void decide(l, 'FAIL')}>
              {t('qc.fail')}
            </button>
          </div>
        </section>
      ))}
      {toCheck.length === 0 ? <p class="muted">{t('qc.nothing')}</p> : null}
    </FlowFrame>
  );
}
