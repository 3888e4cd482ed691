import { BarcodeDetector, setZXingModuleOverrides, type BarcodeFormat } from 'barcode-detector/ponyfill';
// The exact wasm of the zxing-wasm version barcode-detector depends on, bundled
// with the app so camera scanning works offline and without a CDN.
import zxingReaderWasm from 'zxing-wasm/reader/zxing_reader.wasm?url';

let configured = false;
let detector: BarcodeDetector | null = null;

const FORMATS: BarcodeFormat[] = [
  'code_128',
  'data_matrix',
  'qr_code',
  'ean_13',
  'ean_8',
  'upc_a',
  'upc_e',
  'itf',
  'code_39',
];

function getDetector(): BarcodeDetector {
  if (!configured) {
    setZXingModuleOverrides({
      locateFile: (path: string, prefix: string) =>
        path.endsWith('.wasm') ? new URL(zxingReaderWasm, location.href).href : prefix + path,
    });
    configured = true;
  }
  detector ??= new BarcodeDetector({ formats: FORMATS });
  return detector;
}

export type CameraError = 'unsupported' | 'denied' | 'no-camera' | 'failed';

export function cameraSupported(): boolean {
  return !!navigator.mediaDevices?.getUserMedia;
}

export function cameraErrorOf(err: unknown): CameraError {
  const name = err instanceof DOMException || err instanceof Error ? err.name : '';
  if (name === 'NotAllowedError' || name === 'SecurityError') return 'denied';
  if (name === 'NotFoundError' || name === 'OverconstrainedError') return 'no-camera';
  return 'failed';
}

export async function openBackCamera(): Promise<MediaStream> {
  if (!cameraSupported()) throw new DOMException('getUserMedia unavailable', 'NotSupportedError');
  return navigator.mediaDevices.getUserMedia({
    audio: false,
    video: {
      facingMode: { ideal: 'environment' },
      width: { ideal: 1280 },
      height: { ideal: 720 },
    },
  });
}

export function stopStream(stream: MediaStream | null): void {
  stream?.getTracks().forEach((t) => t.stop());
}

/**
 * Decode frames from a playing <video> on every animation frame (skipping
 * frames while a detection is still running) until stopped.
 * `onCode` returns true to stop the loop.
 */
export function startScanLoop(
  video: HTMLVideoElement,
  onCode: (code: string) => boolean,
  onError: (err: unknown) => void,
): () => void {
  let stopped = false;
  let busy = false;
  let frame = 0;
  const det = getDetector();

  const tick = () => {
    if (stopped) return;
    frame = requestAnimationFrame(tick);
    if (busy || video.readyState < HTMLMediaElement.HAVE_CURRENT_DATA || video.videoWidth === 0) return;
    busy = true;
    det
      .detect(video)
      .then((found) => {
        if (stopped) return;
        const hit = found.find((b) => b.rawValue);
        if (hit && onCode(hit.rawValue)) stop();
      })
      .catch((err: unknown) => {
        if (!stopped) {
          stop();
          onError(err);
        }
      })
      .finally(() => {
        busy = false;
      });
  };

  const stop = () => {
    stopped = true;
    cancelAnimationFrame(frame);
  };

  frame = requestAnimationFrame(tick);
  return stop;
}
