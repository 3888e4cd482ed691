import { gql } from '../../graphql/client';
import { AnalyticsCsvDocument } from '../../graphql/generated/graphql';
import { saveBlob } from '../../ui/saveBlob';
import type { CsvKind, TrendBucket, TurnoverGroup, ValueGroup } from './types';

export interface CsvParams {
  kind: CsvKind;
  days: number;
  warehouseId: string | null;
  valueGroup: ValueGroup;
  turnoverGroup: TurnoverGroup;
  bucket: TrendBucket;
}

/** A file name that says what is in the file: wms-stock-value-category-2026-11-22.csv. */
export function csvFilename(p: CsvParams, today: string): string {
  const detail: Record<CsvKind, string> = {
    STOCK_VALUE: p.valueGroup,
    TURNOVER: `${p.turnoverGroup}-${p.days}d`,
    ABC: `${p.days}d`,
    TRENDS: `${p.bucket}-${p.days}d`,
    ACCURACY: `${p.days}d`,
    PRODUCTIVITY: `${p.days}d`,
    PACKER_PRODUCTIVITY: `${p.days}d`,
  };
  return `wms-${p.kind}-${detail[p.kind]}-${today}.csv`.toLowerCase().replace(/_/g, '-');
}

/**
 * Ask the server for the report as CSV and hand it to the browser as a file
 * (a plain link cannot carry the bearer token). A byte-order mark first, so
 * spreadsheet programs read category names in Chinese as UTF-8.
 */
export async function downloadCsv(p: CsvParams, filename: string): Promise<void> {
  const data = await gql(AnalyticsCsvDocument, p);
  saveBlob(new Blob(['\ufeff', data.analyticsCsv], { type: 'text/csv;charset=utf-8' }), filename);
}
