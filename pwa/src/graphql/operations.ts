import type { UserErrorShape } from './client';

/** The shell's operations (docs/API.md, "Handheld shell operations"). */

export interface User {
  id: string;
  username: string;
  displayName: string;
  roles: string[];
  locale?: string | null;
}

export interface SignInSuccess {
  __typename: 'SignInSuccess';
  token: string;
  expiresAt: string;
  user: User;
}

export type SignInResult = SignInSuccess | (UserErrorShape & { __typename: string });

const SIGN_IN_RESULT = `
    __typename
    ... on SignInSuccess { token expiresAt user { id username displayName roles locale } }
    ... on UserError { code message field }`;

export const SIGN_IN_WITH_BADGE = `
mutation SignInWithBadge($badge: String!, $pin: String!, $device: String!) {
  signInWithBadge(input: {badge: $badge, pin: $pin, deviceId: $device}) {${SIGN_IN_RESULT}
  }
}`;

export const SIGN_IN = `
mutation SignIn($username: String!, $password: String!, $device: String!) {
  signIn(input: {username: $username, password: $password, deviceId: $device}) {${SIGN_IN_RESULT}
  }
}`;

export const ME = `query Me { me { id username displayName roles locale warehouse { id code name } } }`;

export type TaskKind = 'RECEIVE' | 'QC' | 'PUTAWAY' | 'PICK' | 'PACK' | 'SHIP' | 'COUNT' | 'MOVE' | 'REPLENISH' | (string & {});

/** Priority runs from 1 (most urgent) to 9; the server's default is 5. */
export interface Task {
  id: string;
  kind: TaskKind;
  state: string;
  title: string;
  priority: number;
  binCode: string | null;
  zoneCode: string | null;
  assigneeId: string | null;
  createdAt: string;
  /** What the task is about, e.g. the PO code of a RECEIVE task (absent in copies saved by older versions). */
  reference?: string | null;
}

const TASK_FIELDS = 'id kind state title priority binCode zoneCode assigneeId createdAt reference';

export const MY_TASKS = `
query MyTasks { myTasks(first: 50) { edges { node { ${TASK_FIELDS} } } } }`;

export interface MyTasksData {
  myTasks: { edges: { node: Task }[] };
}

export const TASK_EVENTS = `
subscription Tasks { taskEvents { change task { ${TASK_FIELDS} } } }`;

export interface TaskEvent {
  /** CREATED, CLAIMED, RELEASED, DONE, CANCELLED */
  change: string;
  task: Task;
}

export const RESOLVE_SCAN = `
query Resolve($code: String!) { resolveScan(code: $code) {
  __typename
  ... on ScanResolved { kind normalized label }
  ... on UserError { code message field } } }`;
