import { useEffect, useState } from 'preact/hooks';
import { gqlText } from '../../graphql/client';
import { useI18n, type MessageKey } from '../../i18n';
import { FlowMessageView, useFlowFeedback } from '../../ui/flow/Flow';
import { mutateText } from '../../ui/flow/mutate';
import { Split, failureCode, labelOf } from '../desk/common';
import { nodes, type Connection } from '../desk-office/ops';
import type { SectionProps } from '../desk-office/section';
import { downloadDocument } from '../packing/download';
import { EMPTY_USER, ROLES, newPassword, newPin, newUserInput, toggled, type UserDraft } from './logic';
import { CREATE_USER, RESET_USER_SECRET, SCOPE_WAREHOUSES, SET_USER_ACTIVE, UPDATE_USER, USERS, badgeUrl, type DeskUser, type ScopeWarehouse, type UserSaved } from './ops';
import '../desk-site/site.css';

type Feedback = ReturnType<typeof useFlowFeedback>;

/** Users of the site: who they are, what they may do, where; their secrets and badges. */
export function Users({ userId }: SectionProps) {
  const { t, err } = useI18n();
  const fb = useFlowFeedback();
  const [users, setUsers] = useState<DeskUser[] | null>(null);
  const [warehouses, setWarehouses] = useState<ScopeWarehouse[]>([]);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const [find, setFind] = useState('');

  useEffect(() => {
    const load = async () => {
      try {
        const all: DeskUser[] = [];
        let after: string | null = null;
        do {
          const d: { users: Connection<DeskUser> } = await gqlText(USERS, { after });
          all.push(...nodes(d.users));
          after = d.users.pageInfo.hasNextPage ? d.users.pageInfo.endCursor : null;
        } while (after);
        setUsers(all.sort((a, b) => a.username.localeCompare(b.username)));
        const w = await gqlText<{ warehouses: ScopeWarehouse[] }>(SCOPE_WAREHOUSES);
        setWarehouses(w.warehouses);
      } catch (e) {
        setLoadError(failureCode(e));
      }
    };
    void load();
  }, []);

  const remember = (u: DeskUser) => setUsers((l) => [...(l ?? []).filter((x) => x.id !== u.id), u].sort((a, b) => a.username.localeCompare(b.username)));
  const needle = find.trim().toLowerCase();
  const shown = (users ?? []).filter((u) => !needle || u.username.toLowerCase().includes(needle) || u.displayName.toLowerCase().includes(needle));
  const current = users?.find((u) => u.id === selected) ?? null;
  const codeOf = (id: string) => warehouses.find((w) => w.id === id)?.code ?? id;

  const listPane = (
    <div>
      <form class="desk-filters" onSubmit={(e) => e.preventDefault()}>
        <label class="field desk-field">
          {t('users.find')}
          <input class="input" value={find} data-testid="user-find" onInput={(e) => setFind((e.target as HTMLInputElement).value)} />
        </label>
        <button
          type="button"
          class="btn btn-primary btn-small"
          data-testid="user-new"
          onClick={() => {
            setCreating(true);
            setSelected(null);
          }}
        >
          {t('users.new')}
        </button>
      </form>
      {loadError ? <p class="alert alert-error">{err(loadError)}</p> : null}
      {users === null && !loadError ? <p class="muted">{t('desk.loading')}</p> : null}
      <ul class="desk-items" data-testid="user-list">
        {shown.map((u) => (
          <li>
            <button
              type="button"
              class={u.id === selected ? 'desk-item on' : 'desk-item'}
              data-testid="user-item"
              data-username={u.username}
              data-active={String(u.active)}
              onClick={() => {
                setCreating(false);
                setSelected(u.id);
              }}
            >
              <span class="desk-item-head">
                <strong>{u.displayName}</strong>
                {u.active ? null : <span class="chip">{t('users.disabled')}</span>}
              </span>
              <span class="desk-item-sub">
                <span class="code">{u.username}</span> · {u.roles.map((r) => roleLabel(t, r)).join(', ')}
              </span>
              <span class="desk-item-sub">{u.warehouseIds.length ? u.warehouseIds.map(codeOf).join(', ') : t('users.allWarehouses')}</span>
            </button>
          </li>
        ))}
      </ul>
    </div>
  );

  return (
    <>
      <FlowMessageView message={fb.message} />
      <Split
        list={listPane}
        hasDetail={creating || current !== null}
        onBack={() => {
          setCreating(false);
          setSelected(null);
        }}
        detail={
          creating ? (
            <NewUser
              warehouses={warehouses}
              fb={fb}
              onCreated={(u) => {
                remember(u);
                setCreating(false);
                setSelected(u.id);
              }}
            />
          ) : current ? (
            <UserDetail key={current.id} user={current} self={current.id === userId} warehouses={warehouses} fb={fb} onChanged={remember} />
          ) : null
        }
      />
    </>
  );
}

