import { describe, expect, it } from 'vitest';
import { AIM_BOX, fitScale, sharpenedLuma, viewfinderRect } from './frame';

describe('viewfinderRect', () => {
  it('maps the aim box to video pixels when the video fills the element exactly', () => {
    const r = viewfinderRect({ width: 1000, height: 500 }, { width: 1000, height: 500 }, AIM_BOX, 0);
    expect(r).toEqual({ x: 100, y: 110, w: 800, h: 280 });
  });

  it('accounts for object-fit: cover cropping a 16:9 video into a 4:3 element', () => {
    // 1280×720 shown in 400×300: scaled by 300/720, 533 px wide, 66.7 px cut off each side.
    const r = viewfinderRect({ width: 1280, height: 720 }, { width: 400, height: 300 }, AIM_BOX, 0);
    const scale = 300 / 720;
    const ox = (400 - 1280 * scale) / 2;
    expect(r.x).toBe(Math.floor((0.1 * 400 - ox) / scale));
    expect(r.y).toBe(Math.floor((0.22 * 300) / scale));
    expect(r.w).toBeCloseTo((0.8 * 400) / scale, -1);
    expect(r.h).toBeCloseTo((0.56 * 300) / scale, -1);
    // The crop is centred in the frame.
    expect(Math.abs(r.x + r.w / 2 - 640)).toBeLessThanOrEqual(1);
    expect(Math.abs(r.y + r.h / 2 - 360)).toBeLessThanOrEqual(1);
  });

  it('grows by the margin but never leaves the frame', () => {
    const r = viewfinderRect({ width: 640, height: 480 }, { width: 640, height: 480 }, { left: 0, top: 0, width: 1, height: 1 }, 0.2);
    expect(r).toEqual({ x: 0, y: 0, w: 640, h: 480 });
  });

  it('falls back to the whole frame before the element has a size', () => {
    expect(viewfinderRect({ width: 640, height: 480 }, { width: 0, height: 0 })).toEqual({ x: 0, y: 0, w: 640, h: 480 });
  });
});

describe('fitScale', () => {
  it('scales down, never up', () => {
    expect(fitScale(2560, 1280)).toBe(0.5);
    expect(fitScale(800, 1280)).toBe(1);
  });
});

describe('sharpenedLuma', () => {
  const rgba = (values: number[]) => new Uint8ClampedArray(values.flatMap((v) => [v, v, v, 255]));
  const luma = (out: Uint8ClampedArray) => [...out].filter((_, i) => i % 4 === 0);

  it('leaves flat areas alone and steepens an edge blurred into grey', () => {
    // One row: white, a soft edge, black.
    const out = sharpenedLuma(rgba([240, 240, 180, 120, 60, 60]), 6, 1);
    const y = luma(out);
    expect(y[0]).toBe(240);
    expect(y[5]).toBe(60);
    // The light side of the edge gets lighter and the dark side darker than before.
    expect(y[1]).toBeGreaterThan(240);
    expect(y[4]).toBeLessThan(60);
    expect(out[3]).toBe(255);
  });

  it('reads colour as luma (a red label is grey to the decoder)', () => {
    const out = sharpenedLuma(new Uint8ClampedArray([255, 0, 0, 255]), 1, 1);
    expect(out[0]).toBe(Math.round((306 * 255) / 1024));
    expect(out[0]).toBe(out[1]);
    expect(out[1]).toBe(out[2]);
  });
});
