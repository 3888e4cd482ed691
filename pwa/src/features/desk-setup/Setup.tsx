import { useState } from 'preact/hooks';
import { useI18n } from '../../i18n';
import { can } from '../desk/access';
import { Tabs } from '../desk/common';
import type { SectionProps } from '../desk-office/section';
import { Cartons } from './Cartons';
import { Carriers } from './Carriers';
import { Printers } from './Printers';
import { Reasons } from './Reasons';
import { Rules } from './Rules';
import '../desk-masterdata/masterdata.css';
import './setup.css';

type Part = 'carriers' | 'cartons' | 'printers' | 'rules' | 'reasons';

/** The site's setup lists: carriers and services, carton types, printers, approval rules, reason codes. */
export function Setup({ roles, warehouseId }: SectionProps) {
  const { t } = useI18n();
  // Approval rules are the purchasing approvers' (purchase.approve); the rest is master data.
  const parts: Part[] = ['carriers', 'cartons', 'printers', ...(can(roles, 'purchase.approve') ? (['rules'] as const) : []), 'reasons'];
  const [part, setPart] = useState<Part>('carriers');
  return (
    <div class="stack setup" data-testid="setup">
      <Tabs idPrefix="setup" label={t('setup.parts')} value={part} onChange={setPart} tabs={parts.map((p) => ({ id: p, label: t(`setup.part.${p}`) }))} />
      {part === 'carriers' ? <Carriers /> : null}
      {part === 'cartons' ? <Cartons /> : null}
      {part === 'printers' ? <Printers warehouseId={warehouseId} /> : null}
      {part === 'rules' ? <Rules /> : null}
      {part === 'reasons' ? <Reasons /> : null}
    </div>
  );
}