const roleLabel = (t: (k: MessageKey) => string, role: string) => t(`users.role.${role}` as MessageKey);

function Scope({ warehouses, roles, warehouseIds, onRoles, onWarehouses }: { warehouses: ScopeWarehouse[]; roles: string[]; warehouseIds: string[]; onRoles: (r: string[]) => void; onWarehouses: (w: string[]) => void }) {
  const { t } = useI18n();
  return (
    <>
      <fieldset class="office-conds" data-testid="user-roles">
        <legend>{t('users.roles')}</legend>
        <div class="office-row">
          {ROLES.map((r) => (
            <label class="site-check">
              <input type="checkbox" value={r} checked={roles.includes(r)} data-testid={`role-${r}`} onChange={(e) => onRoles(toggled(roles, r, (e.target as HTMLInputElement).checked))} />
              {roleLabel(t, r)}
            </label>
          ))}
        </div>
      </fieldset>
      <fieldset class="office-conds" data-testid="user-warehouses">
        <legend>{t('users.warehouses')}</legend>
        <p class="muted small">{t('users.warehousesHint')}</p>
        <div class="office-row">
          {warehouses.map((w) => (
            <label class="site-check">
              <input type="checkbox" checked={warehouseIds.includes(w.id)} data-testid={`wh-${w.code}`} onChange={(e) => onWarehouses(toggled(warehouseIds, w.id, (e.target as HTMLInputElement).checked))} />
              <span class="code">{w.code}</span> {w.name}
              {warehouseIds[0] === w.id ? <span class="chip">{t('users.home')}</span> : null}
            </label>
          ))}
        </div>
      </fieldset>
    </>
  );
}

function NewUser({ warehouses, fb, onCreated }: { warehouses: ScopeWarehouse[]; fb: Feedback; onCreated: (u: DeskUser) => void }) {
  const { t, locale } = useI18n();
  const [d, setD] = useState<UserDraft>(EMPTY_USER);
  const [busy, setBusy] = useState(false);
  const set = (k: 'username' | 'displayName' | 'password' | 'pin') => (e: Event) => setD({ ...d, [k]: (e.target as HTMLInputElement).value });

  const submit = async (e: Event) => {
    e.preventDefault();
    fb.clear();
    const built = newUserInput(d, locale);
    if (!built.ok) return fb.error(t('users.fieldWrong', { field: t(`users.f.${built.field}` as MessageKey) }));
    setBusy(true);
    const out = await mutateText<UserSaved>('createUser', CREATE_USER, built.input, { queueOffline: false });
    setBusy(false);
    if (!fb.outcome(out) || out.status !== 'ok') return;
    fb.ok(t('users.created', { username: out.data.user.username }));
    onCreated(out.data.user);
  };

  return (
    <form class="card desk-card stack office-form" data-testid="user-form" onSubmit={(e) => void submit(e)}>
      <h2 class="office-h">{t('users.new')}</h2>
      <div class="office-row">
        <label class="field">
          {t('users.f.username')}
          <input class="input" value={d.username} maxLength={64} autoComplete="off" data-testid="user-username" onInput={set('username')} />
        </label>
        <label class="field">
          {t('users.f.displayName')}
          <input class="input" value={d.displayName} maxLength={120} data-testid="user-name" onInput={set('displayName')} />
        </label>
      </div>
      <Scope warehouses={warehouses} roles={d.roles} warehouseIds={d.warehouseIds} onRoles={(roles) => setD({ ...d, roles })} onWarehouses={(warehouseIds) => setD({ ...d, warehouseIds })} />
      <div class="office-row">
        <label class="field">
          {t('users.f.password')}
          <input class="input" type="text" value={d.password} autoComplete="new-password" data-testid="user-password" onInput={set('password')} />
        </label>
        <label class="field">
          {t('users.f.pin')}
          <input class="input office-num" inputMode="numeric" value={d.pin} autoComplete="off" data-testid="user-pin" onInput={set('pin')} />
        </label>
        <button type="button" class="btn btn-ghost btn-small" data-testid="user-generate" onClick={() => setD({ ...d, password: newPassword(), pin: newPin() })}>
          {t('users.generate')}
        </button>
      </div>
      <p class="muted small">{t('users.secretHint')}</p>
      <button type="submit" class="btn btn-primary" disabled={busy} data-testid="user-create">
        {t('users.create')}
      </button>
    </form>
  );
}

