/**
 * The shipper's dock (schema.graphql: readyToShip, dockOrder, ship, printDocument).
 * The operations are in operations.graphql beside this file; these are the
 * names the dock's modules share for their generated types.
 */
import type { DockShipMutation, PackedOrderFieldsFragment } from '../../graphql/generated/graphql';
import type { Success } from '../../ui/flow/mutate';

/** A packed order waiting at the dock (fragment PackedOrderFields). */
export type PackedOrder = PackedOrderFieldsFragment;

export type Shipment = Success<DockShipMutation>['shipment'];
