import { useEffect, useState } from 'preact/hooks';

/**
 * Hash routes (#/task/42): they work from any static server and from the
 * service worker's cached shell, with no server-side fallback needed.
 */
export type Route = { name: 'tasks' } | { name: 'task'; id: string };

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#\/?/, '');
  const m = /^task\/([^/]+)$/.exec(path);
  if (m) return { name: 'task', id: decodeURIComponent(m[1]) };
  return { name: 'tasks' };
}

export function href(route: Route): string {
  return route.name === 'task' ? `#/task/${encodeURIComponent(route.id)}` : '#/';
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
