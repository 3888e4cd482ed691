import { USER_ERROR, type Connection } from '../desk-office/ops';

export type AlertState = 'OPEN' | 'ACKNOWLEDGED' | 'RESOLVED';
export type Severity = 'INFO' | 'WARNING' | 'CRITICAL';
export const CONDITION_KINDS = ['BELOW_SAFETY_STOCK', 'BELOW_MINIMUM', 'ABOVE_MAXIMUM', 'EXPIRY_WITHIN', 'NO_MOVEMENT', 'COUNT_VARIANCE', 'NEGATIVE_AVAILABILITY'] as const;
export type ConditionKind = (typeof CONDITION_KINDS)[number];

export interface AlertRow {
  id: string;
  ruleId: string;
  warehouseId: string;
  subject: string;
  state: AlertState;
  severity: Severity;
  message: string;
  raisedAt: string;
  lastNotifiedAt: string | null;
  notifyCount: number;
  acknowledgedBy: string | null;
  acknowledgedAt: string | null;
  resolvedAt: string | null;
  snoozedUntil: string | null;
  deliveries: { channel: string; target: string; attempt: number; ok: boolean; statusCode: number | null; error: string; at: string }[];
}

export type AlertsData = { alerts: Connection<AlertRow> };
export const ALERTS = `
query OfficeAlerts($state: AlertState, $includeResolved: Boolean!, $warehouseId: ID, $after: String) {
  alerts(first: 100, after: $after, state: $state, includeResolved: $includeResolved, warehouseId: $warehouseId) {
    edges { node { id ruleId warehouseId subject state severity message raisedAt lastNotifiedAt notifyCount acknowledgedBy acknowledgedAt resolvedAt snoozedUntil deliveries { channel target attempt ok statusCode error at } } }
    pageInfo { hasNextPage endCursor }
  }
}`;

export type Acknowledged = { alertId: string; state: AlertState; acknowledgedBy: string | null; acknowledgedAt: string | null };
export const ACKNOWLEDGE_ALERT = `
mutation OfficeAcknowledgeAlert($input: AcknowledgeAlertInput!) {
  acknowledgeAlert(input: $input) { __typename ... on AlertSuccess { alertId state acknowledgedBy acknowledgedAt } ${USER_ERROR} }
}`;

export type Snoozed = { alertId: string; snoozedUntil: string | null };
export const SNOOZE_ALERT = `
mutation OfficeSnoozeAlert($input: SnoozeAlertInput!) {
  snoozeAlert(input: $input) { __typename ... on AlertSuccess { alertId snoozedUntil } ${USER_ERROR} }
}`;
/** The snooze lengths offered, in minutes (the server takes 1 to a week). */
export const SNOOZE_MINUTES = [30, 60, 240, 480, 1440, 10080] as const;

export interface AlertRule {
  id: string;
  warehouseId: string;
  name: string;
  itemId: string | null;
  category: string | null;
  abcClass: string | null;
  storageClass: string | null;
  combine: 'ALL' | 'ANY';
  conditions: { kind: ConditionKind; threshold: number | null; days: number | null }[];
  severity: Severity;
  repeatMinutes: number;
  quietStartMinute: number | null;
  quietEndMinute: number | null;
  emailTo: string[];
  webhookUrl: string;
  active: boolean;
}
const RULE = 'id warehouseId name itemId category abcClass storageClass combine conditions { kind threshold days } severity repeatMinutes quietStartMinute quietEndMinute emailTo webhookUrl active';

export type RulesData = { alertRules: Connection<AlertRule> };
export const ALERT_RULES = `
query OfficeAlertRules($warehouseId: ID) {
  alertRules(first: 200, warehouseId: $warehouseId) { edges { node { ${RULE} } } pageInfo { hasNextPage endCursor } }
}`;

export type RuleSaved = { rule: AlertRule };
export const CREATE_ALERT_RULE = `
mutation OfficeCreateAlertRule($input: CreateAlertRuleInput!) {
  createAlertRule(input: $input) { __typename ... on AlertRuleSuccess { rule { ${RULE} } } ${USER_ERROR} }
}`;
/** Takes no idempotency key (switching twice to the same state is harmless). */
export type RuleActiveData = { setAlertRuleActive: RuleSaved | { __typename: string; code: string; message: string; field: string | null } };
export const SET_RULE_ACTIVE = `
mutation OfficeSetAlertRuleActive($input: SetAlertRuleActiveInput!) {
  setAlertRuleActive(input: $input) { __typename ... on AlertRuleSuccess { rule { ${RULE} } } ${USER_ERROR} }
}`;
