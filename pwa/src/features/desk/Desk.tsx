import { useEffect, useState } from 'preact/hooks';
import { DeskDiscrepanciesDocument } from '../../graphql/generated/graphql';
import { authStore } from '../../auth';
import { gql } from '../../graphql/client';
import { useI18n } from '../../i18n';
import { useStore } from '../../store';
import { can } from './access';
import { Devices } from './Devices';
import { Discrepancies } from './Discrepancies';
import { PurchaseOrders } from './PurchaseOrders';
import { Receipts } from './Receipts';
import { Serials } from './Serials';
import { Suppliers } from './Suppliers';
import { Tabs, WarehousePicker, useWarehouses } from './common';

type Section = 'pos' | 'receipts' | 'discrepancies' | 'suppliers' | 'serials' | 'devices';

/**
 * The supervisor's inbound desk on a tablet: purchase orders with their
 * progress and approvals, receipts, receiving discrepancies and supplier
 * figures, each a list with the selection beside it.
 */
export function DeskScreen() {
  const { t } = useI18n();
  const auth = useStore(authStore);
  const roles = auth.status === 'signed-in' ? auth.session.user.roles : [];
  const warehouses = useWarehouses();
  const [warehouseId, setWarehouseId] = useState<string | null>(null);
  const [section, setSection] = useState<Section>('pos');
  const [focusPo, setFocusPo] = useState<string | null>(null);
  const [issues, setIssues] = useState<number | undefined>(undefined);

  useEffect(() => {
    void gql(DeskDiscrepanciesDocument, { warehouseId })
      .then((d) => setIssues(d.receivingDiscrepancies.length))
      .catch(() => setIssues(undefined));
  }, [warehouseId]);

  return (
    <div class="desk" data-testid="desk">
      <div class="desk-top">
        <Tabs
          idPrefix="desk"
          label={t('desk.sections')}
          value={section}
          onChange={setSection}
          tabs={[
            { id: 'pos', label: t('desk.tab.pos') },
            { id: 'receipts', label: t('desk.tab.receipts') },
            { id: 'discrepancies', label: t('desk.tab.discrepancies'), badge: issues },
            { id: 'suppliers', label: t('desk.tab.suppliers') },
            { id: 'serials', label: t('desk.tab.serials') },
            ...(can(roles, 'task.manage') ? [{ id: 'devices' as const, label: t('desk.tab.devices') }] : []),
          ]}
        />
        <WarehousePicker list={warehouses} value={warehouseId} onChange={setWarehouseId} />
      </div>
      <div id="desk-panel" role="tabpanel" aria-labelledby={`desk-tab-${section}`}>
        {section === 'pos' ? <PurchaseOrders roles={roles} warehouseId={warehouseId} focus={focusPo} onFocused={() => setFocusPo(null)} /> : null}
        {section === 'receipts' ? <Receipts roles={roles} warehouseId={warehouseId} /> : null}
        {section === 'discrepancies' ? (
          <Discrepancies
            warehouseId={warehouseId}
            onCount={setIssues}
            onOpenPo={(number) => {
              setFocusPo(number);
              setSection('pos');
            }}
          />
        ) : null}
        {section === 'suppliers' ? <Suppliers warehouseId={warehouseId} /> : null}
        {section === 'serials' ? <Serials /> : null}
        {section === 'devices' ? <Devices warehouseId={warehouseId} /> : null}
      </div>
    </div>
  );
}
