// What a person can do about a change its station has not confirmed: re-send it, or withdraw it (the point goes
// back to the operator status it had before, as a normal edit: versioned, audited, sent to the station).
import { randomUUID } from 'node:crypto';
import type { Mutation, Role } from '../../common/model.js';
import type { DeliveryActionReply, DeliveryActionRequest } from '../../common/protocol.js';
import {
  OPERATOR_STATUSES,
  STATUS_LABELS,
  WITHDRAWABLE_DELIVERY_STATES,
  type OperatorStatus,
} from '../../common/status.js';
import type { AppliedPoint } from '../store/mutations.js';
import type { Store } from '../store/index.js';
import type { Delivery } from './delivery.js';

export function deliveryAction(
  store: Store,
  delivery: Delivery,
  req: DeliveryActionRequest,
  actor: { username: string; role: Role },
  onApplied: (applied: AppliedPoint[]) => void,
): DeliveryActionReply {
  if (req.action === 'resend') return delivery.resend(req.pointId, req.operatorVersion);
  const p = store.points.get(req.pointId);
  if (!p) return { result: 'nothingToDo', message: 'unknown point' };
  if (p.operator.version !== req.operatorVersion) {
    return { result: 'conflict', message: 'the status was changed since: look at the point again' };
  }
  if (!WITHDRAWABLE_DELIVERY_STATES.has(p.delivery.state)) {
    return { result: 'nothingToDo', message: `nothing to withdraw: the change is ${p.delivery.state}` };
  }
  const [current, before] = store.audit.operatorHistory(p.id, 2);
  const previous = (current?.from ?? 'Available') as OperatorStatus;
  if (!OPERATOR_STATUSES.includes(previous) || previous === p.operator.status) {
    return { result: 'nothingToDo', message: 'there is no earlier status to go back to' };
  }
  const keepsText = before && before.to === previous;
  const withdrawn = `Withdrawn: ${STATUS_LABELS[p.operator.status]} was not confirmed by the station`;
  const mutation: Mutation = {
    id: `withdraw-${randomUUID()}`,
    kind: 'setStatus',
    targets: [{ pointId: p.id, baseVersion: p.operator.version }],
    edit: {
      status: previous,
      reason: previous === 'Available' ? withdrawn : keepsText && before.reason ? before.reason : withdrawn,
      note: keepsText ? before.note : null,
      until: null,
    },
    createdAt: new Date().toISOString(),
  };
  const { outcome, applied } = store.mutations.process(mutation, actor);
  if (applied.length > 0) onApplied(applied);
  const one = outcome.points[0];
  if (one?.result === 'applied') {
    return { result: 'withdrawn', message: `back to ${STATUS_LABELS[previous]}` };
  }
  if (one?.result === 'conflict') return { result: 'conflict', message: one.reason ?? 'changed since' };
  return { result: 'nothingToDo', message: one?.reason ?? outcome.reason ?? 'not withdrawn' };
}
