/** Wave planning operations (schema.graphql: orderPool, previewWave, createWave, releaseWave, wave). */

const USER_ERROR = '... on UserError { code message field }';

export interface WarehouseMap {
  id: string;
  code: string;
  nAisles: number;
  cellsPerAisle: number;
  cellLengthM: number;
  aislePitchM: number;
  crossAisleWidthM: number;
  nBlocks: number;
  depotAisle: number;
}

export const WAREHOUSES = `query Warehouses { warehouses { id code nAisles cellsPerAisle cellLengthM aislePitchM crossAisleWidthM nBlocks depotAisle } }`;

export interface PoolOrder {
  id: string;
  number: string;
  state: string;
  priority: number;
  cutoffAt: string | null;
  carrierCode: string | null;
  channel: string;
  customerCode: string;
  lines: { quantity: number }[];
}

export const ORDER_POOL = `
query OrderPool($carrier: String, $priority: Int, $zone: String, $channel: String, $cutoffBefore: DateTime) {
  orderPool(first: 200, carrier: $carrier, priority: $priority, zone: $zone, channel: $channel, cutoffBefore: $cutoffBefore) {
    edges { node { id number state priority cutoffAt carrierCode channel customerCode lines { quantity } } }
  }
}`;

export interface PlannedStop {
  seq: number;
  orderNumber: string;
  binLabel: string;
  itemSku: string;
  quantity: number;
  aisle: number;
  bay: number;
  x: number;
  y: number;
}

export interface PlannedTour {
  seq: number;
  metres: number;
  lines: number;
  units: number;
  orderIds: string[];
  stops: PlannedStop[];
}

export interface WavePlan {
  method: string;
  metres: number;
  tourCount: number;
  lines: number;
  units: number;
  tours: PlannedTour[];
}

const PLAN = `method metres tourCount lines units
  tours { seq metres lines units orderIds stops { seq orderNumber binLabel itemSku quantity aisle bay x y } }`;

export const PREVIEW_WAVE = `
query PreviewWave($input: WavePlanInput!) { previewWave(input: $input) { __typename ... on WavePlan { ${PLAN} } ${USER_ERROR} } }`;

export interface TourProgress {
  seq: number;
  taskId: string | null;
  taskState: string | null;
  assigneeId: string | null;
  metres: number;
  orders: number;
  linesTotal: number;
  linesPicked: number;
  unitsTotal: number;
  unitsPicked: number;
}

export interface Wave {
  id: string;
  code: string;
  state: string;
  metres: number;
  linesTotal: number;
  linesPicked: number;
  tours: TourProgress[];
}

const WAVE = `id code state metres linesTotal linesPicked
  tours { seq taskId taskState assigneeId metres orders linesTotal linesPicked unitsTotal unitsPicked }`;

export const CREATE_WAVE = `
mutation CreateWave($input: WavePlanInput!) {
  createWave(input: $input) { __typename ... on CreateWaveSuccess { wave { ${WAVE} } } ${USER_ERROR} }
}`;

export const RELEASE_WAVE = `
mutation ReleaseWave($input: ReleaseWaveInput!) {
  releaseWave(input: $input) { __typename ... on ReleaseWaveSuccess { wave { ${WAVE} } pickTaskIds orders lines units } ${USER_ERROR} }
}`;

export const WAVE_QUERY = `query Wave($id: ID!) { wave(id: $id) { ${WAVE} } }`;
