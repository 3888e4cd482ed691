import type { Connection } from './ops';

/** A figure on a tab: how many wait, and whether there are more than one page holds. */
export interface Waiting {
  n: number;
  more: boolean;
}

export function waitingOf(c: Connection<unknown>): Waiting {
  return { n: c.edges.length, more: c.pageInfo.hasNextPage };
}

/** "100+" when the page was full and the server has more; nothing when none wait. */
export function badgeText(w: Waiting | undefined): string | undefined {
  if (!w || w.n === 0) return undefined;
  return w.more ? `${w.n}+` : String(w.n);
}
