import { useEffect, useState } from 'preact/hooks';
import { gqlText } from '../../graphql/client';
import { useI18n, type MessageKey } from '../../i18n';
import { FlowMessageView, useFlowFeedback } from '../../ui/flow/Flow';
import { mutateText } from '../../ui/flow/mutate';
import { Split, failureCode, useWarehouses } from '../desk/common';
import { useLatest } from '../desk-office/latest';
import { Check, Choice, Field, Group } from '../desk-masterdata/fields';
import { answered } from './feedback';
import { emptyPrinter, printerDraftOf, printerInput, stationsOf, type PrinterDraft } from './logic';
import { PRINTERS, PRINTER_KINDS, SAVE_PRINTER, type Printer, type PrinterSaved, type PrintersData } from './ops';

type Feedback = ReturnType<typeof useFlowFeedback>;

/**
 * Printers and the stations they serve. A document sent to a station prints on
 * its first active printer (backend/documents/printers.py), so a station's
 * labels, waybills and packing slips all come out here.
 */
export function Printers({ warehouseId }: { warehouseId: string | null }) {
  const { t, err } = useI18n();
  const fb = useFlowFeedback();
  const warehouses = useWarehouses();
  const [list, setList] = useState<Printer[] | null>(null);
  const [selected, setSelected] = useState<Printer | null>(null);
  const [creating, setCreating] = useState(false);
  const [loadError, setLoadError] = useState<string | null>(null);
  const latest = useLatest();

  useEffect(() => {
    const live = latest();
    gqlText<PrintersData>(PRINTERS)
      .then((d) => live() && setList(d.printers))
      .catch((e: unknown) => setLoadError(failureCode(e)));
  }, []);

  const saved = (p: Printer) => {
    setCreating(false);
    setSelected(p);
    setList((prev) => [...(prev ?? []).filter((x) => x.id !== p.id), p]);
  };
  const shown = (list ?? []).filter((p) => !warehouseId || p.warehouseId === warehouseId).sort((a, b) => a.station.localeCompare(b.station) || a.name.localeCompare(b.name));
  const warehouseCode = (id: string) => warehouses.find((w) => w.id === id)?.code ?? '';

  const listPane = (
    <div class="stack desk-pane">
      <div class="desk-filters">
        <p class="muted md-grow">{t('setup.printer.hint')}</p>
        <button
          type="button"
          class="btn btn-primary btn-small"
          data-testid="setup-printer-new"
          onClick={() => {
            fb.clear();
            setSelected(null);
            setCreating(true);
          }}
        >
          {t('setup.printer.new')}
        </button>
      </div>
      {loadError ? <p class="alert alert-error">{err(loadError)}</p> : null}
      {list === null && !loadError ? <p class="muted">{t('desk.loading')}</p> : null}
      {list !== null && shown.length === 0 ? <p class="muted">{t('setup.printer.none')}</p> : null}
      <ul class="desk-items" data-testid="setup-printer-list">
        {shown.map((p) => (
          <li>
            <button
              type="button"
              class={p.id === selected?.id ? 'desk-item on' : 'desk-item'}
              data-testid="setup-printer"
              data-name={p.name}
              onClick={() => {
                fb.clear();
                setCreating(false);
                setSelected(p);
              }}
            >
              <span class="desk-item-head">
                <strong class="code">{p.name}</strong>
                {p.active ? <span class="chip">{p.station || t('setup.printer.noStation')}</span> : <span class="chip md-retired">{t('md.inactive')}</span>}
              </span>
              <span class="desk-item-sub">
                {t(`setup.kind.${p.kind}` as MessageKey)} · {p.address}
              </span>
              {warehouses.length > 1 ? <span class="desk-item-sub muted">{warehouseCode(p.warehouseId)}</span> : null}
            </button>
          </li>
        ))}
      </ul>
    </div>
  );

  const form = (p: Printer | null) => <PrinterForm key={p ? p.id : 'new'} printer={p} stations={stationsOf(list ?? [])} warehouseId={p ? p.warehouseId : warehouseId} fb={fb} onSaved={saved} />;
  return (
    <>
      <FlowMessageView message={fb.message} />
      <Split
        list={listPane}
        hasDetail={creating || selected !== null}
        onBack={() => {
          setCreating(false);
          setSelected(null);
        }}
        detail={creating ? form(null) : selected ? form(selected) : null}
      />
    </>
  );
}

