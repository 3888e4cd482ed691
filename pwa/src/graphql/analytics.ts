/** Analytics reports, their CSV export and the ABC re-class (schema.graphql). */

const USER_ERROR = '... on UserError { code message field }';

export type ValueGroup = 'CATEGORY' | 'WAREHOUSE' | 'STATUS';
export type TurnoverGroup = 'ITEM' | 'CATEGORY';
export type AbcMeasure = 'LINES' | 'UNITS' | 'VALUE';
export type TrendBucket = 'DAY' | 'WEEK';
export type CsvKind = 'STOCK_VALUE' | 'TURNOVER' | 'ABC' | 'TRENDS' | 'ACCURACY' | 'PRODUCTIVITY' | 'PACKER_PRODUCTIVITY';

export interface StockValueRow {
  key: string;
  quantity: number;
  valueCents: number;
  items: number;
}

export const STOCK_VALUE = `
query StockValue($groupBy: StockValueGroup!, $warehouseId: ID) {
  stockValue(groupBy: $groupBy, warehouseId: $warehouseId) { key quantity valueCents items }
}`;

export interface TurnoverRow {
  key: string;
  demand: number;
  onHand: number;
  averageOnHand: number;
  turns: number | null;
  annualTurns: number | null;
  daysOfSupply: number | null;
}

export const TURNOVER = `
query Turnover($days: Int!, $groupBy: TurnoverGroup!, $warehouseId: ID) {
  turnover(days: $days, groupBy: $groupBy, warehouseId: $warehouseId, limit: 100) {
    key demand onHand averageOnHand turns annualTurns daysOfSupply
  }
}`;

export interface AbcRow {
  itemId: string;
  sku: string;
  lines: number;
  units: number;
  measure: number;
  share: number;
  cumulativeShare: number;
  proposedClass: string;
  currentClass: string;
}

export const ABC = `
query AbcAnalysis($days: Int!, $measure: AbcMeasure!, $warehouseId: ID) {
  abcAnalysis(days: $days, measure: $measure, warehouseId: $warehouseId, limit: 100) {
    itemId sku lines units measure share cumulativeShare proposedClass currentClass
  }
}`;

export interface TrendRow {
  period: string;
  received: number;
  shipped: number;
  demand: number;
  demandLines: number;
}

export const TRENDS = `
query MovementTrends($days: Int!, $bucket: TrendBucket!, $warehouseId: ID) {
  movementTrends(days: $days, bucket: $bucket, warehouseId: $warehouseId) { period received shipped demand demandLines }
}`;

export interface Accuracy {
  counts: number;
  countsWithVariance: number;
  accuracy: number | null;
  unitsAdjusted: number;
}

export const ACCURACY = `
query InventoryAccuracy($days: Int!, $warehouseId: ID) {
  inventoryAccuracy(days: $days, warehouseId: $warehouseId) { counts countsWithVariance accuracy unitsAdjusted }
}`;

export interface PickerRow {
  userId: string;
  username: string;
  lines: number;
  units: number;
  activeHours: number;
  linesPerHour: number;
  unitsPerHour: number;
  /** Route metres of the pick carts finished (packers: 0). */
  metresWalked: number;
}

export const PRODUCTIVITY = `
query PickerProductivity($days: Int!, $warehouseId: ID) {
  pickerProductivity(days: $days, warehouseId: $warehouseId) { userId username lines units activeHours linesPerHour unitsPerHour metresWalked }
}`;

export const PACKER_PRODUCTIVITY = `
query PackerProductivity($days: Int!, $warehouseId: ID) {
  packerProductivity(days: $days, warehouseId: $warehouseId) { userId username lines units activeHours linesPerHour unitsPerHour metresWalked }
}`;

export const ANALYTICS_CSV = `
query AnalyticsCsv($kind: AnalyticsCsvKind!, $days: Int!, $warehouseId: ID, $valueGroup: StockValueGroup!,
                   $turnoverGroup: TurnoverGroup!, $bucket: TrendBucket!) {
  analyticsCsv(kind: $kind, days: $days, warehouseId: $warehouseId, valueGroup: $valueGroup,
               turnoverGroup: $turnoverGroup, bucket: $bucket)
}`;

export interface ReclassifyAbcSuccess {
  changed: number;
  aItems: number;
  bItems: number;
  cItems: number;
}

/** Not a handheld mutation: its input takes no idempotency key. */
export const RECLASSIFY_ABC = `
mutation ReclassifyAbc($input: ReclassifyAbcInput!) {
  reclassifyAbc(input: $input) { __typename ... on ReclassifyAbcSuccess { changed aItems bItems cItems } ${USER_ERROR} }
}`;
