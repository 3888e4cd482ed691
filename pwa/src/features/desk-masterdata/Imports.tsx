import { useEffect, useRef, useState } from 'preact/hooks';
import { gqlText } from '../../graphql/client';
import { useI18n, type MessageKey } from '../../i18n';
import { FlowMessageView, useFlowFeedback } from '../../ui/flow/Flow';
import { Meter, failureCode, formats, labelOf } from '../desk/common';
import type { SectionProps } from '../desk-office/section';
import { byLine, type ImportReport } from './logic';
import { IMPORT_KINDS, type ImportKind, type ImportKindsData } from './ops';
import { download, sendImport } from './transfer';
import './masterdata.css';

type Phase = 'idle' | 'checking' | 'checked' | 'applying' | 'applied';

/**
 * Import and export of master data: pick a kind, take its template, upload a
 * file, see each bad row by line and column (a dry run), then apply it all or
 * nothing. Large files show their progress as the server reads them.
 */
export function Imports(_: SectionProps) {
  const { t, err, locale } = useI18n();
  const f = formats(locale);
  const fb = useFlowFeedback();
  const [kinds, setKinds] = useState<ImportKind[] | null>(null);
  const [kindName, setKindName] = useState('items');
  const [file, setFile] = useState<File | null>(null);
  const [phase, setPhase] = useState<Phase>('idle');
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const [report, setReport] = useState<ImportReport | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const abort = useRef<AbortController | null>(null);

  useEffect(() => {
    void gqlText<ImportKindsData>(IMPORT_KINDS)
      .then((d) => setKinds(d.importKinds))
      .catch((e) => setLoadError(failureCode(e)));
    return () => abort.current?.abort();
  }, []);

  const kind = kinds?.find((k) => k.name === kindName) ?? null;
  const kindLabel = (name: string) => labelOf(locale, 'md.kind', name);
  const busy = phase === 'checking' || phase === 'applying';

  const reset = () => {
    setReport(null);
    setProgress(null);
    setPhase('idle');
    fb.clear();
  };

  const get = async (path: string, filename: string) => {
    fb.clear();
    if (!(await download(path, filename))) fb.errorCode('REQUEST_FAILED');
  };

  const run = async (mode: 'dry-run' | 'apply') => {
    if (!kind || !file) return;
    fb.clear();
    setReport(null);
    setProgress({ done: 0, total: 0 });
    setPhase(mode === 'apply' ? 'applying' : 'checking');
    abort.current = new AbortController();
    const out = await sendImport(kind.importPath, file, mode, (done, total) => setProgress({ done, total }), abort.current.signal);
    if (out.status === 'refused') {
      setPhase('idle');
      setProgress(null);
      fb.refused({ code: out.code, message: out.message });
      return;
    }
    const r = out.report;
    setReport(r);
    if (r.applied) {
      setPhase('applied');
      fb.ok(t('md.imp.applied', { rows: f.int(r.rows), kind: kindLabel(r.kind) }));
    } else if (r.errorRows > 0) {
      setPhase('idle');
      fb.refused({ code: 'IMPORT_ROWS_INVALID', message: t('md.imp.badRows', { bad: f.int(r.errorRows), rows: f.int(r.rows) }) });
    } else {
      setPhase(mode === 'apply' ? 'idle' : 'checked');
      fb.ok(r.rows ? t('md.imp.clean', { rows: f.int(r.rows) }) : t('md.imp.empty'));
    }
  };

  const stem = kind?.name ?? 'import';
  const pct = progress && progress.total > 0 ? Math.min(1, progress.done / progress.total) : 0;
  return (
    <div class="stack md-import" data-testid="md-import">
      <FlowMessageView message={fb.message} />
      {loadError ? <p class="alert alert-error">{err(loadError)}</p> : null}
      <section class="card desk-card stack">
        <div class="office-row">
          <label class="field">
            {t('md.imp.kind')}
            <select
              class="input"
              value={kindName}
              disabled={busy}
              data-testid="md-imp-kind"
              onChange={(e) => {
                setKindName((e.target as HTMLSelectElement).value);
                reset();
              }}
            >
              {(kinds ?? []).map((k) => (
                <option value={k.name}>{kindLabel(k.name)}</option>
              ))}
            </select>
          </label>
          <div class="md-downloads">
            <span class="muted desk-sub">{t('md.imp.template')}</span>
            <button type="button" class="btn btn-secondary btn-small" disabled={!kind} data-testid="md-imp-template-csv" onClick={() => kind && void get(kind.templateCsvPath, `${stem}-template.csv`)}>
              CSV
            </button>
            <button type="button" class="btn btn-secondary btn-small" disabled={!kind} data-testid="md-imp-template-xlsx" onClick={() => kind && void get(kind.templateXlsxPath, `${stem}-template.xlsx`)}>
              XLSX
            </button>
          </div>
          <div class="md-downloads">
            <span class="muted desk-sub">{t('md.imp.export')}</span>
            <button type="button" class="btn btn-secondary btn-small" disabled={!kind} data-testid="md-imp-export-csv" onClick={() => kind && void get(kind.exportCsvPath, `${stem}.csv`)}>
              CSV
            </button>
            <button type="button" class="btn btn-secondary btn-small" disabled={!kind} data-testid="md-imp-export-xlsx" onClick={() => kind && void get(kind.exportXlsxPath, `${stem}.xlsx`)}>
              XLSX
            </button>
          </div>
        </div>
        {kind ? (
          <details class="muted desk-sub md-columns" data-testid="md-imp-columns">
            <summary>{t('md.imp.columnsOf', { n: kind.columns.length, required: kind.required.join(', ') })}</summary>
            {kind.columns.map((c, i) => (
              <>
                {i ? ', ' : ''}
                <span class={kind.required.includes(c) ? 'code md-required' : 'code'}>{c}</span>
              </>
            ))}
          </details>
        ) : null}
        <div class="office-row">
          <label class="field md-grow">
            {t('md.imp.file')}
            <input
              ref={input}
              class="input"
              type="file"
              accept=".csv,.txt,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
              disabled={busy}
              data-testid="md-imp-file"
              onChange={(e) => {
                setFile((e.target as HTMLInputElement).files?.[0] ?? null);
                reset();
              }}
            />
          </label>
          <button type="button" class="btn btn-secondary" disabled={!file || !kind || busy} data-testid="md-imp-dry-run" onClick={() => void run('dry-run')}>
            {t('md.imp.dryRun')}
          </button>
          <button type="button" class="btn btn-primary" disabled={!file || !kind || busy || phase !== 'checked'} data-testid="md-imp-apply" onClick={() => void run('apply')}>
            {t('md.imp.apply')}
          </button>
        </div>
        <p class="muted desk-sub">{t('md.imp.allOrNothing')}</p>
        {busy && progress ? (
          <div class="md-progress" data-testid="md-imp-progress" aria-live="polite">
            <Meter value={pct} label={t('md.imp.progress', { done: f.int(progress.done), total: f.int(progress.total) })} />
            <span>{t(phase === 'applying' ? 'md.imp.applying' : 'md.imp.checking', { done: f.int(progress.done), total: f.int(progress.total) })}</span>
            <button type="button" class="btn btn-ghost btn-small" onClick={() => abort.current?.abort()}>
              {t('md.imp.stop')}
            </button>
          </div>
        ) : null}
      </section>
      {report ? <Report report={report} /> : null}
    </div>
  );
}

