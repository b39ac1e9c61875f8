// The status model: the one place that says what a charging point's status can be and how it is shown.
// See docs/architecture.md and shared reference status-protocols.md for the protocol mapping.

/** What a station last reported for a point, normalised across OCPP 1.6 and 2.0.1. */
export const REPORTED_STATUSES = ['Available', 'Occupied', 'Reserved', 'Unavailable', 'Faulted', 'Unknown'] as const;
export type ReportedStatus = (typeof REPORTED_STATUSES)[number];

/** What a person may set. Occupied only as an explicit override with a reason. */
export const OPERATOR_STATUSES = ['Available', 'OutOfService', 'Maintenance', 'Faulted', 'Occupied'] as const;
export type OperatorStatus = (typeof OPERATOR_STATUSES)[number];

/** What the grid shows: derived by shownStatus(). */
export const SHOWN_STATUSES = [
  'Available',
  'Occupied',
  'Reserved',
  'Unavailable',
  'Faulted',
  'OutOfService',
  'Maintenance',
  'Offline',
  'Unknown',
] as const;
export type ShownStatus = (typeof SHOWN_STATUSES)[number];

/**
 * How far an operator status got towards the station.
 * queued/sending/conflict live only on a console; the rest are set by the backend.
 */
export const DELIVERY_STATES = [
  'queued', // in this console's outbox, not yet sent
  'sending', // sent to the backend, no answer yet
  'conflict', // the backend refused: someone else changed the operator status since
  'failed', // the backend rejected the edit (invalid or not allowed)
  'saved', // accepted and stored by the backend, station command not yet sent
  'sentToStation', // ChangeAvailability sent, waiting for the reply
  'accepted', // station answered Accepted, waiting for a fresh StatusNotification (asked for with TriggerMessage)
  'scheduled', // station answered Scheduled: applies when the running session ends
  'notConfirmed', // station accepted or scheduled it but no fresh report confirmed it in time: a person should look
  'confirmed', // station reported the status that matches
  'rejected', // station answered Rejected
  'stationOffline', // station not connected: sent when it reconnects
  'noReply', // station did not answer in time: retried on reconnect
  'overrideOnly', // a manual override that is not a station command (Occupied)
] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

/** Delivery states after which nothing more will happen without a person or the station acting. */
export const SETTLED_DELIVERY_STATES: ReadonlySet<DeliveryState> = new Set([
  'confirmed',
  'rejected',
  'overrideOnly',
  'conflict',
  'failed',
]);

/** A change its station has not confirmed, in which a person may re-send it (the console shows the buttons). */
export const RESENDABLE_DELIVERY_STATES: ReadonlySet<DeliveryState> = new Set([
  'accepted',
  'scheduled',
  'notConfirmed',
  'rejected',
  'noReply',
  'stationOffline',
]);

/** …and withdraw it: also while it is still on its way. */
export const WITHDRAWABLE_DELIVERY_STATES: ReadonlySet<DeliveryState> = new Set<DeliveryState>([
  ...RESENDABLE_DELIVERY_STATES,
  'sentToStation',
  'saved',
]);

/** OCPP availability command for an operator status; null when nothing is sent to the station. */
export function availabilityFor(status: OperatorStatus): 'Operative' | 'Inoperative' | null {
  switch (status) {
    case 'Available':
      return 'Operative';
    case 'OutOfService':
    case 'Maintenance':
    case 'Faulted':
      return 'Inoperative';
    case 'Occupied':
      return null;
  }
}

/** Whether a reported status confirms that a station applied the given availability. */
export function reportConfirms(availability: 'Operative' | 'Inoperative', reported: ReportedStatus): boolean {
  if (availability === 'Inoperative') return reported === 'Unavailable' || reported === 'Faulted';
  return reported !== 'Unavailable' && reported !== 'Unknown';
}

