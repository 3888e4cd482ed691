import type { PlannedTour, WarehouseMap } from './types';

/**
 * The warehouse floor as drawing coordinates (metres, as the planner's
 * geometry: x across the aisles, aisle a at a × pitch; y along them from the
 * front cross aisle). A tour is drawn the way a picker walks it: along an
 * aisle to a cross aisle (front or back, whichever is shorter), across, and
 * into the next aisle.
 */

export interface Point {
  x: number;
  y: number;
}

export function floorSize(w: WarehouseMap, tours: PlannedTour[]): { width: number; length: number } {
  const racking = w.cellsPerAisle * w.cellLengthM + (w.nBlocks + 1) * w.crossAisleWidthM;
  const maxY = Math.max(racking, ...tours.flatMap((t) => t.stops.map((s) => s.y)));
  return { width: Math.max(1, (w.nAisles - 1) * w.aislePitchM), length: maxY };
}

export function depot(w: WarehouseMap): Point {
  return { x: w.depotAisle * w.aislePitchM, y: 0 };
}

/** The walking path of a tour: depot, every stop in order, back to the depot. */
export function tourPath(w: WarehouseMap, tour: PlannedTour, length: number): Point[] {
  const stops = [...tour.stops].sort((a, b) => a.seq - b.seq).map((s) => ({ x: s.x, y: s.y }));
  const points = [depot(w), ...stops, depot(w)];
  const path: Point[] = [points[0]];
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1];
    const b = points[i];
    if (Math.abs(a.x - b.x) > 1e-6) {
      // Change aisles over the nearer cross aisle.
      const viaFront = a.y + b.y;
      const viaBack = 2 * length - a.y - b.y;
      const cross = viaFront <= viaBack ? 0 : length;
      path.push({ x: a.x, y: cross }, { x: b.x, y: cross });
    }
    path.push(b);
  }
  return path;
}

export function pathD(points: Point[], scale: (p: Point) => Point): string {
  return points
    .map((p, i) => {
      const q = scale(p);
      return `${i === 0 ? 'M' : 'L'}${q.x.toFixed(1)} ${q.y.toFixed(1)}`;
    })
    .join(' ');
}

/** Distinct, colour-blind-friendly tour colours (Okabe–Ito), repeated when there are more tours. */
export const TOUR_COLOURS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000', '#F0E442'];
