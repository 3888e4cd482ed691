/** Outbound operations (schema.graphql: pickTaskProgress, pickScanBin/Item, pickConfirm, pickShort, pickSkip). */

const USER_ERROR = '... on UserError { code message field }';

export type PickStepName = 'CLAIM' | 'SCAN_BIN' | 'SCAN_ITEM' | 'CONFIRM' | 'DONE';

export interface PickStop {
  lineId: string;
  binCode: string;
  binLabel: string;
  aisle: number | null;
  bay: number | null;
  level: number | null;
  itemSku: string;
  itemName: string;
  gtin: string | null;
  lotNumber: string | null;
  quantity: number;
  askQuantity: boolean;
  orderNumber: string;
  toteSlot: number;
  toteCode: string | null;
}

export interface PickProgress {
  __typename: 'PickProgress';
  taskId: string;
  taskState: string;
  waveCode: string;
  step: PickStepName;
  instruction: string;
  next: PickStop | null;
  linesTotal: number;
  linesDone: number;
  unitsTotal: number;
  unitsPicked: number;
  metresLeft: number;
}

const PROGRESS = `__typename
  ... on PickProgress { taskId taskState waveCode step instruction
    next { lineId binCode binLabel aisle bay level itemSku itemName gtin lotNumber quantity askQuantity orderNumber toteSlot toteCode }
    linesTotal linesDone unitsTotal unitsPicked metresLeft }
  ${USER_ERROR}`;

export const PICK_PROGRESS = `query PickProgress($taskId: ID!) { pickTaskProgress(taskId: $taskId) { ${PROGRESS} } }`;

/** Progress with every open stop (GTINs, route metres): what the device keeps to pick on offline. */
export const PICK_ROUTE = `query PickRoute($taskId: ID!) { pickTaskProgress(taskId: $taskId, route: true) { __typename
  ... on PickProgress { taskId taskState waveCode step instruction metresTotal
    next { lineId binCode binLabel aisle bay level itemSku itemName gtin lotNumber quantity askQuantity orderNumber toteSlot toteCode }
    stops { lineId binCode binLabel aisle bay level itemSku itemName gtin gtins lotNumber quantity askQuantity orderNumber toteSlot toteCode arriveMetres }
    linesTotal linesDone unitsTotal unitsPicked metresLeft }
  ${USER_ERROR} } }`;

export const PICK_SCAN_BIN = `mutation PickScanBin($input: PickScanInput!) { pickScanBin(input: $input) { ${PROGRESS} } }`;
export const PICK_SCAN_ITEM = `mutation PickScanItem($input: PickScanInput!) { pickScanItem(input: $input) { ${PROGRESS} } }`;
export const PICK_CONFIRM = `mutation PickConfirm($input: PickConfirmInput!) { pickConfirm(input: $input) { ${PROGRESS} } }`;
export const PICK_SHORT = `mutation PickShort($input: PickShortInput!) { pickShort(input: $input) { ${PROGRESS} } }`;
export const PICK_SKIP = `mutation PickSkip($input: PickLineInput!) { pickSkip(input: $input) { ${PROGRESS} } }`;

export const CLAIM_TASK = `
mutation ClaimTask($input: TaskRefInput!) {
  claimTask(input: $input) { __typename ... on TaskSuccess { task { id state } } ${USER_ERROR} }
}`;
