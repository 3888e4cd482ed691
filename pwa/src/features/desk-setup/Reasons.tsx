import { useI18n, type MessageKey } from '../../i18n';
import { ADJUSTMENT_REASONS } from './ops';

/**
 * Adjustment reason codes. They are fixed in the server (AdjustmentReason), because
 * each one decides how a move is booked (FOUND adds stock, the others take it away);
 * the desk shows what each means rather than letting a site add codes it cannot book.
 */
export function Reasons() {
  const { t } = useI18n();
  return (
    <div class="stack">
      <p class="muted">{t('setup.reason.hint')}</p>
      <table class="desk-table setup-table" data-testid="setup-reason-list">
        <thead>
          <tr>
            <th>{t('setup.reason.code')}</th>
            <th>{t('setup.reason.name')}</th>
            <th>{t('setup.reason.direction')}</th>
            <th>{t('setup.reason.meaning')}</th>
          </tr>
        </thead>
        <tbody>
          {ADJUSTMENT_REASONS.map((r) => (
            <tr data-testid="setup-reason" data-code={r}>
              <td class="code">{r}</td>
              <td>{t(`office.reason.${r}` as MessageKey)}</td>
              <td>{t(r === 'FOUND' ? 'setup.reason.adds' : 'setup.reason.removes')}</td>
              <td>{t(`setup.reasonMeaning.${r}` as MessageKey)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
