import { useEffect, useState } from 'preact/hooks';

/**
 * Hash routes (#/task/42): they work from any static server and from the
 * service worker's cached shell, with no server-side fallback needed.
 */
export type Route = { name: 'tasks' } | { name: 'task'; id: string } | { name: Page };

/** Screens opened from the menu rather than from a task. */
export const PAGES = ['planner', 'receive', 'pack', 'dock', 'move', 'lookup', 'desk', 'office', 'analytics'] as const;
export type Page = (typeof PAGES)[number];

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#\/?/, '');
  const m = /^task\/([^/]+)$/.exec(path);
  if (m) return { name: 'task', id: decodeURIComponent(m[1]) };
  const page = PAGES.find((p) => p === path);
  if (page) return { name: page };
  return { name: 'tasks' };
}

export function href(route: Route): string {
  if (route.name === 'task') return `#/task/${encodeURIComponent(route.id)}`;
  if (route.name === 'tasks') return '#/';
  return `#/${route.name}`;
}

export function navigate(route: Route): void {
  location.hash = href(route);
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const on = () => setRoute(parseRoute(location.hash));
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return route;
}
