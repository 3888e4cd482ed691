import { prepareZXingModule, readBarcodes, type ReaderOptions } from 'zxing-wasm/reader';
// The wasm of the zxing-wasm version in package.json, bundled with the app so
// camera scanning works offline and without a CDN.
import zxingReaderWasm from 'zxing-wasm/reader/zxing_reader.wasm?url';
import { fitScale, sharpenedLuma, viewfinderRect, type Rect } from './frame';

/**
 * What the floor prints and receives: Code 128 / GS1-128 (bins, totes, badges,
 * cartons, SSCC), EAN/UPC and ITF-14 on goods, QR and GS1 DataMatrix on labels.
 * Fewer formats is fewer false reads and less work a frame.
 */
const FORMATS: ReaderOptions['formats'] = ['Code128', 'EAN13', 'EAN8', 'UPCA', 'UPCE', 'ITF', 'QRCode', 'DataMatrix'];

/** zxing's harder modes: slower a frame, but a frame we can read beats a fast miss. */
const READ: ReaderOptions = {
  formats: FORMATS,
  tryHarder: true,
  tryRotate: true, // handheld held sideways: bars horizontal
  tryInvert: true, // white-on-black labels
  tryDownscale: true,
  maxNumberOfSymbols: 1,
  textMode: 'Plain',
};

/** Crops wider than this are scaled down before decoding (zxing also tries smaller). */
const MAX_DECODE_WIDTH = 1280;

let decoderReady: Promise<unknown> | null = null;

/**
 * The one place the decoder is set up. The wasm comes from our own origin
 * (zxing-wasm fetches it from a CDN by default). Resolves once it is compiled.
 */
export function loadDecoder(): Promise<unknown> {
  if (!decoderReady) {
    const start = performance.now();
    decoderReady = prepareZXingModule({
      overrides: {
        locateFile: (path: string, prefix: string) =>
          path.endsWith('.wasm') ? new URL(zxingReaderWasm, location.href).href : prefix + path,
      },
      fireImmediately: true,
    }).then(
      (mod) => {
        performance.measure('scan:decoder-ready', { start, end: performance.now() });
        return mod;
      },
      (err: unknown) => {
        decoderReady = null; // let the next camera start try again
        throw err;
      },
    );
  }
  return decoderReady;
}

export type CameraError = 'unsupported' | 'denied' | 'no-camera' | 'failed';

export function cameraSupported(): boolean {
  return !!navigator.mediaDevices?.getUserMedia;
}

export function cameraErrorOf(err: unknown): CameraError {
  const name = err instanceof DOMException || err instanceof Error ? err.name : '';
  if (name === 'NotAllowedError' || name === 'SecurityError') return 'denied';
  if (name === 'NotFoundError' || name === 'OverconstrainedError' || name === 'NotReadableError') return 'no-camera';
  if (name === 'NotSupportedError') return 'unsupported';
  return 'failed';
}

/** The back camera at 1280×720 if it has it (more pixels a module than 640×480). */
export async function openBackCamera(): Promise<MediaStream> {
  if (!cameraSupported()) throw new DOMException('getUserMedia unavailable', 'NotSupportedError');
  const video: MediaTrackConstraints = {
    facingMode: { ideal: 'environment' },
    width: { ideal: 1280 },
    height: { ideal: 720 },
  };
  const stream = await navigator.mediaDevices.getUserMedia({ audio: false, video });
  const track = stream.getVideoTracks()[0];
  // Continuous focus where the camera offers it; many default to a fixed focus.
  const caps = capabilitiesOf(track) as { focusMode?: string[] };
  if (caps.focusMode?.includes('continuous')) {
    await track
      .applyConstraints({ advanced: [{ focusMode: 'continuous' } as MediaTrackConstraintSet] })
      .catch(() => undefined);
  }
  return stream;
}

function capabilitiesOf(track: MediaStreamTrack | undefined): MediaTrackCapabilities {
  try {
    return track?.getCapabilities?.() ?? {};
  } catch {
    return {};
  }
}

/** Whether the track has a torch (MediaStreamTrack capabilities.torch; Chrome on Android). */
export function torchSupported(stream: MediaStream | null): boolean {
  const track = stream?.getVideoTracks()[0];
  return (capabilitiesOf(track) as { torch?: boolean }).torch === true;
}