function UserDetail({ user, self, warehouses, fb, onChanged }: { user: DeskUser; self: boolean; warehouses: ScopeWarehouse[]; fb: Feedback; onChanged: (u: DeskUser) => void }) {
  const { t, locale } = useI18n();
  // The home warehouse first: the server takes the first as home.
  const ordered = user.homeWarehouseId ? [user.homeWarehouseId, ...user.warehouseIds.filter((w) => w !== user.homeWarehouseId)] : user.warehouseIds;
  const [roles, setRoles] = useState<string[]>(user.roles);
  const [warehouseIds, setWarehouseIds] = useState<string[]>(ordered);
  const [secret, setSecret] = useState<{ kind: 'pin' | 'password'; value: string } | null>(null);
  const [busy, setBusy] = useState(false);

  const run = async (name: string, query: string, input: Record<string, unknown>): Promise<DeskUser | null> => {
    fb.clear();
    setBusy(true);
    const out = await mutateText<UserSaved>(name, query, input, { queueOffline: false });
    setBusy(false);
    if (!fb.outcome(out) || out.status !== 'ok') return null;
    onChanged(out.data.user);
    return out.data.user;
  };

  const save = async () => {
    if (roles.length === 0) return fb.error(t('users.fieldWrong', { field: t('users.f.roles') }));
    const u = await run('updateUser', UPDATE_USER, { username: user.username, displayName: user.displayName, locale: user.locale, roles, warehouseIds });
    if (u) fb.ok(t('users.saved', { username: u.username }));
  };

  const setActive = async (active: boolean) => {
    const u = await run('setUserActive', SET_USER_ACTIVE, { username: user.username, active });
    if (u) fb.ok(t(active ? 'users.enabledDone' : 'users.disabledDone', { username: u.username }));
  };

  const reset = async (kind: 'pin' | 'password') => {
    setSecret(null);
    const value = kind === 'pin' ? newPin() : newPassword();
    const u = await run('resetUserSecret', RESET_USER_SECRET, { username: user.username, [kind]: value });
    if (u) setSecret({ kind, value });
  };

  const badge = async () => {
    fb.clear();
    const ok = await downloadDocument(badgeUrl(user.id), `badge-${user.username}.pdf`).catch(() => false);
    if (ok) fb.ok(t('users.badgeReady', { username: user.username }));
    else fb.errorCode(user.badgeCode ? 'REQUEST_FAILED' : 'DOCUMENT_NOT_FOUND');
  };

  return (
    <div class="stack" data-testid="user-detail" data-username={user.username}>
      <section class="card desk-card stack">
        <div class="office-row">
          <h2 class="office-h">
            {user.displayName} <span class="muted code">{user.username}</span>
          </h2>
          <span class="chip">{user.active ? t('users.enabled') : t('users.disabled')}</span>
        </div>
        <p class="muted small">
          {t('users.badgeCode')}: <span class="mono">{user.badgeCode ?? '—'}</span> · {labelOf(locale, 'users.locale', user.locale)}
        </p>
        <Scope warehouses={warehouses} roles={roles} warehouseIds={warehouseIds} onRoles={setRoles} onWarehouses={setWarehouseIds} />
        <div class="office-actions">
          <button type="button" class="btn btn-primary btn-small" disabled={busy} data-testid="user-save" onClick={() => void save()}>
            {t('users.save')}
          </button>
          <span class="muted small office-hint">{t('users.saveHint')}</span>
        </div>
      </section>
      <section class="card desk-card stack">
        <div class="office-actions">
          <button type="button" class="btn btn-secondary btn-small" disabled={busy} data-testid="user-reset-pin" onClick={() => void reset('pin')}>
            {t('users.resetPin')}
          </button>
          <button type="button" class="btn btn-secondary btn-small" disabled={busy} data-testid="user-reset-password" onClick={() => void reset('password')}>
            {t('users.resetPassword')}
          </button>
          <button type="button" class="btn btn-secondary btn-small" disabled={busy || !user.badgeCode} data-testid="user-badge" onClick={() => void badge()}>
            {t('users.printBadge')}
          </button>
          {user.active ? (
            <button type="button" class="btn btn-ghost btn-small" disabled={busy || self} title={self ? t('users.notSelf') : undefined} data-testid="user-disable" onClick={() => void setActive(false)}>
              {t('users.disable')}
            </button>
          ) : (
            <button type="button" class="btn btn-ghost btn-small" disabled={busy} data-testid="user-enable" onClick={() => void setActive(true)}>
              {t('users.enable')}
            </button>
          )}
        </div>
        {secret ? (
          <div class="alert" role="status" data-testid="user-secret">
            <p>{t(secret.kind === 'pin' ? 'users.newPin' : 'users.newPassword', { username: user.username })}</p>
            <p class="mono site-secret" data-testid="user-secret-value">
              {secret.value}
            </p>
            <p class="muted small">{t('users.shownOnce')}</p>
            <button type="button" class="btn btn-secondary btn-small" data-testid="user-secret-done" onClick={() => setSecret(null)}>
              {t('users.noted')}
            </button>
          </div>
        ) : null}
      </section>
    </div>
  );
}
