import { RETURN, type CustomerReturn, type ReturnUnit } from '../desk-returns/ops';

const USER_ERROR = '... on UserError { code message field }';

export type FoundReturns = { customerReturns: CustomerReturn[] };
/** The return a scan names: its RMA label or its order's number (the open return). */
export const FIND_RETURN = `
query HandheldFindReturn($code: String!) {
  customerReturns(code: $code, first: 1) { ${RETURN} }
}`;

export type ReturnReceived = { customerReturn: CustomerReturn; sku: string; quantity: number; serial: string | null; status: string };
export const RECEIVE_RETURN = `
mutation HandheldReceiveReturn($input: ReceiveReturnInput!) {
  receiveReturn(input: $input) { __typename ... on ReceiveReturnSuccess { sku quantity serial status customerReturn { ${RETURN} } } ${USER_ERROR} }
}`;

export type UnitDecided = { customerReturn: CustomerReturn; unit: ReturnUnit; credited: boolean };
export const DECIDE_RETURN_UNIT = `
mutation HandheldDecideReturnUnit($input: DecideReturnUnitInput!) {
  decideReturnUnit(input: $input) { __typename ... on DecideReturnUnitSuccess { credited unit { id disposition toBinCode } customerReturn { ${RETURN} } } ${USER_ERROR} }
}`;

export const DISPOSITIONS = ['RESTOCK', 'QUARANTINE', 'SCRAP', 'RETURN_TO_VENDOR'] as const;
export type Disposition = (typeof DISPOSITIONS)[number];
