import { useState } from 'preact/hooks';
import { SerialTraceDocument } from '../../graphql/generated/graphql';
import { gql } from '../../graphql/client';
import { useI18n, type MessageKey } from '../../i18n';
import { failureCode, formats } from './common';
import type { SerialTrace } from './types';

/** Trace one serialised unit: in stock, shipped or returned, and where it came from. */
export function Serials() {
  const { t, err, locale } = useI18n();
  const f = formats(locale);
  const [sku, setSku] = useState('');
  const [serial, setSerial] = useState('');
  const [found, setFound] = useState<SerialTrace | null | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);

  const look = async (ev: Event) => {
    ev.preventDefault();
    if (!sku.trim() || !serial.trim()) return;
    setError(null);
    try {
      const d = await gql(SerialTraceDocument, { sku: sku.trim(), serial: serial.trim() });
      setFound(d.serialNumber);
    } catch (e) {
      setError(failureCode(e));
    }
  };

  return (
    <div class="stack desk-pane" data-testid="serials">
      <form class="desk-filters" onSubmit={(e) => void look(e)}>
        <label class="field desk-field">
          {t('desk.sn.sku')}
          <input class="input" value={sku} onInput={(e) => setSku((e.target as HTMLInputElement).value)} data-testid="sn-sku" />
        </label>
        <label class="field desk-field">
          {t('desk.sn.serial')}
          <input class="input" value={serial} onInput={(e) => setSerial((e.target as HTMLInputElement).value)} data-testid="sn-serial" />
        </label>
        <button type="submit" class="btn btn-secondary btn-small" data-testid="sn-look">
          {t('desk.sn.look')}
        </button>
      </form>
      {error ? <p class="alert alert-error">{err(error)}</p> : null}
      {found === null ? <p class="muted" data-testid="sn-unknown">{t('desk.sn.unknown')}</p> : null}
      {found ? (
        <article class="card desk-card" data-testid="sn-trace" data-state={found.state}>
          <h2>
            {found.itemSku} · {found.serialNumber}
          </h2>
          <dl class="desk-facts">
            <div>
              <dt>{t('desk.sn.state')}</dt>
              <dd>{t(`desk.sn.state.${found.state}` as MessageKey)}</dd>
            </div>
            <div>
              <dt>{t('desk.sn.received')}</dt>
              <dd>
                {f.stamp(found.receivedAt)} {found.receiptReference ? <span class="code">{found.receiptReference}</span> : null}
              </dd>
            </div>
            {found.lotNumber ? (
              <div>
                <dt>{t('desk.sn.lot')}</dt>
                <dd class="code">{found.lotNumber}</dd>
              </div>
            ) : null}
            {found.leftAt ? (
              <div>
                <dt>{t('desk.sn.left')}</dt>
                <dd>
                  {f.stamp(found.leftAt)} <span class="code">{found.leftReference}</span>
                </dd>
              </div>
            ) : null}
          </dl>
        </article>
      ) : null}
    </div>
  );
}
