import { USER_ERROR, type Connection } from '../desk-office/ops';

/** Choices the server accepts (backend/catalog/parties.py ADAPTERS, printers, purchasing rules). */
export const ADAPTERS = ['own_fleet', 'manual'] as const;
export const PRINTER_KINDS = ['CUPS', 'RAW_TCP'] as const;
// Only these roles hold purchase.approve, so only they can give an approval.
export const APPROVER_ROLES = ['supervisor', 'admin'] as const;
export const ABC = ['A', 'B', 'C'] as const;
export const STORAGE_CLASSES = ['AMBIENT', 'COLD', 'FROZEN', 'HAZARDOUS'] as const;
/** backend/core/db/models/control.py AdjustmentReason: fixed in the code, shown read-only. */
export const ADJUSTMENT_REASONS = ['DAMAGE', 'SCRAP', 'FOUND', 'LOST', 'EXPIRY_WRITE_OFF'] as const;

export interface Carrier {
  id: string;
  code: string;
  name: string;
  adapter: string | null;
  services: string[] | null;
  active: boolean;
}
const CARRIER_FIELDS = 'id code name adapter services active';
export type CarriersData = { carriers: Connection<Carrier> };
export const CARRIERS = `
query DeskSetupCarriers($after: String) {
  carriers(first: 200, after: $after) { edges { node { ${CARRIER_FIELDS} } } pageInfo { hasNextPage endCursor } }
}`;
export type CarrierSaved = { party: Carrier };
const carrierMutation = (name: string, input: string) => `
mutation DeskSetup${name[0].toUpperCase()}${name.slice(1)}($input: ${input}!) {
  ${name}(input: $input) { __typename ... on PartySuccess { party { ${CARRIER_FIELDS} } } ${USER_ERROR} }
}`;
export const CREATE_CARRIER = carrierMutation('createParty', 'PartyInput');
export const UPDATE_CARRIER = carrierMutation('updateParty', 'PartyInput');

export interface CartonType {
  id: string;
  code: string;
  name: string;
  lengthMm: number;
  widthMm: number;
  heightMm: number;
  maxWeightGrams: number;
  tareWeightGrams: number;
  active: boolean;
}
const CARTON_FIELDS = 'id code name lengthMm widthMm heightMm maxWeightGrams tareWeightGrams active';
export type CartonTypesData = { cartonTypes: CartonType[] };
export const CARTON_TYPES = `query DeskSetupCartonTypes { cartonTypes(includeInactive: true) { ${CARTON_FIELDS} } }`;
export type CartonSaved = { cartonType: CartonType };
export const SAVE_CARTON_TYPE = `
mutation DeskSetupSaveCartonType($input: SaveCartonTypeInput!) {
  saveCartonType(input: $input) { __typename ... on SaveCartonTypeSuccess { cartonType { ${CARTON_FIELDS} } } ${USER_ERROR} }
}`;

export interface Printer {
  id: string;
  warehouseId: string;
  name: string;
  station: string;
  kind: string;
  address: string;
  raw: boolean;
  active: boolean;
}
const PRINTER_FIELDS = 'id warehouseId name station kind address raw active';
export type PrintersData = { printers: Printer[] };
export const PRINTERS = `query DeskSetupPrinters { printers { ${PRINTER_FIELDS} } }`;
export type PrinterSaved = { printer: Printer };
export const SAVE_PRINTER = `
mutation DeskSetupSavePrinter($input: SavePrinterInput!) {
  savePrinter(input: $input) { __typename ... on SavePrinterSuccess { printer { ${PRINTER_FIELDS} } } ${USER_ERROR} }
}`;

export interface ApprovalRule {
  id: string;
  warehouseId: string | null;
  level: number;
  approverRole: string;
  minAmountCents: number | null;
  abcClass: string | null;
  storageClass: string | null;
  active: boolean;
}
const RULE_FIELDS = 'id warehouseId level approverRole minAmountCents abcClass storageClass active';
export type RulesData = { approvalRules: ApprovalRule[] };
export const APPROVAL_RULES = `query DeskSetupApprovalRules { approvalRules { ${RULE_FIELDS} } }`;
export type RuleSaved = { rule: ApprovalRule };
const ruleMutation = (name: string, input: string) => `
mutation DeskSetup${name[0].toUpperCase()}${name.slice(1)}($input: ${input}!) {
  ${name}(input: $input) { __typename ... on ApprovalRuleSuccess { rule { ${RULE_FIELDS} } } ${USER_ERROR} }
}`;
export const ADD_APPROVAL_RULE = ruleMutation('addApprovalRule', 'AddApprovalRuleInput');
export const RETIRE_APPROVAL_RULE = ruleMutation('retireApprovalRule', 'RetireApprovalRuleInput');
