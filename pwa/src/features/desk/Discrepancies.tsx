import { useEffect, useState } from 'preact/hooks';
import { DeskDiscrepanciesDocument } from '../../graphql/generated/graphql';
import { gql } from '../../graphql/client';
import { useI18n } from '../../i18n';
import { failureCode, formats, labelOf } from './common';
import { countByKind, difference } from './logic';
import type { Discrepancy } from './types';

/** Over, under, not on order, damaged, expired and failed-QC receipts, with a way to their order. */
export function Discrepancies({ warehouseId, onOpenPo, onCount }: { warehouseId: string | null; onOpenPo: (number: string) => void; onCount: (n: number) => void }) {
  const { t, err, locale } = useI18n();
  const f = formats(locale);
  const [list, setList] = useState<Discrepancy[] | null>(null);
  const [kind, setKind] = useState('');
  const [loadError, setLoadError] = useState<string | null>(null);

  const load = async () => {
    setLoadError(null);
    try {
      const d = await gql(DeskDiscrepanciesDocument, { warehouseId });
      setList(d.receivingDiscrepancies);
      onCount(d.receivingDiscrepancies.length);
    } catch (e) {
      setLoadError(failureCode(e));
    }
  };

  useEffect(() => {
    setList(null);
    void load();
  }, [warehouseId]);

  const counts = countByKind(list ?? []);
  const shown = (list ?? []).filter((d) => !kind || d.kind === kind);

  return (
    <div class="stack">
      <div class="desk-filters">
        <div class="desk-chips" role="group" aria-label={t('desk.dc.kind')}>
          <button type="button" class={kind === '' ? 'desk-chip on' : 'desk-chip'} aria-pressed={kind === ''} onClick={() => setKind('')}>
            {t('desk.dc.all')} <span class="desk-chip-n">{list?.length ?? 0}</span>
          </button>
          {counts.map(([k, n]) => (
            <button type="button" class={kind === k ? `desk-chip on dc-${k}` : `desk-chip dc-${k}`} aria-pressed={kind === k} onClick={() => setKind(kind === k ? '' : k)}>
              {labelOf(locale, 'desk.dcKind', k)} <span class="desk-chip-n">{n}</span>
            </button>
          ))}
        </div>
        <button type="button" class="btn btn-secondary btn-small" onClick={() => void load()}>
          {t('desk.refresh')}
        </button>
      </div>
      {loadError ? <p class="alert alert-error">{err(loadError)}</p> : null}
      {list === null && !loadError ? <p class="muted">{t('desk.loading')}</p> : null}
      {list !== null && list.length === 0 ? <p class="muted">{t('desk.dc.none')}</p> : null}
      {shown.length > 0 ? (
        <div class="card desk-card desk-table-wrap">
          <table class="desk-table" data-testid="discrepancies">
            <thead>
              <tr>
                <th scope="col">{t('desk.dc.kind')}</th>
                <th scope="col">{t('desk.dc.po')}</th>
                <th scope="col">{t('desk.dc.receipt')}</th>
                <th scope="col">{t('desk.dc.item')}</th>
                <th scope="col" class="num">{t('desk.dc.expected')}</th>
                <th scope="col" class="num">{t('desk.dc.quantity')}</th>
                <th scope="col" class="num">{t('desk.dc.difference')}</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((d) => {
                const diff = difference(d);
                return (
                  <tr>
                    <td>
                      <span class={`chip desk-dc dc-${d.kind}`}>{labelOf(locale, 'desk.dcKind', d.kind)}</span>
                    </td>
                    <td>
                      {d.poNumber ? (
                        <button type="button" class="btn btn-ghost desk-link code" aria-label={t('desk.dc.openPo', { number: d.poNumber })} onClick={() => onOpenPo(d.poNumber!)}>
                          {d.poNumber}
                        </button>
                      ) : (
                        '—'
                      )}
                    </td>
                    <td>{d.receiptId ?? '—'}</td>
                    <td class="code">{d.itemSku}</td>
                    <td class="num">{d.expected === null ? '—' : f.int(d.expected)}</td>
                    <td class="num">{f.int(d.quantity)}</td>
                    <td class={diff === null ? 'num' : diff > 0 ? 'num over' : 'num under'}>{diff === null ? '—' : `${diff > 0 ? '+' : '−'}${f.int(Math.abs(diff))}`}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : null}
    </div>
  );
}
