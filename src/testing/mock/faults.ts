/**
 * Fault injection. (First version: none.)
 *
 * @module
 */
import type { FaultPlanner } from './handle';

/** A fault. */
export type MockFault = never;

/** Build the planner. */
export function createFaultPlanner(): FaultPlanner {
  return {
    plan: () => ({ applied: [], delayMs: 0 }),
    shift: () => {},
  };
}
