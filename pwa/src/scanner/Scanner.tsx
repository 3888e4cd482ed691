import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { useI18n, type MessageKey } from '../i18n';
import { SCAN_FIELD_ATTR, subscribeWedge } from './wedgeListener';
import type { CameraError } from './camera';
import { hintKey, hintStage, nextHintIn, type HintStage } from './hints';

const cameraSupported = () => typeof navigator !== 'undefined' && !!navigator.mediaDevices?.getUserMedia;

export type ScanSource = 'wedge' | 'camera' | 'manual';
export type OnScan = (code: string, source: ScanSource) => void;

export interface ScannerProps {
  onScan: OnScan;
  /** Accept wedge scans while mounted (the latest mounted scanner wins). */
  wedge?: boolean;
  camera?: boolean;
  manual?: boolean;
  /** Open the camera right away. */
  cameraOpen?: boolean;
  disabled?: boolean;
  manualLabel?: string;
}

const CAMERA_ERRORS: Record<CameraError | 'unsupported', MessageKey> = {
  denied: 'scanner.cameraDenied',
  'no-camera': 'scanner.cameraMissing',
  unsupported: 'scanner.cameraUnsupported',
  failed: 'scanner.cameraFailed',
};

/**
 * The one scanner of the app: keyboard wedge, camera and manual entry all end
 * in the same `onScan(code, source)`.
 */
export function Scanner({
  onScan,
  wedge = true,
  camera = true,
  manual = true,
  cameraOpen = false,
  disabled = false,
  manualLabel,
}: ScannerProps) {
  const { t } = useI18n();
  const [open, setOpen] = useState(cameraOpen);
  const [text, setText] = useState('');
  const onScanRef = useRef(onScan);
  onScanRef.current = onScan;
  const field = useRef<HTMLInputElement>(null);
  const disabledRef = useRef(disabled);
  disabledRef.current = disabled;

  // A layout effect: a wedge scan that comes the moment the prompt is shown is heard.
  useLayoutEffect(() => {
    if (!wedge) return;
    return subscribeWedge((code) => {
      if (disabledRef.current) return;
      setText('');
      onScanRef.current(code, 'wedge');
    }, {}, () => field.current);
  }, [wedge]);

  const submitManual = (ev: Event) => {
    ev.preventDefault();
    const code = text.trim();
    if (!code || disabled) return;
    setText('');
    onScan(code, 'manual');
  };

  return (
    <div class="scanner">
      {camera && open ? (
        <CameraView
          onCode={(code) => {
            setOpen(false);
            if (!disabledRef.current) onScanRef.current(code, 'camera');
          }}
          onClose={() => setOpen(false)}
          onType={
            manual
              ? () => {
                  setOpen(false);
                  // After the camera view is gone, so the field does not jump.
                  requestAnimationFrame(() => field.current?.focus());
                }
              : undefined
          }
        />
      ) : null}

      {camera && !open ? (
        <button type="button" class="btn btn-secondary btn-block scanner-camera-btn" onClick={() => setOpen(true)} disabled={disabled}>
          <CameraIcon />
          {t('scanner.camera')}
        </button>
      ) : null}

      {manual ? (
        <form class="scanner-manual" onSubmit={submitManual}>
          <label class="visually-hidden" for="scan-manual">
            {manualLabel ?? t('scanner.manualLabel')}
          </label>
          <input
            id="scan-manual"
            ref={field}
            class="input scanner-input"
            {...{ [SCAN_FIELD_ATTR]: '' }}
            type="text"
            value={text}
            onInput={(e) => setText((e.currentTarget as HTMLInputElement).value)}
            placeholder={manualLabel ?? t('scanner.manualLabel')}
            autocomplete="off"
            autocapitalize="characters"
            autocorrect="off"
            spellcheck={false}
            enterkeyhint="go"
            disabled={disabled}
          />
          <button type="submit" class="btn btn-primary scanner-ok" disabled={disabled || !text.trim()}>
            {t('scanner.ok')}
          </button>
        </form>
      ) : null}
    </div>
  );
}

type TorchState = 'none' | 'off' | 'on';

