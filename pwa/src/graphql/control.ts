/** Inventory control operations (schema.graphql: countTaskSheet, submitCount). */

const USER_ERROR = '... on UserError { code message field }';

export interface CountSheet {
  __typename: 'CountSheet';
  taskId: string;
  taskState: string;
  binCode: string;
  binLabel: string;
  lines: { itemSku: string; itemName: string; lotNumber: string | null }[];
}

export const COUNT_SHEET = `
query CountSheet($taskId: ID!) {
  countTaskSheet(taskId: $taskId) {
    __typename
    ... on CountSheet { taskId taskState binCode binLabel lines { itemSku itemName lotNumber } }
    ${USER_ERROR}
  }
}`;

export const SUBMIT_COUNT = `
mutation SubmitCount($input: SubmitCountInput!) {
  submitCount(input: $input) { __typename ... on SubmitCountSuccess { countId taskId linesCounted } ${USER_ERROR} }
}`;
