/**
 * Names the move and transfer screens share for their generated types (the
 * operations are in operations.graphql beside this file).
 */
import type { CreateTransferMutation, MoveStockMutation, WarehousesQuery } from '../../graphql/generated/graphql';
import type { Success } from '../../ui/flow/mutate';

export type MoveStockSuccess = Success<MoveStockMutation>;
export type TransferView = Success<CreateTransferMutation>['transfer'];
export type WarehouseRef = WarehousesQuery['warehouses'][number];