function CameraView({ onCode, onClose, onType }: { onCode: (code: string) => void; onClose: () => void; onType?: () => void }) {
  const { t } = useI18n();
  const video = useRef<HTMLVideoElement>(null);
  const streamRef = useRef<MediaStream | null>(null);
  const camRef = useRef<typeof import('./camera') | null>(null);
  const [error, setError] = useState<MessageKey | null>(cameraSupported() ? null : CAMERA_ERRORS.unsupported);
  const [liveSince, setLiveSince] = useState<number | null>(null);
  const [stage, setStage] = useState<HintStage>('aim');
  const [torch, setTorchState] = useState<TorchState>('none');
  // Bumped by "Try again" after the camera stopped itself: restarts everything.
  const [run, setRun] = useState(0);
  const onCodeRef = useRef(onCode);
  onCodeRef.current = onCode;

  useEffect(() => {
    if (!cameraSupported()) return;
    let stopLoop: (() => void) | null = null;
    let cancelled = false;
    setError(null);
    setLiveSince(null);
    setStage('aim');

    // The decoder (JS + wasm) loads on first use, not with the app.
    import('./camera')
      .then(async (mod) => {
        camRef.current = mod;
        // Compile the wasm while the camera starts; a failure shows on the first frame.
        mod.loadDecoder().catch(() => undefined);
        const s = await mod.openBackCamera();
        if (cancelled) {
          mod.stopStream(s);
          return;
        }
        streamRef.current = s;
        setTorchState(mod.torchSupported(s) ? 'off' : 'none');
        const v = video.current!;
        v.srcObject = s;
        await v.play();
        if (cancelled) return;
        setLiveSince(performance.now());
        stopLoop = mod.startScanLoop(
          v,
          (code) => {
            onCodeRef.current(code);
            return true;
          },
          () => setError('scanner.cameraFailed'),
        );
      })
      .catch((err: unknown) => {
        if (!cancelled) setError(CAMERA_ERRORS[camRef.current ? camRef.current.cameraErrorOf(err) : 'failed']);
      });

    return () => {
      cancelled = true;
      stopLoop?.();
      streamRef.current?.getTracks().forEach((track) => track.stop());
      streamRef.current = null;
      if (video.current) video.current.srcObject = null;
    };
  }, [run]);

  // Hints while nothing is read; at the end the camera stops itself.
  useEffect(() => {
    if (liveSince === null || stage === 'stopped') return;
    const wait = nextHintIn(performance.now() - liveSince);
    if (wait === null) return;
    const timer = setTimeout(() => setStage(hintStage(performance.now() - liveSince)), wait);
    return () => clearTimeout(timer);
  }, [liveSince, stage]);

  useEffect(() => {
    if (stage !== 'stopped') return;
    camRef.current?.stopStream(streamRef.current);
    streamRef.current = null;
  }, [stage]);

  const toggleTorch = () => {
    const s = streamRef.current;
    const cam = camRef.current;
    if (!s || !cam || torch === 'none') return;
    const on = torch === 'off';
    cam.setTorch(s, on).then(
      () => setTorchState(on ? 'on' : 'off'),
      () => setTorchState('none'), // the track said it had one, but refused: hide the button
    );
  };

  const stopped = stage === 'stopped';
  const status = error ? t(error) : liveSince === null ? t('scanner.cameraStarting') : t(hintKey(stage, torch));

  return (
    <div class="camera" role="group" aria-label={t('scanner.camera')}>
      <div class="camera-frame" data-stage={error ? 'error' : stage}>
        <video ref={video} class="camera-video" muted playsInline autoplay data-testid="camera-video" />
        {!error && !stopped ? <div class="camera-aim" aria-hidden="true" /> : null}
        {torch !== 'none' && !stopped && !error ? (
          <button
            type="button"
            class={`camera-torch${torch === 'on' ? ' on' : ''}`}
            aria-pressed={torch === 'on'}
            onClick={toggleTorch}
            data-testid="camera-torch"
          >
            {t(torch === 'on' ? 'scanner.torchOff' : 'scanner.torchOn')}
          </button>
        ) : null}
        <p class={`camera-status${error ? ' error' : ''}`} role="status" aria-live="polite" data-testid="camera-status">
          {status}
        </p>
      </div>
      <div class="camera-actions">
        {stopped ? (
          <button type="button" class="btn btn-primary" onClick={() => setRun((n) => n + 1)} data-testid="camera-retry">
            {t('scanner.cameraRetry')}
          </button>
        ) : null}
        {onType ? (
          <button type="button" class="btn btn-secondary" onClick={onType} data-testid="camera-type">
            {t('scanner.typeInstead')}
          </button>
        ) : null}
        <button type="button" class="btn btn-secondary" onClick={onClose}>
          {t('scanner.closeCamera')}
        </button>
      </div>
    </div>
  );
}

function CameraIcon() {
  return (
    <svg class="icon" viewBox="0 0 24 24" aria-hidden="true">
      <path
        fill="currentColor"
        d="M9 3 7.2 5H4a2 2 0 0 0-2 2v11a2 2 0 0 0 2 2h16a2 2 0 0 0 2-2V7a2 2 0 0 0-2-2h-3.2L15 3H9Zm3 5a5 5 0 1 1 0 10 5 5 0 0 1 0-10Zm0 2a3 3 0 1 0 0 6 3 3 0 0 0 0-6Z"
      />
    </svg>
  );
}
