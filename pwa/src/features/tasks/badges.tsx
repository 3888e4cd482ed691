import { useI18n, type MessageKey } from '../../i18n';
import { priorityBand } from './logic';

export function KindBadge({ kind }: { kind: string }) {
  const { kind: label } = useI18n();
  return <span class={`chip chip-kind kind-${kind.toLowerCase()}`}>{label(kind)}</span>;
}

/** "P1 Urgent", "P3 High", "P5": the number always, the word when it matters. */
export function PriorityBadge({ priority }: { priority: number }) {
  const { t } = useI18n();
  const band = priorityBand(priority);
  const word = band === 'urgent' || band === 'high' ? ` ${t(`priority.${band}` as MessageKey)}` : '';
  return (
    <span class={`chip chip-prio prio-${band}`} title={`${t('tasks.priority')} ${priority} (${t(`priority.${band}` as MessageKey)})`}>
      P{priority}
      {word}
    </span>
  );
}
