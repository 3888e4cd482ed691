import { registerSW } from 'virtual:pwa-register';
import { createStore } from '../store';

export interface SwState {
  offlineReady: boolean;
  needRefresh: boolean;
}

export const swStore = createStore<SwState>({ offlineReady: false, needRefresh: false });

let update: ((reload?: boolean) => Promise<void>) | null = null;

const SEEN_KEY = 'wms.offlineReadySeen';

/**
 * Register the service worker (precached, versioned app shell). The first
 * time the shell is cached we say so once, calmly; a new version waits for
 * the user to reload, never in the middle of a task.
 */
export function startServiceWorker(): void {
  if (!('serviceWorker' in navigator)) return;
  update = registerSW({
    immediate: true,
    onOfflineReady() {
      if (localStorage.getItem(SEEN_KEY) === __APP_VERSION__) return;
      localStorage.setItem(SEEN_KEY, __APP_VERSION__);
      swStore.set((s) => ({ ...s, offlineReady: true }));
    },
    onNeedRefresh() {
      swStore.set((s) => ({ ...s, needRefresh: true }));
    },
  });
}

export function applyUpdate(): void {
  void update?.(true);
}

export function dismissSwMessage(): void {
  swStore.set({ offlineReady: false, needRefresh: false });
}
