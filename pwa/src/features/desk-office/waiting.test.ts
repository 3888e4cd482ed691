import { describe, expect, it } from 'vitest';
import { badgeText, waitingOf } from './waiting';

describe('waiting figures', () => {
  it('counts a page and says when the server holds more', () => {
    const page = (n: number, more: boolean) => ({ edges: Array.from({ length: n }, (_, i) => ({ node: i })), pageInfo: { hasNextPage: more, endCursor: null } });
    expect(badgeText(waitingOf(page(3, false)))).toBe('3');
    expect(badgeText(waitingOf(page(100, true)))).toBe('100+');
    expect(badgeText(waitingOf(page(0, false)))).toBeUndefined();
    expect(badgeText(undefined)).toBeUndefined();
  });
});
