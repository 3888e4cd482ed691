import type { ComponentType } from 'preact';
import type { Task } from './logic';
import { TaskDetail } from './TaskDetail';
import { lazyScreen } from '../../ui/lazyScreen';

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

// Each flow is a chunk of its own, fetched when a task of its kind is opened
// (or its copy warmed, warm.ts): the task list paints without them.
const PickScreen = lazyScreen<TaskScreenProps>(async () => (await import('../outbound/Pick')).PickScreen);
const ReceiveTaskScreen = lazyScreen<TaskScreenProps>(async () => (await import('../inbound/Receive')).ReceiveTaskScreen);
const PutawayScreen = lazyScreen<TaskScreenProps>(async () => (await import('../inbound/Putaway')).PutawayScreen);
const CountScreen = lazyScreen<TaskScreenProps>(async () => (await import('../control/Count')).CountScreen);
const QcScreen = lazyScreen<TaskScreenProps>(async () => (await import('../inbound/Qc')).QcScreen);
const ReplenishScreen = lazyScreen<TaskScreenProps>(async () => (await import('../replenish/Replenish')).ReplenishScreen);

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
