import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { authStore } from '../../auth';
import { gqlText } from '../../graphql/client';
import { useI18n } from '../../i18n';
import { useStore } from '../../store';
import { can } from '../desk/access';
import { Tabs, WarehousePicker, useWarehouses } from '../desk/common';
import { sectionsFor, type OfficeSection } from './access';
import { WAITING_ADJUSTMENTS, WAITING_ALERTS, WAITING_VARIANCES, type Connection } from './ops';
import type { SectionProps } from './section';
import { badgeText, waitingOf, type Waiting } from './waiting';
import { INBOX_COUNTS } from '../desk-inbox/ops';
import './office.css';

/** Each section is a chunk of its own: opening approvals does not load the rule editor. */
const LOADERS: Record<OfficeSection, () => Promise<ComponentType<SectionProps>>> = {
  inbox: () => import('../desk-inbox/Inbox').then((m) => m.Inbox),
  approvals: () => import('../desk-approvals/Adjustments').then((m) => m.Adjustments),
  variances: () => import('../desk-counts/Variances').then((m) => m.Variances),
  plans: () => import('../desk-counts/CountPlans').then((m) => m.CountPlans),
  stock: () => import('../desk-stock/StockStatus').then((m) => m.StockStatus),
  alerts: () => import('../desk-alerts/Alerts').then((m) => m.Alerts),
  audit: () => import('../desk-audit/Audit').then((m) => m.Audit),
  orders: () => import('../desk-orders/SalesOrders').then((m) => m.SalesOrders),
  items: () => import('../desk-masterdata/Items').then((m) => m.Items),
  parties: () => import('../desk-masterdata/Parties').then((m) => m.Parties),
  imports: () => import('../desk-masterdata/Imports').then((m) => m.Imports),
  returns: () => import('../desk-returns/Returns').then((m) => m.Returns),
  site: () => import('../desk-site/Site').then((m) => m.Site),
  users: () => import('../desk-users/Users').then((m) => m.Users),
  reports: () => import('../desk-reports/Reports').then((m) => m.Reports),
  setup: () => import('../desk-setup/Setup').then((m) => m.Setup),
};

type Figures = Partial<Record<'approvals' | 'variances' | 'alerts' | 'inbox', Waiting>>;

/**
 * The supervisor's and office's desk: what waits for a decision (with its
 * count on the tab), counting, stock status, alerts, the audit trail and
 * sales orders, each a section the role may use.
 */
export function OfficeScreen() {
  const { t } = useI18n();
  const auth = useStore(authStore);
  const roles = auth.status === 'signed-in' ? auth.session.user.roles : [];
  const userId = auth.status === 'signed-in' ? auth.session.user.id : null;
  const sections = sectionsFor(roles);
  const warehouses = useWarehouses();
  const [warehouseId, setWarehouseId] = useState<string | null>(null);
  const [section, setSection] = useState<OfficeSection>(sections[0] ?? 'alerts');
  const [figures, setFigures] = useState<Figures>({});
  const [tick, setTick] = useState(0);

  useEffect(() => {
    const one = async (key: keyof Figures, query: string, field: string) => {
      try {
        const d = await gqlText<Record<string, Connection<unknown>>>(query, { warehouseId });
        setFigures((f) => ({ ...f, [key]: waitingOf(d[field]) }));
      } catch {
        setFigures((f) => ({ ...f, [key]: undefined }));
      }
    };
    if (can(roles, 'inventory.approve')) {
      void one('approvals', WAITING_ADJUSTMENTS, 'adjustments');
      void one('variances', WAITING_VARIANCES, 'countReviews');
    }
    if (can(roles, 'stock.read')) {
      void one('alerts', WAITING_ALERTS, 'alerts');
      void gqlText<{ exceptionInbox: { total: number } }>(INBOX_COUNTS, { warehouseId })
        .then((d) => setFigures((f) => ({ ...f, inbox: { n: d.exceptionInbox.total, more: false } })))
        .catch(() => setFigures((f) => ({ ...f, inbox: undefined })));
    }
  }, [warehouseId, tick]);

  const label = (s: OfficeSection) => {
    const n = badgeText(figures[s as keyof Figures]);
    return n ? `${t(`office.tab.${s}`)} (${n})` : t(`office.tab.${s}`);
  };

  if (sections.length === 0) return <p class="alert alert-error">{t('error.PERMISSION_DENIED')}</p>;
  return (
    <div class="desk office" data-testid="office">
      <div class="desk-top">
        <Tabs
          idPrefix="office"
          label={t('office.sections')}
          value={section}
          onChange={setSection}
          tabs={sections.map((s) => ({ id: s, label: label(s) }))}
        />
        <WarehousePicker list={warehouses} value={warehouseId} onChange={setWarehouseId} />
      </div>
      <div id="office-panel" role="tabpanel" aria-labelledby={`office-tab-${section}`}>
        <Section key={section} load={LOADERS[section]} props={{ roles, userId, warehouseId, onDecided: () => setTick((n) => n + 1) }} />
      </div>
    </div>
  );
}

function Section({ load, props }: { load: () => Promise<ComponentType<SectionProps>>; props: SectionProps }) {
  const { t } = useI18n();
  const [Screen, setScreen] = useState<ComponentType<SectionProps> | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let live = true;
    load()
      .then((c) => live && setScreen(() => c))
      .catch(() => live && setFailed(true));
    return () => {
      live = false;
    };
  }, []);
  if (failed) return <p class="alert alert-error">{t('error.NETWORK')}</p>;
  if (!Screen) return <p class="muted">{t('desk.loading')}</p>;
  return <Screen {...props} />;
}
