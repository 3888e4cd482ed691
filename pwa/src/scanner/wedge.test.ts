import { describe, expect, it } from 'vitest';
import { GS, WedgeParser, classifyKey, type WedgeKey } from './wedge';

type Ev = WedgeKey & { t: number };

/** Keys for `text` typed `gap` ms apart from `start`; '\n' is Enter, '\t' Tab. */
function typed(text: string, gap: number, start = 0): Ev[] {
  return [...text].map((ch, i) => {
    const t = start + i * gap;
    if (ch === '\n') return { key: 'Enter', t };
    if (ch === '\t') return { key: 'Tab', t };
    if (ch === GS) return { key: 'GroupSeparator', t };
    return { key: ch, t };
  });
}

function run(events: Ev[], parser = new WedgeParser()) {
  const codes: string[] = [];
  const consumed: string[] = [];
  for (const e of events) {
    const step = parser.key(e, e.t);
    codes.push(...step.codes);
    if (step.consume) consumed.push(e.key);
  }
  return { codes, consumed, parser };
}

describe('WedgeParser', () => {
  it('reads a scanner burst ended by Enter', () => {
    const { codes, consumed } = run(typed('BADGE-0001-X\n', 8));
    expect(codes).toEqual(['BADGE-0001-X']);
    expect(consumed).toEqual(['Enter']);
  });

  it('ignores a person typing the same characters', () => {
    const { codes, consumed } = run(typed('BADGE-0001-X\n', 150));
    expect(codes).toEqual([]);
    expect(consumed).toEqual([]);
  });

  it('ignores short fast sequences (shortcuts, double taps)', () => {
    expect(run(typed('ab\n', 5)).codes).toEqual([]);
    expect(run(typed('abc\n', 5)).codes).toEqual([]);
    expect(run(typed('abcd\n', 5)).codes).toEqual(['abcd']);
  });

  it('uses the average gap, so one slow key inside a burst does not break it', () => {
    const ev: Ev[] = [
      { key: '1', t: 0 },
      { key: '2', t: 8 },
      { key: '3', t: 70 },
      { key: '4', t: 78 },
      { key: '5', t: 86 },
      { key: '6', t: 94 },
      { key: 'Enter', t: 102 },
    ];
    expect(run(ev).codes).toEqual(['123456']);
  });

  it('survives one main-thread stall inside a long burst (first key or mid-code)', () => {
    const code = 'BADGE-PICKER1-Y';
    for (const stallAt of [1, 11]) {
      const ev: Ev[] = [];
      let t = 0;
      [...code].forEach((key, i) => {
        t += i === 0 ? 0 : i === stallAt ? 200 : 9;
        ev.push({ key, t });
      });
      ev.push({ key: 'Enter', t: t + 10 });
      expect(run(ev).codes, `stall before key ${stallAt}`).toEqual([code]);
    }
  });

  it('does not forgive a stall in a short run (a person rolling over keys)', () => {
    const ev: Ev[] = [
      { key: 'a', t: 0 },
      { key: 'b', t: 20 },
      { key: 'c', t: 170 },
      { key: 'd', t: 195 },
      { key: 'Enter', t: 215 },
    ];
    expect(run(ev).codes).toEqual([]);
  });

  it('rejects a sequence whose average gap is above the threshold', () => {
    const ev: Ev[] = [
      { key: '1', t: 0 },
      { key: '2', t: 40 },
      { key: '3', t: 80 },
      { key: '4', t: 120 },
      { key: 'Enter', t: 160 },
    ];
    expect(run(ev).codes).toEqual([]);
  });

  it('splits several codes sent in one burst', () => {
    const { codes, consumed } = run(typed('BIN-A01-003-2-K\nTOTE-77-Q\tX1\n', 6));
    expect(codes).toEqual(['BIN-A01-003-2-K', 'TOTE-77-Q', 'X1']);
    expect(consumed).toEqual(['Enter', 'Tab', 'Enter']);
  });

  it('swallows a doubled suffix (CR LF, Enter Tab)', () => {
    const { codes, consumed } = run(typed('12345678\n\n', 5));
    expect(codes).toEqual(['12345678']);
    expect(consumed).toEqual(['Enter', 'Enter']);
  });

  it('lets a later, separate Enter through', () => {
    const { codes, consumed } = run([...typed('12345678\n', 5), { key: 'Enter', t: 1000 }]);
    expect(codes).toEqual(['12345678']);
    expect(consumed).toEqual(['Enter']);
  });

  it('keeps GS separators inside GS1 codes', () => {
    const text = `0109501101530003` + `10ABC` + GS + `17250101\n`;
    const { codes } = run(typed(text, 4));
    expect(codes).toEqual([`0109501101530003` + `10ABC` + GS + `17250101`]);
  });

  it('reads GS sent as Ctrl+]', () => {
    const ev: Ev[] = [
      ...typed('10LOT1', 4),
      { key: ']', code: 'BracketRight', ctrlKey: true, t: 24 },
      ...typed('21SER\n', 4, 28),
    ];
    expect(run(ev).codes).toEqual([`10LOT1${GS}21SER`]);
  });

  it('ignores modifier keys and other control keys', () => {
    const ev: Ev[] = [
      { key: 'Shift', t: 0 },
      { key: 'A', t: 2 },
      { key: 'Shift', t: 4 },
      { key: 'B', t: 6 },
      { key: 'c', t: 10 },
      { key: 'ArrowDown', t: 12 },
      { key: 'd', t: 14 },
      { key: 'Enter', t: 18 },
    ];
    expect(run(ev).codes).toEqual(['ABcd']);
  });

  it('does not treat Ctrl+C and friends as characters', () => {
    const ev: Ev[] = [{ key: 'c', ctrlKey: true, t: 0 }];
    expect(run(ev).codes).toEqual([]);
    expect(classifyKey({ key: 'v', metaKey: true }).type).toBe('ignore');
  });

  it('ends a suffix-less scan after a short idle', () => {
    const { codes, parser } = run(typed('ITEM12345', 5));
    expect(codes).toEqual([]);
    expect(parser.idle(40 + 30)).toBeNull(); // not idle long enough yet
    expect(parser.idle(40 + 300)).toBe('ITEM12345');
    expect(parser.pending).toBe('');
  });

  it('drops slow typing at idle', () => {
    const { parser } = run(typed('hello', 200));
    expect(parser.idle(5000)).toBeNull();
  });

  it('a pause between two suffix-less scans separates them', () => {
    const { codes, parser } = run([...typed('AAAA1111', 5), ...typed('BBBB2222', 5, 1000)]);
    expect(codes).toEqual(['AAAA1111']);
    expect(parser.idle(5000)).toBe('BBBB2222');
  });

  it('slow typing followed by a scan yields only the scan', () => {
    const { codes } = run([...typed('abc', 300), ...typed('BADGE-42-Z\n', 7, 2000)]);
    expect(codes).toEqual(['BADGE-42-Z']);
  });

  it('a short code after a pause is not a continuation of the previous burst', () => {
    const { codes } = run([...typed('ABCDEFG\n', 5), ...typed('x\n', 5, 2000)]);
    expect(codes).toEqual(['ABCDEFG']);
  });
});
