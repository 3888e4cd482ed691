import { TypedDocumentString } from '../../graphql/generated/graphql';
import { AuthError, NetworkError, RequestError, gql, isUserError, type UserErrorShape } from '../../graphql/client';
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

/** The one field of a mutation's answer (`{ pickConfirm: {...} }` → `{...}`). */
export type Payload<R> = R[keyof R];

/** The members of a result union that are not a UserError. */
export type Success<R> = Exclude<Payload<R>, UserErrorShape>;

function payloadOf<R extends object>(data: R): Payload<R> {
  return data[Object.keys(data)[0] as keyof R];
}

/** Sort a mutation's answer (a result union) into success or refusal. */
export function classify<P>(payload: P | null | undefined): Outcome<Exclude<P, UserErrorShape>> {
  if (isUserError(payload)) {
    return { status: 'refused', code: payload.code, message: payload.message, field: payload.field ?? null };
  }
  if (payload == null) return { status: 'failed', code: 'REQUEST_FAILED' };
  // What is left of the union once the UserErrors are sorted out (TypeScript does not narrow a generic union).
  return { status: 'ok', data: payload as Exclude<P, UserErrorShape> };
}

export interface MutateOptions {
  /** Reuse a key (retrying the same action). */
  idempotencyKey?: string;
  /** Keep the mutation for later when offline (default). False: offline is an error. */
  queueOffline?: boolean;
}

/**
 * Send `document` with `{ input: { ...input, idempotencyKey } }`. The mutation's
 * result union must select `... on UserError { code message field }`.
 */
export async function mutate<R extends object, I extends { idempotencyKey?: string | null }>(
  name: string,
  document: TypedDocumentString<R, { input: I }>,
  input: Omit<I, 'idempotencyKey'>,
  opts: MutateOptions = {},
): Promise<Outcome<Success<R>>> {
  const key = opts.idempotencyKey ?? uuid();
  // Omit<I, K> & Pick<I, K> is I, which TypeScript does not see for a generic I.
  const variables = { input: { ...input, idempotencyKey: key } as I };
  try {
    if (opts.queueOffline === false) {
      return classify(payloadOf<R>(await gql(document, variables)));
    }
    const sent = await sendOrQueue(name, document, variables, key);
    if (sent.queued) return { status: 'queued', key };
    return classify(payloadOf<R>(sent.data));
  } catch (err) {
    if (err instanceof NetworkError) return { status: 'failed', code: 'NETWORK' };
    if (err instanceof AuthError) return { status: 'failed', code: 'UNAUTHENTICATED' };
    if (err instanceof RequestError && /^[A-Z_]+$/.test(err.code)) return { status: 'failed', code: err.code };
    return { status: 'failed', code: 'REQUEST_FAILED' };
  }
}

/**
 * `mutate` for a hand-written mutation text whose success type the screen declares
 * (the office desk's screens, not yet moved to an operations.graphql).
 */
export async function mutateText<T>(
  name: string,
  query: string,
  input: Record<string, unknown>,
  opts: MutateOptions = {},
): Promise<Outcome<T>> {
  const document = new TypedDocumentString<Record<string, unknown>, { input: Record<string, unknown> }>(query);
  return (await mutate(name, document, input, opts)) as Outcome<T>;
}
