import { describe, expect, it } from 'vitest';
import { HINT_TIMES, hintKey, hintStage, nextHintIn, type HintStage } from './hints';

describe('camera hints', () => {
  it('says nothing extra for the first seconds, then steady, light, type, and stops', () => {
    const at = (ms: number) => hintStage(ms);
    expect(at(0)).toBe('aim');
    expect(at(HINT_TIMES.steady - 1)).toBe('aim');
    expect(at(HINT_TIMES.steady)).toBe('steady');
    expect(at(HINT_TIMES.light)).toBe('light');
    expect(at(HINT_TIMES.type + 500)).toBe('type');
    expect(at(HINT_TIMES.stop)).toBe('stopped');
    expect(at(10 * HINT_TIMES.stop)).toBe('stopped');
  });

  it('stages only ever move forward as time passes', () => {
    const order: HintStage[] = ['aim', 'steady', 'light', 'type', 'stopped'];
    let last = 0;
    for (let ms = 0; ms <= HINT_TIMES.stop + 1000; ms += 250) {
      const i = order.indexOf(hintStage(ms));
      expect(i).toBeGreaterThanOrEqual(last);
      last = i;
    }
    expect(last).toBe(order.length - 1);
  });

  it('schedules the next change exactly at the next edge, and nothing once stopped', () => {
    expect(nextHintIn(0)).toBe(HINT_TIMES.steady);
    expect(nextHintIn(1000)).toBe(HINT_TIMES.steady - 1000);
    // On an edge the next one is the following edge, so a timer never fires twice for one stage.
    expect(nextHintIn(HINT_TIMES.steady)).toBe(HINT_TIMES.light - HINT_TIMES.steady);
    expect(nextHintIn(HINT_TIMES.type)).toBe(HINT_TIMES.stop - HINT_TIMES.type);
    expect(nextHintIn(HINT_TIMES.stop)).toBeNull();
    // Following the schedule from 0 visits every stage once.
    const seen: HintStage[] = [hintStage(0)];
    let t = 0;
    for (let wait = nextHintIn(t); wait !== null; wait = nextHintIn(t)) {
      t += wait;
      seen.push(hintStage(t));
    }
    expect(seen).toEqual(['aim', 'steady', 'light', 'type', 'stopped']);
  });

  it('takes custom times (a test or a site with other habits)', () => {
    const times = { steady: 10, light: 20, type: 30, stop: 40 };
    expect(hintStage(15, times)).toBe('steady');
    expect(hintStage(40, times)).toBe('stopped');
    expect(nextHintIn(25, times)).toBe(5);
  });

  it('names the torch in the light hint only when there is one that is off', () => {
    expect(hintKey('light', 'off')).toBe('scanner.hintTorch');
    expect(hintKey('light', 'on')).toBe('scanner.hintLight');
    expect(hintKey('light', 'none')).toBe('scanner.hintLight');
    expect(hintKey('aim', 'off')).toBe('scanner.cameraHint');
    expect(hintKey('steady', 'none')).toBe('scanner.hintSteady');
    expect(hintKey('type', 'none')).toBe('scanner.hintType');
    expect(hintKey('stopped', 'off')).toBe('scanner.cameraStopped');
  });
});
