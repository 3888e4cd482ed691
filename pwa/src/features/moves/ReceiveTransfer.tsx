import { useState } from 'preact/hooks';
import { ReceiveTransferDocument } from '../../graphql/generated/graphql';
import { useI18n } from '../../i18n';
import { FlowDone, FlowFrame, ScanPrompt, useFlowFeedback } from '../../ui/flow/Flow';
import { mutate } from '../../ui/flow/mutate';
import { labelFromBinCode, looksLikeBin } from './logic';

import type { TransferView } from './types';
/**
 * Receive a transfer from another warehouse: scan (or type) the reference on
 * its delivery note, then the bin it goes into; everything on it is booked
 * there at once. The server refuses a reference not on its way here.
 */
export function ReceiveTransferFlow({ onClose }: { onClose: () => void }) {
  const { t } = useI18n();
  const fb = useFlowFeedback();
  const [reference, setReference] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<{ transfer: TransferView; bin: string } | null>(null);

  if (done) {
    const units = done.transfer.lines.reduce((n, l) => n + l.quantity, 0);
    return (
      <FlowDone
        text={t('transfer.received', { reference: done.transfer.reference, from: done.transfer.fromWarehouseCode, n: units, bin: done.bin })}
        onClose={onClose}
      />
    );
  }

  const scanReference = (code: string) => {
    if (looksLikeBin(code)) {
      fb.errorCode('SCAN_WRONG_KIND');
      return;
    }
    fb.ok();
    setReference(code);
  };

  const scanBin = async (code: string) => {
    if (busy || reference == null) return;
    if (!looksLikeBin(code)) {
      fb.errorCode('SCAN_WRONG_KIND');
      return;
    }
    setBusy(true);
    const o = await mutate('receiveTransfer', ReceiveTransferDocument, { reference, binCode: code }, { queueOffline: false });
    setBusy(false);
    if (!fb.outcome(o) || o.status !== 'ok') {
      // An unknown reference: start again from the delivery note.
      if (o.status === 'refused' && o.field === 'reference') setReference(null);
      return;
    }
    setDone({ transfer: o.data.transfer, bin: labelFromBinCode(code) ?? code });
  };

  return (
    <FlowFrame message={fb.message}>
      {reference == null ? (
        <ScanPrompt thing="transfer" onScan={scanReference} disabled={busy} />
      ) : (
        <ScanPrompt thing="bin" onScan={(c) => void scanBin(c)} disabled={busy} detail={<span class="big">{t('transfer.receiveInto', { reference })}</span>} />
      )}
    </FlowFrame>
  );
}
