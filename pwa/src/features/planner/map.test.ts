import { describe, expect, it } from 'vitest';
import type { PlannedTour, WarehouseMap } from './types';
import { floorSize, tourPath } from './map';

const w: WarehouseMap = {
  id: '1',
  code: 'W1',
  nAisles: 5,
  cellsPerAisle: 20,
  cellLengthM: 1,
  aislePitchM: 3,
  crossAisleWidthM: 2,
  nBlocks: 1,
  depotAisle: 0,
};

const stop = (seq: number, x: number, y: number) => ({ seq, orderNumber: 'O', binLabel: 'B', itemSku: 'S', quantity: 1, aisle: x / 3, bay: y, x, y });

describe('planner map', () => {
  it('walks along aisles and over the nearer cross aisle', () => {
    const tour: PlannedTour = { seq: 1, metres: 0, lines: 2, units: 2, orderIds: [], stops: [stop(2, 6, 20), stop(1, 3, 2)] };
    const { length } = floorSize(w, [tour]);
    expect(length).toBe(24);
    const path = tourPath(w, tour, length);
    // depot → aisle 1 over the front → stop 1 → aisle 2 over the back (stop 2 is deep) → back to the depot.
    expect(path[0]).toEqual({ x: 0, y: 0 });
    expect(path).toContainEqual({ x: 3, y: 2 });
    expect(path).toContainEqual({ x: 6, y: 20 });
    expect(path[path.length - 1]).toEqual({ x: 0, y: 0 });
    // Every segment is along an aisle or along a cross aisle: never diagonal.
    for (let i = 1; i < path.length; i++) {
      const a = path[i - 1];
      const b = path[i];
      expect(a.x === b.x || a.y === b.y).toBe(true);
    }
  });
});
