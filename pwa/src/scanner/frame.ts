/**
 * Pixel work for the camera decoder, kept free of the DOM and of the wasm so
 * it can be tested on its own: where the viewfinder is in video pixels, and
 * the sharpened luma frame the second decoding pass reads.
 */

export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** The aim box as fractions of the camera element (keep in step with .camera-aim). */
export const AIM_BOX = { left: 0.1, top: 0.22, width: 0.8, height: 0.56 } as const;

/**
 * The video pixels behind the aim box of an element that shows the video with
 * `object-fit: cover`, grown by `margin` (a fraction of the box) on each side
 * because nobody aims exactly, and clamped to the frame.
 */
export function viewfinderRect(
  video: { width: number; height: number },
  element: { width: number; height: number },
  box: { left: number; top: number; width: number; height: number } = AIM_BOX,
  margin = 0.1,
): Rect {
  const { width: vw, height: vh } = video;
  const { width: ew, height: eh } = element;
  if (ew <= 0 || eh <= 0) return { x: 0, y: 0, w: vw, h: vh };
  const scale = Math.max(ew / vw, eh / vh); // cover: the video is scaled up to fill
  const ox = (ew - vw * scale) / 2;
  const oy = (eh - vh * scale) / 2;
  const bx = box.left * ew - box.width * ew * margin;
  const by = box.top * eh - box.height * eh * margin;
  const bw = box.width * ew * (1 + 2 * margin);
  const bh = box.height * eh * (1 + 2 * margin);
  const x0 = Math.max(0, Math.floor((bx - ox) / scale));
  const y0 = Math.max(0, Math.floor((by - oy) / scale));
  const x1 = Math.min(vw, Math.ceil((bx + bw - ox) / scale));
  const y1 = Math.min(vh, Math.ceil((by + bh - oy) / scale));
  return { x: x0, y: y0, w: Math.max(1, x1 - x0), h: Math.max(1, y1 - y0) };
}

/** Scale that brings `w` down to at most `max` pixels (never up). */
export function fitScale(w: number, max: number): number {
  return w > max ? max / w : 1;
}

/**
 * Grey RGBA with every pixel pushed away from the mean of its four neighbours
 * (an unsharp mask). Phone cameras at arm's length blur narrow Code 128 spaces
 * into grey; zbar still reads such frames, zxing's binarizer often does not
 * until the edges are steepened again. Measured on a rendered bin label blurred
 * like a camera (sigma 1.5 px at about 3.5 px a module): unread plain, read
 * after this with k = 2.
 */
export function sharpenedLuma(rgba: ArrayLike<number>, width: number, height: number, k = 2): Uint8ClampedArray<ArrayBuffer> {
  const n = width * height;
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const p = i << 2;
    y[i] = (306 * rgba[p] + 601 * rgba[p + 1] + 117 * rgba[p + 2] + 512) >> 10;
  }
  const out = new Uint8ClampedArray(n * 4);
  for (let r = 0; r < height; r++) {
    const row = r * width;
    for (let c = 0; c < width; c++) {
      const i = row + c;
      const v = y[i];
      const around =
        (y[c > 0 ? i - 1 : i] + y[c < width - 1 ? i + 1 : i] + y[r > 0 ? i - width : i] + y[r < height - 1 ? i + width : i]) / 4;
      const s = v + k * (v - around); // Uint8ClampedArray clamps and rounds
      const p = i << 2;
      out[p] = s;
      out[p + 1] = s;
      out[p + 2] = s;
      out[p + 3] = 255;
    }
  }
  return out;
}
