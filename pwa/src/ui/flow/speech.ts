import { isMuted } from '../../feedback';
import type { Locale } from '../../i18n';

/**
 * Spoken messages for hands-busy work: the picker hears what went wrong
 * without looking at the screen. Uses the browser's speech synthesis when it
 * has one (many handhelds do not, or have no voice for the language): then
 * this does nothing, and the beep, the vibration and the text remain.
 */

const LANG: Record<Locale, string> = { en: 'en-US', 'zh-CN': 'zh-CN' };

function synth(): SpeechSynthesis | null {
  if (typeof window === 'undefined') return null;
  const s = (window as Window & { speechSynthesis?: SpeechSynthesis }).speechSynthesis;
  if (!s || typeof window.SpeechSynthesisUtterance !== 'function') return null;
  return s;
}

export function speechAvailable(): boolean {
  return synth() !== null;
}

/** A voice for the language, if the device has one (else the default voice with the lang set). */
function voiceFor(s: SpeechSynthesis, lang: string): SpeechSynthesisVoice | null {
  let voices: SpeechSynthesisVoice[] = [];
  try {
    voices = s.getVoices();
  } catch {
    return null;
  }
  const want = lang.toLowerCase();
  const base = want.split('-')[0];
  return (
    voices.find((v) => v.lang.toLowerCase().replace('_', '-') === want) ??
    voices.find((v) => v.lang.toLowerCase().startsWith(base)) ??
    null
  );
}

/** Say `text` in `locale`, cutting off whatever was being said. */
export function speak(text: string, locale: Locale): void {
  const s = synth();
  if (!s || !text || isMuted()) return;
  try {
    s.cancel();
    const u = new SpeechSynthesisUtterance(text);
    u.lang = LANG[locale];
    const voice = voiceFor(s, u.lang);
    if (voice) u.voice = voice;
    u.rate = 1.05;
    s.speak(u);
  } catch {
    /* speech is a nicety */
  }
}
