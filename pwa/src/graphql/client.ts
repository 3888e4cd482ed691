import type { TypedDocumentString } from './generated/graphql';

/**
 * A small GraphQL-over-HTTP client: one POST, typed errors. Operations are
 * the generated typed documents (src/graphql/generated, `npm run codegen`),
 * so an answer has its operation's result type.
 */

export const GRAPHQL_PATH = '/graphql';

export interface UserErrorShape {
  __typename?: string;
  code: string;
  message: string;
  field?: string | null;
}

/** The request never reached the server or got no usable answer. */
export class NetworkError extends Error {
  constructor(message = 'network error') {
    super(message);
    this.name = 'NetworkError';
  }
}

/** The token is missing, expired or revoked (top-level UNAUTHENTICATED). */
export class AuthError extends Error {
  constructor(message = 'unauthenticated') {
    super(message);
    this.name = 'AuthError';
  }
}

/** Any other top-level GraphQL error (malformed request, server fault). */
export class RequestError extends Error {
  readonly code: string;
  constructor(message: string, code = 'REQUEST_FAILED') {
    super(message);
    this.name = 'RequestError';
    this.code = code;
  }
}

interface GraphQLResponse<T> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

let tokenProvider: () => string | null = () => null;
let onUnauthenticated: () => void = () => {};

export function configureClient(opts: { token: () => string | null; onUnauthenticated: () => void }): void {
  tokenProvider = opts.token;
  onUnauthenticated = opts.onUnauthenticated;
}

interface RequestOptions {
  signal?: AbortSignal;
  token?: string | null;
}

/** Send a generated operation; the answer is typed by the document. */
export async function gql<R, V>(document: TypedDocumentString<R, V>, variables: V, opts: RequestOptions = {}): Promise<R> {
  return post<R>(document.toString(), variables, opts);
}

/**
 * A hand-written operation with its result type declared by the caller: the office
 * desk's screens and the device sync report, not yet moved to an operations.graphql
 * (see pwa/README.md), and the task outbox, which sends the text it stored.
 */
export async function gqlText<R>(query: string, variables: Record<string, unknown> = {}, opts: RequestOptions = {}): Promise<R> {
  return post<R>(query, variables, opts);
}

/** Send stored operation text (the offline outbox replays what it kept, as it was kept). */
export async function sendText(query: string, variables: Record<string, unknown>, opts: RequestOptions = {}): Promise<Record<string, unknown>> {
  return post<Record<string, unknown>>(query, variables, opts);
}

async function post<T>(query: string, variables: unknown, opts: RequestOptions): Promise<T> {
  const token = opts.token !== undefined ? opts.token : tokenProvider();
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: 'application/graphql-response+json, application/json',
  };
  if (token) headers.authorization = `Bearer ${token}`;

  let res: Response;
  try {
    res = await fetch(GRAPHQL_PATH, {
      method: 'POST',
      headers,
      body: JSON.stringify({ query, variables: variables ?? {} }),
      signal: opts.signal,
      cache: 'no-store',
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new NetworkError(err instanceof Error ? err.message : String(err));
  }

  let body: GraphQLResponse<T>;
  try {
    body = (await res.json()) as GraphQLResponse<T>;
  } catch {
    if (res.status === 401 || res.status === 403) {
      onUnauthenticated();
      throw new AuthError();
    }
    throw res.status >= 500 || res.status === 0 ? new NetworkError(`HTTP ${res.status}`) : new RequestError(`HTTP ${res.status}`);
  }

  const errors = body.errors ?? [];
  if (errors.some((e) => e.extensions?.code === 'UNAUTHENTICATED') || res.status === 401) {
    onUnauthenticated();
    throw new AuthError(errors[0]?.message);
  }
  if (errors.length > 0 && !body.data) {
    throw new RequestError(errors.map((e) => e.message).join('; '), errors[0].extensions?.code);
  }
  if (!body.data) throw new RequestError(`HTTP ${res.status}: no data`);
  return body.data;
}

/** A union member that implements UserError (has a code). */
export function isUserError(value: unknown): value is UserErrorShape {
  return typeof value === 'object' && value !== null && typeof (value as UserErrorShape).code === 'string';
}
