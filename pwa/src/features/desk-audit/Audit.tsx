import { useEffect, useState } from 'preact/hooks';
import { gqlText } from '../../graphql/client';
import { useI18n } from '../../i18n';
import { saveBlob } from '../../ui/saveBlob';
import { failureCode, formats } from '../desk/common';
import { nodes, type PageInfo } from '../desk-office/ops';
import type { SectionProps } from '../desk-office/section';
import { useLatest } from '../desk-office/latest';
import { auditCsv, newestFirst } from './csv';
import { AUDIT_ENTRIES, ENTITIES, NO_FILTERS, auditVariables, type AuditData, type AuditEntry, type AuditFilters } from './ops';

/** Who did what, when, from which device: by entity and id, exported as shown. */
export function Audit({ userId }: SectionProps) {
  const { t, err, locale } = useI18n();
  const f = formats(locale);
  const [form, setForm] = useState<AuditFilters>(NO_FILTERS);
  const [applied, setApplied] = useState<AuditFilters>(NO_FILTERS);
  const { entity, entityId } = form;
  const setEntity = (v: string) => setForm((x) => ({ ...x, entity: v }));
  const setEntityId = (v: string) => setForm((x) => ({ ...x, entityId: v }));
  const field = (k: keyof AuditFilters) => (e: Event) => {
    const v = (e.target as HTMLInputElement).value;
    setForm((x) => ({ ...x, [k]: v }));
  };
  const [rows, setRows] = useState<AuditEntry[] | null>(null);
  const [page, setPage] = useState<PageInfo | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);

  const latest = useLatest();
  const load = async (after: string | null = null) => {
    const live = latest();
    setLoadError(null);
    try {
      const d = await gqlText<AuditData>(AUDIT_ENTRIES, { ...auditVariables(applied), after });
      if (!live()) return;
      setRows((prev) => (after && prev ? [...prev, ...nodes(d.auditEntries)] : nodes(d.auditEntries)));
      setPage(d.auditEntries.pageInfo);
    } catch (e) {
      setLoadError(failureCode(e));
    }
  };
  useEffect(() => {
    setRows(null);
    void load();
  }, [applied]);

  const shown = newestFirst(rows ?? []);
  const exportCsv = () => {
    const name = ['wms-audit', applied.entity, applied.entityId, new Date().toISOString().slice(0, 10)].filter(Boolean).join('-');
    saveBlob(new Blob(['\ufeff', auditCsv(shown)], { type: 'text/csv;charset=utf-8' }), `${name}.csv`);
  };

  return (
    <div class="stack">
      <form
        class="desk-filters office-search"
        onSubmit={(e) => {
          e.preventDefault();
          setApplied({ ...form, entityId: entityId.trim() });
        }}
      >
        <label class="field desk-field">
          {t('office.audit.entity')}
          <select class="input" value={entity} data-testid="audit-entity" onChange={(e) => setEntity((e.target as HTMLSelectElement).value)}>
            <option value="">{t('office.all')}</option>
            {ENTITIES.map((x) => (
              <option value={x}>{x}</option>
            ))}
          </select>
        </label>
        <label class="field desk-field">
          {t('office.audit.entityId')}
          <input class="input" value={entityId} data-testid="audit-id" onInput={(e) => setEntityId((e.target as HTMLInputElement).value)} />
        </label>
        <label class="field desk-field">
          {t('audit.user')}
          <input class="input" value={form.username} data-testid="audit-user" onInput={field('username')} />
        </label>
        <label class="field desk-field">
          {t('audit.device')}
          <input class="input" value={form.deviceId} data-testid="audit-device" onInput={field('deviceId')} />
        </label>
        <label class="field desk-field">
          {t('audit.action')}
          <input class="input" value={form.action} data-testid="audit-action" onInput={field('action')} />
        </label>
        <label class="field desk-field">
          {t('audit.since')}
          <input class="input" type="datetime-local" value={form.since} data-testid="audit-since" onInput={field('since')} />
        </label>
        <label class="field desk-field">
          {t('audit.until')}
          <input class="input" type="datetime-local" value={form.until} data-testid="audit-until" onInput={field('until')} />
        </label>
        <button type="submit" class="btn btn-primary btn-small" data-testid="audit-show">
          {t('office.audit.show')}
        </button>
        <button type="button" class="btn btn-secondary btn-small" disabled={shown.length === 0} data-testid="audit-csv" onClick={exportCsv}>
          {t('office.audit.csv', { n: shown.length })}
        </button>
      </form>
      <p class="muted desk-sub">{t('office.audit.note')}</p>
      {loadError ? <p class="alert alert-error">{err(loadError)}</p> : null}
      {rows === null && !loadError ? <p class="muted">{t('desk.loading')}</p> : null}
      {rows !== null && rows.length === 0 ? <p class="muted">{t('office.audit.none')}</p> : null}
      {shown.length > 0 ? (
        <div class="card desk-card desk-table-wrap">
          <table class="desk-table" data-testid="audit">
            <thead>
              <tr>
                <th scope="col">{t('office.audit.at')}</th>
                <th scope="col">{t('office.audit.who')}</th>
                <th scope="col">{t('office.audit.device')}</th>
                <th scope="col">{t('office.audit.action')}</th>
                <th scope="col">{t('office.audit.entity')}</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((r) => (
                <tr data-testid="audit-row" data-action={r.action} data-entity={r.entity ?? ''} data-entity-id={r.entityId ?? ''}>
                  <td class="nowrap">{f.stamp(r.at)}</td>
                  <td>{r.userId === null ? t('office.audit.system') : r.userId === userId ? t('office.you') : (r.userName ?? t('office.user', { id: r.userId }))}</td>
                  <td class="code desk-sub">
                    {r.deviceId ? (
                      <button type="button" class="btn btn-ghost desk-link code" title={r.deviceId} onClick={() => {
                        const next = { ...NO_FILTERS, deviceId: r.deviceId ?? '' };
                        setForm(next);
                        setApplied(next);
                      }}>
                        {r.deviceId.slice(0, 8)}
                      </button>
                    ) : (
                      '—'
                    )}
                  </td>
                  <td class="code">{r.action}</td>
                  <td>
                    {r.entity ? (
                      <button
                        type="button"
                        class="btn btn-ghost desk-link code"
                        onClick={() => {
                          const next = { ...NO_FILTERS, entity: r.entity ?? '', entityId: r.entityId ?? '' };
                          setForm(next);
                          setApplied(next);
                        }}
                      >
                        {r.entity} {r.entityId ?? ''}
                      </button>
                    ) : (
                      '—'
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {page?.hasNextPage ? (
        <button type="button" class="btn btn-secondary" onClick={() => void load(page.endCursor)}>
          {t('office.more')}
        </button>
      ) : null}
    </div>
  );
}
