import { useEffect, useRef, useState } from 'preact/hooks';
import { useI18n, type MessageKey } from '../i18n';
import { SCAN_FIELD_ATTR, subscribeWedge } from './wedgeListener';
import type { CameraError } from './camera';

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

  useEffect(() => {
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

function CameraView({ onCode, onClose }: { onCode: (code: string) => void; onClose: () => void }) {
  const { t } = useI18n();
  const video = useRef<HTMLVideoElement>(null);
  const [error, setError] = useState<MessageKey | null>(cameraSupported() ? null : CAMERA_ERRORS.unsupported);
  const [live, setLive] = useState(false);
  const onCodeRef = useRef(onCode);
  onCodeRef.current = onCode;

  useEffect(() => {
    if (!cameraSupported()) return;
    let stream: MediaStream | null = null;
    let stopLoop: (() => void) | null = null;
    let cancelled = false;

    let cam: typeof import('./camera') | null = null;
    // The decoder (JS + wasm) loads on first use, not with the app.
    import('./camera')
      .then(async (mod) => {
        cam = mod;
        const s = await mod.openBackCamera();
        if (cancelled) {
          mod.stopStream(s);
          return;
        }
        stream = s;
        const v = video.current!;
        v.srcObject = s;
        await v.play();
        setLive(true);
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
        if (!cancelled) setError(CAMERA_ERRORS[cam ? cam.cameraErrorOf(err) : 'failed']);
      });

    return () => {
      cancelled = true;
      stopLoop?.();
      stream?.getTracks().forEach((track) => track.stop());
      if (video.current) video.current.srcObject = null;
    };
  }, []);

  return (
    <div class="camera" role="group" aria-label={t('scanner.camera')}>
      <div class="camera-frame">
        <video ref={video} class="camera-video" muted playsInline autoplay data-testid="camera-video" />
        <div class="camera-aim" aria-hidden="true" />
        <p class="camera-status">{error ? t(error) : live ? t('scanner.cameraHint') : t('scanner.cameraStarting')}</p>
      </div>
      <button type="button" class="btn btn-secondary btn-block" onClick={onClose}>
        {t('scanner.closeCamera')}
      </button>
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
