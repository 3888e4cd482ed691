import type { ComponentType } from 'preact';
import type { Task } from './logic';
import { TaskDetail } from './TaskDetail';
import { PickScreen } from '../outbound/Pick';
import { PutawayScreen } from '../inbound/Putaway';
import { ReceiveTaskScreen } from '../inbound/Receive';
import { QcScreen } from '../inbound/Qc';
import { CountScreen } from '../control/Count';
import { ReplenishScreen } from '../replenish/Replenish';

export interface TaskScreenProps {
  task: Task;
  /** Leave the screen (back to the list). */
  close: () => void;
}

/**
 * The screen for each task kind. Kind-specific screens (pick, putaway,
 * count…) register here; a kind without one shows the task's details.
 */
/** Task.kind is a String in the schema: kinds this app does not know fall back to the details. */
type TaskKind = 'RECEIVE' | 'QC' | 'PUTAWAY' | 'PICK' | 'PACK' | 'SHIP' | 'COUNT' | 'MOVE' | 'REPLENISH' | (string & {});

export const taskScreens: Partial<Record<TaskKind, ComponentType<TaskScreenProps>>> = {
  PICK: PickScreen,
  RECEIVE: ReceiveTaskScreen,
  PUTAWAY: PutawayScreen,
  COUNT: CountScreen,
  QC: QcScreen,
  REPLENISH: ReplenishScreen,
};

export function screenFor(kind: TaskKind): ComponentType<TaskScreenProps> {
  return taskScreens[kind] ?? TaskDetail;
}
