import { USER_ERROR } from '../desk-office/ops';

/** The users desk's operations (plain texts with their result types). */

export interface DeskUser {
  id: string;
  username: string;
  displayName: string;
  roles: string[];
  locale: string;
  warehouseIds: string[];
  homeWarehouseId: string | null;
  active: boolean;
  badgeCode: string | null;
}

export interface ScopeWarehouse {
  id: string;
  code: string;
  name: string;
}

const USER_FIELDS = 'id username displayName roles locale warehouseIds homeWarehouseId active badgeCode';

export const USERS = `
query DeskUsers($after: String) {
  users(first: 200, after: $after) { edges { node { ${USER_FIELDS} } } pageInfo { hasNextPage endCursor } }
}`;

export const SCOPE_WAREHOUSES = `query DeskUserWarehouses { warehouses { id code name } }`;

export const CREATE_USER = `
mutation DeskCreateUser($input: UserInput!) {
  createUser(input: $input) { __typename ... on UserSuccess { user { ${USER_FIELDS} } } ${USER_ERROR} }
}`;

export const UPDATE_USER = `
mutation DeskUpdateUser($input: UserInput!) {
  updateUser(input: $input) { __typename ... on UserSuccess { user { ${USER_FIELDS} } } ${USER_ERROR} }
}`;

export const SET_USER_ACTIVE = `
mutation DeskSetUserActive($input: SetUserActiveInput!) {
  setUserActive(input: $input) { __typename ... on UserSuccess { user { ${USER_FIELDS} } } ${USER_ERROR} }
}`;

export const RESET_USER_SECRET = `
mutation DeskResetUserSecret($input: ResetUserSecretInput!) {
  resetUserSecret(input: $input) { __typename ... on UserSuccess { user { ${USER_FIELDS} } } ${USER_ERROR} }
}`;

export interface UserSaved {
  user: DeskUser;
}

export const badgeUrl = (userId: string) => `/documents/user_badge/${encodeURIComponent(userId)}.pdf`;
