/**
 * What the camera view tells the worker while nothing has been read yet.
 *
 * The camera used to sit silently on a label it could not read. Now, counted
 * from the moment frames arrive: after a few seconds a first hint (hold steady,
 * fill the frame), then one about light (with the torch when the camera has
 * one), then an offer to type the code; after a while longer the camera stops
 * by itself (battery, heat) and says so. Typing is always one tap away; this
 * only decides which words are shown.
 */

export type HintStage = 'aim' | 'steady' | 'light' | 'type' | 'stopped';

export interface HintTimes {
  /** ms without a read before "hold steady, fill the frame". */
  steady: number;
  /** ms before "more light" (and the torch, when there is one). */
  light: number;
  /** ms before "can't read it? type the code". */
  type: number;
  /** ms before the camera is stopped. */
  stop: number;
}

export const HINT_TIMES: HintTimes = { steady: 3_000, light: 7_000, type: 12_000, stop: 45_000 };

/** The stage `elapsedMs` after the camera went live (or last restarted). */
export function hintStage(elapsedMs: number, times: HintTimes = HINT_TIMES): HintStage {
  if (elapsedMs >= times.stop) return 'stopped';
  if (elapsedMs >= times.type) return 'type';
  if (elapsedMs >= times.light) return 'light';
  if (elapsedMs >= times.steady) return 'steady';
  return 'aim';
}

/** ms until the stage after the one at `elapsedMs` begins (null once stopped). */
export function nextHintIn(elapsedMs: number, times: HintTimes = HINT_TIMES): number | null {
  const edges = [times.steady, times.light, times.type, times.stop];
  const next = edges.find((edge) => edge > elapsedMs);
  return next === undefined ? null : next - elapsedMs;
}

/**
 * The message key for a stage. The light hint names the torch only when the
 * camera can switch one on (and it is not on already).
 */
export function hintKey(stage: HintStage, torch: 'none' | 'off' | 'on'):
  | 'scanner.cameraHint'
  | 'scanner.hintSteady'
  | 'scanner.hintLight'
  | 'scanner.hintTorch'
  | 'scanner.hintType'
  | 'scanner.cameraStopped' {
  switch (stage) {
    case 'aim':
      return 'scanner.cameraHint';
    case 'steady':
      return 'scanner.hintSteady';
    case 'light':
      return torch === 'off' ? 'scanner.hintTorch' : 'scanner.hintLight';
    case 'type':
      return 'scanner.hintType';
    case 'stopped':
      return 'scanner.cameraStopped';
  }
}
