/**
 * Names the analytics screens share for their generated types (the
 * operations are in operations.graphql beside this file).
 */
import type {
  AbcAnalysisQuery,
  AnalyticsCsvKind,
  InventoryAccuracyQuery,
  MovementTrendsQuery,
  PickerProductivityQuery,
  StockValueGroup,
  StockValueQuery,
  TurnoverQuery,
} from '../../graphql/generated/graphql';

export type { AbcMeasure, TrendBucket, TurnoverGroup } from '../../graphql/generated/graphql';
export type ValueGroup = StockValueGroup;
export type CsvKind = AnalyticsCsvKind;

export type StockValueRow = StockValueQuery['stockValue'][number];
export type TurnoverRow = TurnoverQuery['turnover'][number];
export type AbcRow = AbcAnalysisQuery['abcAnalysis'][number];
export type TrendRow = MovementTrendsQuery['movementTrends'][number];
export type Accuracy = InventoryAccuracyQuery['inventoryAccuracy'];
/** Pickers and packers are read with the same fields. */
export type PickerRow = PickerProductivityQuery['pickerProductivity'][number];
