/**
 * Sound and vibration for scans and events. Beeps are synthesised with
 * WebAudio (no audio files to cache); the context is created on the first
 * user gesture because browsers keep audio locked until then.
 */

export type Cue = 'success' | 'error' | 'notify';

interface Tone {
  freq: number;
  ms: number;
  type: OscillatorType;
}

const TONES: Record<Cue, Tone[]> = {
  success: [{ freq: 1760, ms: 70, type: 'sine' }],
  error: [
    { freq: 220, ms: 160, type: 'square' },
    { freq: 165, ms: 260, type: 'square' },
  ],
  notify: [
    { freq: 988, ms: 90, type: 'sine' },
    { freq: 1319, ms: 140, type: 'sine' },
  ],
};

const VIBRATION: Record<Cue, number[]> = {
  success: [40],
  error: [120, 60, 120, 60, 200],
  notify: [60, 50, 60],
};

const MUTE_KEY = 'wms.muted';
let ctx: AudioContext | null = null;

function audio(): AudioContext | null {
  if (ctx) return ctx;
  const Ctor = window.AudioContext ?? (window as unknown as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext;
  if (!Ctor) return null;
  try {
    ctx = new Ctor();
  } catch {
    return null;
  }
  return ctx;
}

/**
 * Call once at start-up: unlocks audio on the first touch. Not on a key: a
 * wedge scan starts with a key, and creating an AudioContext is a long task
 * that would tear the scanner's burst apart. After a key the context is made
 * lazily by the first cue (the page has user activation by then).
 */
export function primeAudioOnGesture(): void {
  const unlock = () => {
    const c = audio();
    if (c && c.state === 'suspended') void c.resume();
    window.removeEventListener('pointerdown', unlock, true);
  };
  window.addEventListener('pointerdown', unlock, true);
}

export function isMuted(): boolean {
  return localStorage.getItem(MUTE_KEY) === '1';
}

export function setMuted(muted: boolean): void {
  localStorage.setItem(MUTE_KEY, muted ? '1' : '0');
}

function play(tones: Tone[]): void {
  const c = audio();
  if (!c) return;
  if (c.state === 'suspended') {
    void c.resume().then(() => {
      if (c.state === 'running') schedule(c, tones);
    }, () => {});
    return;
  }
  if (c.state === 'running') schedule(c, tones);
}

function schedule(c: AudioContext, tones: Tone[]): void {
  let at = c.currentTime + 0.01;
  for (const tone of tones) {
    const osc = c.createOscillator();
    const gain = c.createGain();
    osc.type = tone.type;
    osc.frequency.value = tone.freq;
    const end = at + tone.ms / 1000;
    // Short ramps avoid clicks at start and end.
    gain.gain.setValueAtTime(0, at);
    gain.gain.linearRampToValueAtTime(0.25, at + 0.008);
    gain.gain.setValueAtTime(0.25, end - 0.015);
    gain.gain.linearRampToValueAtTime(0, end);
    osc.connect(gain).connect(c.destination);
    osc.start(at);
    osc.stop(end + 0.01);
    at = end + 0.03;
  }
}

export function cue(kind: Cue): void {
  if (!isMuted()) {
    try {
      play(TONES[kind]);
    } catch {
      /* audio is a nicety */
    }
  }
  try {
    navigator.vibrate?.(VIBRATION[kind]);
  } catch {
    /* not every browser lets a page vibrate */
  }
}
