import type { ComponentChildren } from 'preact';
import { DeskWarehousesDocument } from '../../graphql/generated/graphql';
import { useEffect, useState } from 'preact/hooks';
import { AuthError, NetworkError, RequestError, gql } from '../../graphql/client';
import { hasKey, translate, useI18n, type Locale } from '../../i18n';
import type { DeskWarehouse } from './types';

/** The code of a failed read, for `err()`: network, signed out, or what the server said. */
export function failureCode(e: unknown): string {
  if (e instanceof NetworkError) return 'NETWORK';
  if (e instanceof AuthError) return 'UNAUTHENTICATED';
  if (e instanceof RequestError && /^[A-Z_]+$/.test(e.code)) return e.code;
  return 'REQUEST_FAILED';
}

/** A label for a server value (`desk.poState.APPROVED`), or the value itself when it is new to the app. */
export function labelOf(locale: Locale, prefix: string, value: string): string {
  const key = `${prefix}.${value}`;
  return hasKey(key) ? translate(locale, key) : value.replace(/_/g, ' ').toLowerCase().replace(/^\w/, (c) => c.toUpperCase());
}

export function formats(locale: Locale) {
  const int = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
  const dec = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });
  // Amounts are kept in cents of the one house currency; the server names none, so neither do we.
  const money = new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const pct = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 });
  const day = new Intl.DateTimeFormat(locale, { dateStyle: 'medium' });
  const stamp = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
  return {
    int: (n: number) => int.format(n),
    dec: (n: number) => dec.format(n),
    money: (cents: number) => money.format(cents / 100),
    pct: (share: number | null) => (share === null ? '—' : pct.format(share)),
    /** A calendar day from the server (YYYY-MM-DD), read as that day wherever the device is. */
    day: (iso: string | null) => {
      if (!iso) return '—';
      const [y, m, d] = iso.slice(0, 10).split('-').map(Number);
      return day.format(new Date(y, m - 1, d));
    },
    stamp: (iso: string | null) => (iso ? stamp.format(new Date(iso)) : '—'),
  };
}

/** The caller's warehouses, for the picker shown when there is more than one. */
export function useWarehouses(): DeskWarehouse[] {
  const [list, setList] = useState<DeskWarehouse[]>([]);
  useEffect(() => {
    void gql(DeskWarehousesDocument, {})
      .then((d) => setList(d.warehouses))
      .catch(() => setList([]));
  }, []);
  return list;
}

export function WarehousePicker({ list, value, onChange }: { list: DeskWarehouse[]; value: string | null; onChange: (id: string | null) => void }) {
  const { t } = useI18n();
  if (list.length < 2) return null;
  return (
    <label class="field desk-field">
      {t('desk.warehouse')}
      <select class="input" value={value ?? ''} onChange={(e) => onChange((e.target as HTMLSelectElement).value || null)}>
        <option value="">{t('desk.allWarehouses')}</option>
        {list.map((w) => (
          <option value={w.id}>
            {w.code} · {w.name}
          </option>
        ))}
      </select>
    </label>
  );
}

export interface TabDef<T extends string> {
  id: T;
  label: string;
  badge?: number;
}

/** A row of tabs (WAI-ARIA tabs pattern: arrow keys move between them). */
export function Tabs<T extends string>({ tabs, value, onChange, label, idPrefix }: { tabs: TabDef<T>[]; value: T; onChange: (id: T) => void; label: string; idPrefix: string }) {
  const move = (e: KeyboardEvent, i: number) => {
    const d = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
    if (!d) return;
    e.preventDefault();
    const next = tabs[(i + d + tabs.length) % tabs.length];
    onChange(next.id);
    document.getElementById(`${idPrefix}-tab-${next.id}`)?.focus();
  };
  return (
    <div class="desk-tabs" role="tablist" aria-label={label}>
      {tabs.map((tab, i) => (
        <button
          type="button"
          role="tab"
          id={`${idPrefix}-tab-${tab.id}`}
          aria-selected={tab.id === value}
          aria-controls={`${idPrefix}-panel`}
          tabIndex={tab.id === value ? 0 : -1}
          class={tab.id === value ? 'desk-tab on' : 'desk-tab'}
          data-testid={`${idPrefix}-tab-${tab.id}`}
          onClick={(e) => {
            onChange(tab.id);
            (e.currentTarget as HTMLElement).scrollIntoView?.({ block: 'nearest', inline: 'nearest' });
          }}
          onKeyDown={(e) => move(e, i)}
        >
          {tab.label}
          {tab.badge ? <span class="desk-tab-badge">{tab.badge}</span> : null}
        </button>
      ))}
    </div>
  );
}

/** A progress bar with its figure for screen readers. */
export function Meter({ value, label, tone }: { value: number; label: string; tone?: 'ok' | 'warn' | 'bad' }) {
  const pct = Math.round(Math.min(1, Math.max(0, value)) * 100);
  return (
    <span class={`desk-meter ${tone ?? ''}`} role="img" aria-label={label} title={label}>
      <span class="desk-meter-fill" style={{ width: `${pct}%` }} />
    </span>
  );
}

/**
 * Two panes on a tablet (the list left, the selection right); on a phone one
 * column that shows the selection instead of the list, with a way back.
 */
export function Split({ list, detail, hasDetail, onBack }: { list: ComponentChildren; detail: ComponentChildren; hasDetail: boolean; onBack: () => void }) {
  const { t } = useI18n();
  return (
    <div class={hasDetail ? 'desk-split has-detail' : 'desk-split'}>
      <section class="desk-list">{list}</section>
      <section class="desk-detail" aria-live="polite">
        {hasDetail ? (
          <>
            <button type="button" class="btn btn-ghost desk-back" onClick={onBack}>
              {t('desk.backToList')}
            </button>
            {detail}
          </>
        ) : (
          <p class="muted desk-pick-one">{t('desk.pickOne')}</p>
        )}
      </section>
    </div>
  );
}