function Report({ report }: { report: ImportReport }) {
  const { t, err, locale } = useI18n();
  const f = formats(locale);
  const rows = byLine(report.errors);
  return (
    <section class="card desk-card stack" data-testid="md-imp-report" data-applied={report.applied ? 'yes' : 'no'} data-error-rows={report.errorRows}>
      <dl class="desk-facts">
        <div>
          <dt>{t('md.imp.rows')}</dt>
          <dd data-testid="md-imp-rows">{f.int(report.rows)}</dd>
        </div>
        <div>
          <dt>{t('md.imp.errorRows')}</dt>
          <dd class={report.errorRows ? 'under' : ''}>{f.int(report.errorRows)}</dd>
        </div>
        <div>
          <dt>{t('md.imp.mode')}</dt>
          <dd>{t(report.applied ? 'md.imp.modeApplied' : report.dryRun ? 'md.imp.modeDry' : 'md.imp.modeRefused')}</dd>
        </div>
        <div>
          <dt>{t('md.imp.time')}</dt>
          <dd>{report.seconds < 1 ? t('md.imp.ms', { ms: f.int(report.seconds * 1000) }) : t('md.imp.seconds', { s: f.dec(report.seconds) })}</dd>
        </div>
      </dl>
      {rows.length ? (
        <div class="desk-table-wrap">
          <table class="desk-table" data-testid="md-imp-errors">
            <thead>
              <tr>
                <th scope="col" class="num">{t('md.imp.line')}</th>
                <th scope="col">{t('md.imp.column')}</th>
                <th scope="col">{t('md.imp.problem')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.flatMap((r) =>
                r.errors.map((e, i) => (
                  <tr data-testid="md-imp-error" data-line={e.line} data-column={e.column} data-code={e.code}>
                    <td class="num">{i === 0 ? e.line : ''}</td>
                    <td class="code">{e.column}</td>
                    <td>
                      {err(e.code)}
                      <div class="muted desk-sub">{e.message}</div>
                    </td>
                  </tr>
                )),
              )}
            </tbody>
          </table>
        </div>
      ) : null}
      {report.errorsTruncated ? <p class="muted">{t('md.imp.truncated' as MessageKey, { n: f.int(report.errors.length) })}</p> : null}
    </section>
  );
}
