import { useState } from 'preact/hooks';
import { gqlText } from '../../graphql/client';
import { useI18n } from '../../i18n';
import { FlowDone, FlowFrame, FlowProgress, ScanPrompt, useFlowFeedback } from '../../ui/flow/Flow';
import { mutateText } from '../../ui/flow/mutate';
import { labelOf } from '../desk/common';
import type { CustomerReturn, ReturnUnit } from '../desk-returns/ops';
import './receiveReturn.css';
import { DECIDE_RETURN_UNIT, DISPOSITIONS, FIND_RETURN, RECEIVE_RETURN, type Disposition, type FoundReturns, type ReturnReceived, type UnitDecided } from './returnOps';

type Step =
  | { name: 'return' }
  | { name: 'units' }
  | { name: 'serial'; code: string }
  | { name: 'decide'; unit: ReturnUnit }
  | { name: 'bin'; unit: ReturnUnit }
  | { name: 'credited'; reference: string | null };

/**
 * A customer return on the handheld: scan its label (or the order number), scan each
 * unit as it comes out of the parcel (it lands quarantined on the dock), then give every
 * unit its disposition: restock to a scanned bin, quarantine, scrap or return to vendor.
 */
export function ReceiveReturn({ onClose }: { onClose: () => void }) {
  const { t, locale } = useI18n();
  const fb = useFlowFeedback();
  const [rma, setRma] = useState<CustomerReturn | null>(null);
  const [step, setStep] = useState<Step>({ name: 'return' });
  const [damaged, setDamaged] = useState(false);
  const [busy, setBusy] = useState(false);

  const find = async (code: string) => {
    setBusy(true);
    try {
      const d = await gqlText<FoundReturns>(FIND_RETURN, { code });
      const found = d.customerReturns[0];
      if (!found || found.state === 'CREDITED' || found.state === 'CANCELLED') {
        fb.info(t('rr.notFound', { code }));
        return;
      }
      fb.ok();
      setRma(found);
      setStep({ name: 'units' });
    } catch {
      fb.errorCode('NETWORK');
    } finally {
      setBusy(false);
    }
  };

  const receive = async (code: string, serialNumber: string | null = null) => {
    if (!rma) return;
    setBusy(true);
    const out = await mutateText<ReturnReceived>('receiveReturn', RECEIVE_RETURN, { returnId: rma.id, code, serialNumber, damaged }, { queueOffline: false });
    setBusy(false);
    if (out.status === 'refused' && out.code === 'SERIAL_REQUIRED') {
      // The goods' barcode named no serial: ask for the serial label next.
      fb.info(out.message);
      setStep({ name: 'serial', code });
      return;
    }
    if (out.status === 'refused' && out.code === 'WRONG_SERIAL') {
      // The generic text speaks of picking; on a return the unit is simply not on it.
      fb.error(t('rr.serialNotOnReturn', { serial: serialNumber ?? code }));
      return;
    }
    if (!fb.outcome(out) || out.status !== 'ok') return;
    setRma(out.data.customerReturn);
    setDamaged(false);
    fb.ok(t('rr.received', { sku: out.data.sku, serial: out.data.serial ? ` ${out.data.serial}` : '', status: labelOf(locale, 'office.status', out.data.status) }));
    setStep({ name: 'units' });
  };

  const decide = async (unit: ReturnUnit, disposition: Disposition, binCode: string | null = null) => {
    setBusy(true);
    const out = await mutateText<UnitDecided>('decideReturnUnit', DECIDE_RETURN_UNIT, { unitId: unit.id, disposition, binCode }, { queueOffline: false });
    setBusy(false);
    if (!fb.outcome(out) || out.status !== 'ok') return;
    setRma(out.data.customerReturn);
    if (out.data.credited) {
      setStep({ name: 'credited', reference: out.data.customerReturn.creditReference });
      return;
    }
    fb.ok(t('rr.decided', { sku: unit.sku, disposition: labelOf(locale, 'returns.disp', disposition) }));
    setStep({ name: 'units' });
  };

  if (step.name === 'credited') {
    return (
      <FlowFrame message={fb.message}>
        <FlowDone text={t('rr.credited', { reference: step.reference ?? '—' })} onClose={onClose} />
      </FlowFrame>
    );
  }

  const authorised = rma?.lines.reduce((n, l) => n + l.quantity, 0) ?? 0;
  const arrived = rma?.lines.reduce((n, l) => n + l.received, 0) ?? 0;
  return (
    <FlowFrame
      message={fb.message}
      progress={rma ? <FlowProgress units={{ done: arrived, total: authorised }} /> : null}
      actions={
        rma ? (
          <div class="flow-actions">
            <button
              type="button"
              class="btn btn-secondary"
              onClick={() => {
                setRma(null);
                setStep({ name: 'return' });
              }}
            >
              {t('rr.another')}
            </button>
          </div>
        ) : null
      }
    >
      {step.name === 'return' ? (
        <>
          <h2 class="flow-prompt-title">{t('rr.title')}</h2>
          <ScanPrompt thing="order" detail={<span>{t('rr.scanReturn')}</span>} onScan={(code) => void find(code)} disabled={busy} />
        </>
      ) : null}

      {rma && step.name === 'units' ? (
        <>
          <p class="muted rr-header" data-testid="rr-header">
            {t('rr.header', { number: rma.number, order: rma.orderNumber, customer: rma.customerCode })}
          </p>
          {arrived < authorised ? (
            <>
              <ScanPrompt
                thing="item"
                onScan={(code) => void receive(code)}
                disabled={busy}
                detail={
                  <>
                    {rma.lines.map((l) => (
                      <span data-testid="rr-line" data-sku={l.sku}>
                        <span class="code">{l.sku}</span> · {t('rr.expected', { received: l.received, quantity: l.quantity })}
                      </span>
                    ))}
                  </>
                }
              />
              <label class="field rr-damaged">
                <input type="checkbox" checked={damaged} data-testid="rr-damaged" onChange={(e) => setDamaged((e.target as HTMLInputElement).checked)} /> {t('rr.damaged')}
              </label>
            </>
          ) : null}
          <ul class="rr-units" data-testid="rr-units">
            {rma.units.map((u) => (
              <li class="card" data-testid="rr-unit" data-id={u.id} data-decided={u.disposition ? 'yes' : 'no'}>
                <div>
                  <span class="code">{u.sku}</span>
                  {u.serial ? <span class="code"> · {u.serial}</span> : null}
                  {u.lotNumber ? <span class="muted"> · {u.lotNumber}</span> : null}
                </div>
                {u.disposition ? (
                  <span class="chip">
                    {t('rr.done')}: {labelOf(locale, 'returns.disp', u.disposition)}
                    {u.toBinCode ? ` → ${u.toBinCode}` : ''}
                  </span>
                ) : (
                  <button type="button" class="btn btn-primary btn-small" disabled={busy} data-testid="rr-decide" onClick={() => setStep({ name: 'decide', unit: u })}>
                    {t('rr.decide')}
                  </button>
                )}
              </li>
            ))}
          </ul>
        </>
      ) : null}

      {step.name === 'serial' ? (
        <>
          <ScanPrompt thing="code" detail={<span>{t('rr.serial')}</span>} onScan={(serial) => void receive(step.code, serial)} disabled={busy} />
          <button type="button" class="btn btn-ghost" onClick={() => setStep({ name: 'units' })}>
            {t('app.back')}
          </button>
        </>
      ) : null}

      {step.name === 'decide' ? (
        <section class="flow-prompt" data-testid="rr-dispositions">
          <h2 class="flow-prompt-title">
            {t('rr.decide')}: <span class="code">{step.unit.sku}</span>
            {step.unit.serial ? <span class="code"> {step.unit.serial}</span> : null}
          </h2>
          <div class="stack">
            {DISPOSITIONS.map((d) => (
              <button
                type="button"
                class={d === 'RESTOCK' ? 'btn btn-primary btn-block btn-lg' : 'btn btn-secondary btn-block btn-lg'}
                disabled={busy}
                data-testid={`rr-disp-${d}`}
                onClick={() => (d === 'RESTOCK' ? setStep({ name: 'bin', unit: step.unit }) : void decide(step.unit, d))}
              >
                {labelOf(locale, 'returns.disp', d)}
              </button>
            ))}
            <button type="button" class="btn btn-ghost" onClick={() => setStep({ name: 'units' })}>
              {t('app.back')}
            </button>
          </div>
        </section>
      ) : null}

      {step.name === 'bin' ? (
        <>
          <ScanPrompt thing="bin" detail={<span>{t('rr.bin')}</span>} onScan={(bin) => void decide(step.unit, 'RESTOCK', bin)} disabled={busy} />
          <button type="button" class="btn btn-ghost" onClick={() => setStep({ name: 'decide', unit: step.unit })}>
            {t('app.back')}
          </button>
        </>
      ) : null}
    </FlowFrame>
  );
}
