import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

/**
 * The listener against a stand-in document: keys are handed to it with the
 * time stamps a browser would give them, and the clock (performance.now) is
 * moved by hand, so a main-thread stall can be staged exactly.
 */

type KeyListener = (ev: KeyboardEvent) => void;

let listener: KeyListener | null = null;
let now = 0;

function key(k: string, stamp: number): void {
  const ev = {
    key: k,
    timeStamp: stamp,
    target: null,
    isComposing: false,
    ctrlKey: false,
    altKey: false,
    metaKey: false,
    preventDefault() {},
    stopPropagation() {},
  };
  listener!(ev as unknown as KeyboardEvent);
}

/** Keys for `text` stamped `gap` ms apart from `start`, handled at the current clock. */
function burst(text: string, start: number, gap = 5): void {
  [...text].forEach((ch, i) => key(ch === '\n' ? 'Enter' : ch, start + i * gap));
}

beforeEach(() => {
  vi.resetModules();
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  now = 1000;
  vi.spyOn(performance, 'now').mockImplementation(() => now);
  listener = null;
  vi.stubGlobal('HTMLElement', class {});
  vi.stubGlobal('HTMLInputElement', class {});
  vi.stubGlobal('HTMLTextAreaElement', class {});
  vi.stubGlobal('HTMLSelectElement', class {});
  vi.stubGlobal('navigator', {});
  vi.stubGlobal('document', {
    documentElement: { dataset: {} as Record<string, string> },
    addEventListener: (_type: string, fn: KeyListener) => {
      listener = fn;
    },
  });
});

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

async function subscribe(): Promise<string[]> {
  const { subscribeWedge } = await import('./wedgeListener');
  const codes: string[] = [];
  subscribeWedge((c) => codes.push(c));
  return codes;
}

describe('wedge listener', () => {
  it('marks the document while a scanner listens', async () => {
    await subscribe();
    expect((document.documentElement as unknown as { dataset: Record<string, string> }).dataset.wedge).toBe('ready');
  });

  it('reads a burst ended by Enter', async () => {
    const codes = await subscribe();
    burst('BADGE-0001-X\n', now);
    expect(codes).toEqual(['BADGE-0001-X']);
  });

  it('ends a suffix-less scan after the idle pause', async () => {
    const codes = await subscribe();
    burst('ITEM12345', now);
    now += 400;
    vi.runAllTimers();
    expect(codes).toEqual(['ITEM12345']);
  });

  it('keys queued behind the idle timer are handled before it decides', async () => {
    const codes = await subscribe();
    const t0 = now;
    burst('BADGE-PI', t0);
    // The main thread stalls; the timer comes due while the rest of the burst waits in the queue.
    now = t0 + 600;
    vi.advanceTimersToNextTimer(); // the idle timer runs first…
    burst('CKER1-Y\n', t0 + 40); // …then the queued keys, stamped when they were typed
    vi.runAllTimers();
    expect(codes).toEqual(['BADGE-PICKER1-Y']);
  });

  it('after a stall, waits one more short window for keys still on their way', async () => {
    const codes = await subscribe();
    const t0 = now;
    burst('BADGE-PI', t0);
    now = t0 + 600;
    vi.advanceTimersToNextTimer(); // late idle timer
    vi.advanceTimersToNextTimer(); // its macrotask: the page was stalled, so it waits again
    expect(codes).toEqual([]);
    burst('CKER1-Y\n', t0 + 40);
    vi.runAllTimers();
    expect(codes).toEqual(['BADGE-PICKER1-Y']);
  });

  it('when keys reach the page late, a next key may be late too: the pause is stretched', async () => {
    const codes = await subscribe();
    const t0 = now;
    now = t0 + 240; // the first keys are handled 240 ms after they were typed
    burst('BADG', t0);
    now = t0 + 300; // the idle pause from the stamps has passed, the stretched one has not
    vi.advanceTimersByTime(300);
    expect(codes).toEqual([]);
    now = t0 + 546;
    burst('E-PICKER1-Y\n', t0 + 20);
    vi.runAllTimers();
    expect(codes).toEqual(['BADGE-PICKER1-Y']);
  });

  it('judges gaps by time stamps: keys handled together but typed slowly are not a scan', async () => {
    const codes = await subscribe();
    burst('hello\n', now, 150);
    vi.runAllTimers();
    expect(codes).toEqual([]);
  });
});
