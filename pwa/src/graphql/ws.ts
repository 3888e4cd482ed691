import { createClient, type Client } from 'graphql-ws';
import { GRAPHQL_PATH } from './client';

export type LinkStatus = 'connecting' | 'online' | 'reconnecting' | 'offline';

export function wsUrl(): string {
  const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${proto}//${location.host}${GRAPHQL_PATH}`;
}

/** Close codes with which the server refuses the token. */
const AUTH_CLOSE_CODES = new Set([4401, 4403]);

/**
 * A graphql-transport-ws client that authenticates in `connection_init`
 * and retries forever with backoff (a handheld walks in and out of Wi-Fi).
 */
export function createWsClient(opts: {
  token: () => string | null;
  onStatus: (status: LinkStatus) => void;
  onAuthRejected: () => void;
  /** Every (re)connection: the place to refetch what events may have been missed. */
  onConnected: () => void;
}): Client {
  let everConnected = false;
  return createClient({
    url: wsUrl(),
    lazy: false,
    keepAlive: 12_000,
    retryAttempts: Infinity,
    // A socket the server closed for good (signed out, session revoked: 4401) is
    // handled in `closed` below; graphql-ws would otherwise log it with console.error.
    onNonLazyError: () => undefined,
    shouldRetry: (event) => {
      const code = (event as CloseEvent | undefined)?.code;
      return !(code !== undefined && AUTH_CLOSE_CODES.has(code));
    },
    retryWait: async (retries) => {
      const ms = Math.min(1000 * 2 ** retries, 15_000) * (0.75 + Math.random() * 0.5);
      await new Promise((r) => setTimeout(r, ms));
    },
    connectionParams: () => {
      const token = opts.token();
      return token ? { authorization: `Bearer ${token}` } : {};
    },
    on: {
      connecting: () => opts.onStatus(everConnected ? 'reconnecting' : 'connecting'),
      connected: () => {
        opts.onStatus('online');
        everConnected = true;
        opts.onConnected();
      },
      closed: (event) => {
        const code = (event as CloseEvent | undefined)?.code;
        if (code !== undefined && AUTH_CLOSE_CODES.has(code)) {
          opts.onAuthRejected();
          return;
        }
        opts.onStatus(navigator.onLine ? 'reconnecting' : 'offline');
      },
    },
  });
}
