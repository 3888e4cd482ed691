import { useI18n, type MessageKey } from '../../i18n';
import { priorityBand } from './logic';

export function KindBadge({ kind }: { kind: string }) {
  const { kind: label } = useI18n();
  return <span class={`chip chip-kind kind-${kind.toLowerCase()}`}>{label(kind)}</span>;
}

export function PriorityBadge({ priority, always = false }: { priority: number; always?: boolean }) {
  const { t } = useI18n();
  const band = priorityBand(priority);
  if (band === 'normal' && !always) return null;
  return (
    <span class={`chip chip-prio prio-${band}`} title={`${t('tasks.priority')} ${priority}`}>
      {t(`priority.${band}` as MessageKey)}
    </span>
  );
}
