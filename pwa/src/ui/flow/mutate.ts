import { AuthError, NetworkError, RequestError, gql, isUserError } from '../../graphql/client';
import { sendOrQueue } from '../../offline/sync';
import { uuid } from '../../offline/uuid';

/**
 * Handheld mutations from the guided screens. Each action gets its
 * idempotency key before it is sent; when the network is down the mutation
 * goes to the outbox with that key and is replayed later (the server answers
 * a replayed key with its first answer, so nothing happens twice).
 */

export type Outcome<T> =
  | { status: 'ok'; data: T }
  /** Kept in the outbox: will be sent when the link is back. */
  | { status: 'queued'; key: string }
  /** The server said no (a UserError): nothing changed. */
  | { status: 'refused'; code: string; message: string; field: string | null }
  /** The request failed another way (server fault, signed out). */
  | { status: 'failed'; code: string };

/** The first field of a GraphQL answer (`{ confirmPick: {...} }` → `{...}`). */
function payloadOf(data: unknown): unknown {
  if (!data || typeof data !== 'object') return null;
  const values = Object.values(data as Record<string, unknown>);
  return values.length === 1 ? values[0] : data;
}

/** Sort a mutation's answer (a result union) into success or refusal. */
export function classify<T>(payload: unknown): Outcome<T> {
  if (isUserError(payload)) {
    return { status: 'refused', code: payload.code, message: payload.message, field: payload.field ?? null };
  }
  if (payload == null) return { status: 'failed', code: 'REQUEST_FAILED' };
  return { status: 'ok', data: payload as T };
}

export interface MutateOptions {
  /** Reuse a key (retrying the same action). */
  idempotencyKey?: string;
  /** Keep the mutation for later when offline (default). False: offline is an error. */
  queueOffline?: boolean;
}

/**
 * Send `query` with `{ input: { ...input, idempotencyKey } }`. The mutation's
 * result union must select `... on UserError { code message field }`.
 */
export async function mutate<T>(
  name: string,
  query: string,
  input: Record<string, unknown>,
  opts: MutateOptions = {},
): Promise<Outcome<T>> {
  const key = opts.idempotencyKey ?? uuid();
  const variables = { input: { ...input, idempotencyKey: key } };
  try {
    if (opts.queueOffline === false) {
      return classify<T>(payloadOf(await gql(query, variables)));
    }
    const sent = await sendOrQueue<unknown>(name, query, variables, key);
    if (sent.queued) return { status: 'queued', key };
    return classify<T>(payloadOf(sent.data));
  } catch (err) {
    if (err instanceof NetworkError) return { status: 'failed', code: 'NETWORK' };
    if (err instanceof AuthError) return { status: 'failed', code: 'UNAUTHENTICATED' };
    if (err instanceof RequestError && /^[A-Z_]+$/.test(err.code)) return { status: 'failed', code: err.code };
    return { status: 'failed', code: 'REQUEST_FAILED' };
  }
}
