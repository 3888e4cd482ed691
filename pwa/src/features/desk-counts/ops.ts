import { USER_ERROR, type Connection } from '../desk-office/ops';

export interface VarianceLine {
  itemSku: string;
  lotNumber: string | null;
  book: number;
  counted: number;
  variance: number;
  valueCents: number;
  state: string;
}

export interface CountReview {
  countId: string;
  taskId: string;
  binCode: string;
  state: string;
  origin: string;
  countedBy: string | null;
  submittedAt: string | null;
  recountOfId: string | null;
  decidedBy: string | null;
  cause: string | null;
  lines: VarianceLine[];
}

export type ReviewsData = { countReviews: Connection<CountReview> };
export const COUNT_REVIEWS = `
query OfficeCountReviews($state: String, $warehouseId: ID, $after: String) {
  countReviews(first: 50, after: $after, state: $state, warehouseId: $warehouseId) {
    edges { node { countId taskId binCode state origin countedBy submittedAt recountOfId decidedBy cause lines { itemSku lotNumber book counted variance valueCents state } } }
    pageInfo { hasNextPage endCursor }
  }
}`;

export type CountDecided = { countId: string; state: string; adjustmentIds: string[] };
export const ACCEPT_VARIANCE = `
mutation OfficeAcceptVariance($input: CountDecisionInput!) {
  approveCountVariance(input: $input) { __typename ... on CountDecisionSuccess { countId state adjustmentIds } ${USER_ERROR} }
}`;
export const REJECT_VARIANCE = `
mutation OfficeRejectVariance($input: CountDecisionInput!) {
  rejectCountVariance(input: $input) { __typename ... on CountDecisionSuccess { countId state adjustmentIds } ${USER_ERROR} }
}`;

export interface CountPlan {
  id: string;
  warehouseId: string;
  name: string;
  kind: string;
  abcClass: string | null;
  zoneId: string | null;
  intervalDays: number | null;
  binCount: number;
  lastGeneratedAt: string | null;
}
const PLAN = 'id warehouseId name kind abcClass zoneId intervalDays binCount lastGeneratedAt';

export type PlansData = { countPlans: Connection<CountPlan> };
export const COUNT_PLANS = `
query OfficeCountPlans($warehouseId: ID) {
  countPlans(first: 100, warehouseId: $warehouseId) { edges { node { ${PLAN} } } pageInfo { hasNextPage endCursor } }
}`;

export type PlanCreated = { plan: CountPlan };
export const CREATE_COUNT_PLAN = `
mutation OfficeCreateCountPlan($input: CreateCountPlanInput!) {
  createCountPlan(input: $input) { __typename ... on CountPlanSuccess { plan { ${PLAN} } } ${USER_ERROR} }
}`;

export type TasksGenerated = { planId: string; created: { countId: string; taskId: string; binCode: string }[]; skipped: { binCode: string; code: string }[] };
export const GENERATE_COUNT_TASKS = `
mutation OfficeGenerateCountTasks($input: GenerateCountTasksInput!) {
  generateCountTasks(input: $input) { __typename ... on GenerateCountTasksSuccess { planId created { countId taskId binCode } skipped { binCode code } } ${USER_ERROR} }
}`;

/** Open counts of a plan (their sheets): what is still to be counted. */
export type SheetsData = { countSheets: Connection<{ taskId: string; countId: string | null; taskState: string; binCode: string }> };
export const PLAN_OPEN_COUNTS = `
query OfficePlanOpenCounts($planId: ID, $after: String) {
  countSheets(first: 200, after: $after, planId: $planId) { edges { node { taskId countId taskState binCode } } pageInfo { hasNextPage endCursor } }
}`;

/** How often bins are counted by the class of what they hold, and how long a due count may take. */
export interface CountSchedule {
  warehouseId: string;
  aDays: number;
  bDays: number;
  cDays: number;
  dueDays: number;
  configured: boolean;
}
const SCHEDULE = 'warehouseId aDays bDays cDays dueDays configured';
export type ScheduleData = { countSchedule: CountSchedule };
export const COUNT_SCHEDULE = `
query OfficeCountSchedule($warehouseId: ID) { countSchedule(warehouseId: $warehouseId) { ${SCHEDULE} } }`;
export type ScheduleSaved = { schedule: CountSchedule };
export const SET_COUNT_SCHEDULE = `
mutation OfficeSetCountSchedule($input: SetCountScheduleInput!) {
  setCountSchedule(input: $input) { __typename ... on CountScheduleSuccess { schedule { ${SCHEDULE} } } ${USER_ERROR} }
}`;
export type DueGenerated = { created: { countId: string; binCode: string; dueAt: string | null }[]; alreadyOpen: number };
export const GENERATE_DUE_COUNTS = `
mutation OfficeGenerateDueCounts($input: GenerateDueCountsInput!) {
  generateDueCounts(input: $input) { __typename ... on GenerateDueCountsSuccess { created { countId binCode dueAt } alreadyOpen } ${USER_ERROR} }
}`;

export interface PlanProgress {
  planId: string;
  binsTotal: number;
  binsCounted: number;
  variancesOpen: number;
  overdue: number;
}
export type ProgressData = { countPlanProgress: PlanProgress };
export const PLAN_PROGRESS = `
query OfficeCountPlanProgress($planId: ID!) { countPlanProgress(planId: $planId) { planId binsTotal binsCounted variancesOpen overdue } }`;

export type CausesData = { varianceCauses: string[] };
export const VARIANCE_CAUSES = `query OfficeVarianceCauses { varianceCauses }`;

export type Recounted = { countId: string; state: string; recount: { countId: string; taskId: string; binCode: string } };
export const RECOUNT_VARIANCE = `
mutation OfficeRecountVariance($input: CountDecisionInput!) {
  recountVariance(input: $input) { __typename ... on RecountSuccess { countId state recount { countId taskId binCode } } ${USER_ERROR} }
}`;