function PrinterForm({ printer, stations, warehouseId, fb, onSaved }: { printer: Printer | null; stations: string[]; warehouseId: string | null; fb: Feedback; onSaved: (p: Printer) => void }) {
  const { t } = useI18n();
  const [d, setD] = useState<PrinterDraft>(() => (printer ? printerDraftOf(printer) : emptyPrinter()));
  const [bad, setBad] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const editing = printer !== null;
  const set = <K extends keyof PrinterDraft>(k: K) => (v: PrinterDraft[K]) => setD((x) => ({ ...x, [k]: v }));
  const label = (field: string) => t(`setup.f.${field === 'name' ? 'printerName' : field}` as MessageKey);

  const save = async (e: Event) => {
    e.preventDefault();
    fb.clear();
    const built = printerInput(d, warehouseId);
    if (!built.ok) {
      setBad(built.field);
      fb.error(t('md.fieldWrong', { field: label(built.field) }));
      return;
    }
    setBusy(true);
    const out = await mutateText<PrinterSaved>('savePrinter', SAVE_PRINTER, built.input, { queueOffline: false });
    setBusy(false);
    const data = answered(out, fb, t, label, (f) => String((d as unknown as Record<string, unknown>)[f] ?? ''), setBad);
    if (!data) return;
    fb.ok(t(editing ? 'setup.printer.updated' : 'setup.printer.created', { name: data.printer.name }));
    onSaved(data.printer);
  };

  return (
    <form class="card desk-card stack office-form md-form" data-testid="setup-printer-form" data-name={printer?.name ?? ''} onSubmit={(e) => void save(e)}>
      <header class="desk-detail-head">
        <h2 class="office-h">{editing ? printer.name : t('setup.printer.new')}</h2>
      </header>
      <Group title={t('setup.printer.identity')}>
        <div class="office-row">
          <Field label={t('setup.f.printerName')} value={d.name} disabled={editing} bad={bad === 'name'} testid="setup-printer-name" onInput={set('name')} />
          <Field label={t('setup.f.station')} value={d.station} bad={bad === 'station'} list="setup-stations" placeholder={t('setup.printer.stationHint')} testid="setup-printer-station" onInput={set('station')} />
          <datalist id="setup-stations">
            {stations.map((s) => (
              <option value={s} />
            ))}
          </datalist>
        </div>
        <p class="muted">{t('setup.printer.documents')}</p>
      </Group>
      <Group title={t('setup.printer.connection')}>
        <div class="office-row">
          <Choice label={t('setup.f.kind')} value={d.kind} options={PRINTER_KINDS} bad={bad === 'kind'} testid="setup-printer-kind" text={(k) => t(`setup.kind.${k}` as MessageKey)} onChange={set('kind')} />
          <Field label={t('setup.f.address')} value={d.address} wide bad={bad === 'address'} placeholder={t(d.kind === 'CUPS' ? 'setup.printer.cupsHint' : 'setup.printer.tcpHint')} testid="setup-printer-address" onInput={set('address')} />
        </div>
        <div class="office-row">
          {d.kind === 'CUPS' ? <Check label={t('setup.f.raw')} checked={d.raw} testid="setup-printer-raw" onChange={set('raw')} /> : null}
          <Check label={t('setup.f.active')} checked={d.active} testid="setup-printer-active" onChange={set('active')} />
        </div>
      </Group>
      <div class="md-actions">
        <button type="submit" class="btn btn-primary" disabled={busy} data-testid="setup-printer-save">
          {editing ? t('md.save') : t('setup.printer.create')}
        </button>
      </div>
    </form>
  );
}
