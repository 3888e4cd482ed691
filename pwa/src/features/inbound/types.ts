/**
 * Names the inbound screens share for their generated types (the operations
 * are in operations.graphql beside this file).
 */
import type {
  CloseReceiptMutation,
  PutawaySuggestionQuery,
  ReceiptFieldsFragment,
  ScanReceiveMutation,
  StartReceiptMutation,
} from '../../graphql/generated/graphql';
import type { Success } from '../../ui/flow/mutate';

/** A receipt as the receiving and QC screens show it (fragment ReceiptFields). */
export type Receipt = ReceiptFieldsFragment;
export type ReceiptLine = Receipt['lines'][number];
/** The receipt and what to scan next, as startReceipt and scanReceive answer. */
export type ReceiptStep = Pick<Success<StartReceiptMutation>, 'receipt' | 'next'>;
export type ReceivedGoods = Success<ScanReceiveMutation>['received'];
export type CloseReceiptSuccess = Success<CloseReceiptMutation>;
export type PutawayPlan = Extract<PutawaySuggestionQuery['putawaySuggestion'], { __typename: 'PutawayPlan' }>;