/** OCPP 1.6 StatusNotification status → reported status. */
export function reportedFromOcpp16(status: string): ReportedStatus {
  switch (status) {
    case 'Available':
      return 'Available';
    case 'Preparing':
    case 'Charging':
    case 'SuspendedEV':
    case 'SuspendedEVSE':
    case 'Finishing':
      return 'Occupied';
    case 'Reserved':
      return 'Reserved';
    case 'Unavailable':
      return 'Unavailable';
    case 'Faulted':
      return 'Faulted';
    default:
      return 'Unknown';
  }
}

/** OCPP 2.0.1 connectorStatus → reported status. */
export function reportedFromOcpp201(status: string): ReportedStatus {
  return (REPORTED_STATUSES as readonly string[]).includes(status) && status !== 'Unknown'
    ? (status as ReportedStatus)
    : 'Unknown';
}

export interface ShownStatusInput {
  operatorStatus: OperatorStatus;
  reportedStatus: ReportedStatus;
  stationConnected: boolean;
  /**
   * The operator status is on its way to the station (queued, sent, accepted or scheduled) and not yet confirmed:
   * the station's report was made before the change.
   */
  changeOnItsWay?: boolean;
}

/**
 * The status a person sees: an operator status other than Available wins; otherwise an unreachable
 * station shows Offline; otherwise what the station reported, except while a change back to Available is on its
 * way and the station still reports Unavailable: that Unavailable is the consequence of our own earlier Inoperative,
 * not news from the station, so the change in progress (Available, marked as applying by effectiveView) is shown.
 */
export function shownStatus(input: ShownStatusInput): ShownStatus {
  if (input.operatorStatus !== 'Available') return input.operatorStatus;
  if (!input.stationConnected) return 'Offline';
  if (input.changeOnItsWay && input.reportedStatus === 'Unavailable') return 'Available';
  return input.reportedStatus;
}

/** Whether a status needs a reason when set by a person. */
export function reasonRequired(status: OperatorStatus): boolean {
  return status !== 'Available';
}

/** What happens when an expected end ("until") passes: the point goes back to Available on its own (revert), or stays
 * and is shown overdue for the support team (remind). */
export const UNTIL_ACTIONS = ['revert', 'remind'] as const;
export type UntilAction = (typeof UNTIL_ACTIONS)[number];

/** Whether a status may carry an expected end ("until"). */
export function untilAllowed(status: OperatorStatus): boolean {
  return status === 'Maintenance' || status === 'OutOfService';
}

/** Whether a station is heard from: decided by the backend (docs/protocol.md, "Station liveness"), never by a console. */
export const LIVENESS_STATES = ['online', 'silent', 'offline'] as const;
export type LivenessState = (typeof LIVENESS_STATES)[number];

export const LIVENESS_LABELS: Record<LivenessState, string> = {
  online: 'Online',
  silent: 'Silent',
  offline: 'Offline',
};

export const STATUS_LABELS: Record<ShownStatus | OperatorStatus, string> = {
  Available: 'Available',
  Occupied: 'Occupied',
  Reserved: 'Reserved',
  Unavailable: 'Unavailable',
  Faulted: 'Faulted',
  OutOfService: 'Out of Service',
  Maintenance: 'Maintenance',
  Offline: 'Offline',
  Unknown: 'Unknown',
};

export const DELIVERY_LABELS: Record<DeliveryState, string> = {
  queued: 'Queued on this computer',
  sending: 'Sending to the backend',
  conflict: 'Conflict: someone else changed it',
  failed: 'Refused by the backend',
  saved: 'Saved on the backend',
  sentToStation: 'Sent to the station',
  accepted: 'Accepted by the station',
  scheduled: 'Scheduled: applies when the running session ends',
  notConfirmed: 'Not confirmed by the station',
  confirmed: 'Confirmed by the station',
  rejected: 'Rejected by the station',
  stationOffline: 'Station offline: applies when it reconnects',
  noReply: 'No reply from the station: retried on reconnect',
  overrideOnly: 'Override shown on consoles only',
};
