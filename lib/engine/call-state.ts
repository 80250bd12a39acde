/**
 * The call states and kinds live in the one call state machine (lib/calls/call-state-machine.ts);
 * re-exported here so existing imports keep working.
 */
export {
  ACTIVE_STATES,
  CALL_KINDS,
  DELIVERY_FAILURE_STATES,
  FINAL_STATES,
  PRIORITY,
  UNREACHED_STATES,
  isDeliveryFailure,
  isFinalState,
  isUnreached,
  stateForReason,
  type ActiveState,
  type CallKind,
  type CallState,
  type FinalState,
} from "@/lib/calls/call-state-machine";
