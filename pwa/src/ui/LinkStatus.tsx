import type { LinkStatus } from '../graphql/ws';
import { useI18n, type MessageKey } from '../i18n';

const LABEL: Record<LinkStatus, MessageKey> = {
  online: 'link.online',
  offline: 'link.offline',
  reconnecting: 'link.reconnecting',
  connecting: 'link.connecting',
};

export function LinkPill({ status }: { status: LinkStatus }) {
  const { t } = useI18n();
  return (
    <span class={`link-pill link-${status}`} role="status" data-testid="link-status" data-status={status}>
      <span class="link-dot" aria-hidden="true" />
      {t(LABEL[status])}
    </span>
  );
}
