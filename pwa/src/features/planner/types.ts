/**
 * Names the wave planner shares for its generated types (the operations are
 * in operations.graphql beside this file).
 */
import type { OrderPoolQuery, PreviewWaveQuery, WarehouseMapsQuery, WaveFieldsFragment } from '../../graphql/generated/graphql';

export type WarehouseMap = WarehouseMapsQuery['warehouses'][number];
export type PoolOrder = OrderPoolQuery['orderPool']['edges'][number]['node'];
export type WavePlan = Extract<PreviewWaveQuery['previewWave'], { __typename: 'WavePlan' }>;
export type PlannedTour = WavePlan['tours'][number];
/** A wave and its tours' progress (fragment WaveFields). */
export type Wave = WaveFieldsFragment;