export async function setTorch(stream: MediaStream, on: boolean): Promise<void> {
  const track = stream.getVideoTracks()[0];
  if (!track) return;
  await track.applyConstraints({ advanced: [{ torch: on } as MediaTrackConstraintSet] });
}

export function stopStream(stream: MediaStream | null): void {
  stream?.getTracks().forEach((t) => t.stop());
}

type Canvas2D = CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D;

function canvas2d(): Canvas2D {
  const opts = { willReadFrequently: true } as const;
  if (typeof OffscreenCanvas !== 'undefined') {
    const ctx = new OffscreenCanvas(1, 1).getContext('2d', opts) as OffscreenCanvasRenderingContext2D | null;
    if (ctx) return ctx;
  }
  const ctx = document.createElement('canvas').getContext('2d', opts) as CanvasRenderingContext2D | null;
  if (!ctx) throw new DOMException('no 2D canvas', 'NotSupportedError');
  return ctx;
}

function grab(ctx: Canvas2D, video: HTMLVideoElement, r: Rect): ImageData {
  const scale = fitScale(r.w, MAX_DECODE_WIDTH);
  const w = Math.max(1, Math.round(r.w * scale));
  const h = Math.max(1, Math.round(r.h * scale));
  if (ctx.canvas.width !== w || ctx.canvas.height !== h) {
    ctx.canvas.width = w;
    ctx.canvas.height = h;
  }
  ctx.drawImage(video, r.x, r.y, r.w, r.h, 0, 0, w, h);
  return ctx.getImageData(0, 0, w, h);
}

async function read(img: ImageData, extra: Partial<ReaderOptions> = {}): Promise<string | null> {
  const found = await readBarcodes(img, { ...READ, ...extra });
  return found.find((b) => b.isValid && b.text)?.text ?? null;
}

/**
 * One decode attempt on the current frame: the viewfinder crop as it is, then,
 * if that reads nothing, one of the harder passes in turn (a sharpened crop
 * with zxing's local binarizer, the same with a fixed threshold, the whole
 * frame in case the label sits outside the box).
 */
export async function decodeFrame(ctx: Canvas2D, video: HTMLVideoElement, attempt: number): Promise<string | null> {
  const el = video.getBoundingClientRect();
  const frame = { width: video.videoWidth, height: video.videoHeight };
  const crop = grab(ctx, video, viewfinderRect(frame, el));
  const plain = await read(crop);
  if (plain) return plain;
  const sharp = () => new ImageData(sharpenedLuma(crop.data, crop.width, crop.height), crop.width, crop.height);
  switch (attempt % 3) {
    case 0:
      return read(sharp());
    case 1:
      return read(sharp(), { binarizer: 'FixedThreshold' });
    default:
      return read(grab(ctx, video, { x: 0, y: 0, w: frame.width, h: frame.height }));
  }
}

/**
 * Decode frames from a playing <video> on every animation frame (skipping
 * frames while a decode is still running) until stopped. `onCode` returns
 * true to stop the loop. Each frame's decode time is a performance measure
 * "scan:frame"; the first read also measures "scan:first-read" from the start.
 */
export function startScanLoop(
  video: HTMLVideoElement,
  onCode: (code: string) => boolean,
  onError: (err: unknown) => void,
): () => void {
  let stopped = false;
  let busy = false;
  let frame = 0;
  let attempt = 0;
  const started = performance.now();
  const ctx = canvas2d();

  const tick = () => {
    if (stopped) return;
    frame = requestAnimationFrame(tick);
    if (busy || video.readyState < HTMLMediaElement.HAVE_CURRENT_DATA || video.videoWidth === 0) return;
    busy = true;
    const t0 = performance.now();
    loadDecoder()
      .then(() => decodeFrame(ctx, video, attempt++))
      .then((code) => {
        if (stopped) return;
        const end = performance.now();
        performance.measure('scan:frame', { start: t0, end });
        if (code) {
          performance.measure('scan:first-read', { start: started, end });
          if (onCode(code)) stop();
        }
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
