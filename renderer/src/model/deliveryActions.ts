// Whether a person can re-send a stuck change to its station or withdraw it, and if not, why (shown beside the
// disabled buttons). Pure; tests/unit/renderer-delivery-actions.test.ts covers it.
import type { ConnectionState, EffectiveView, ViewPoint } from '../../../common/consoleApi.js';
import { roleAllows, type Role } from '../../../common/model.js';
import { RESENDABLE_DELIVERY_STATES } from '../../../common/status.js';

export interface DeliveryActionsState {
  /** The point's change is one a person can act on (the buttons are shown). */
  show: boolean;
  /** Why the buttons are disabled (null: they work). */
  disabledWhy: string | null;
}

export function deliveryActionsState(
  point: ViewPoint,
  view: EffectiveView,
  role: Role | null,
  connection: ConnectionState['state'] | null,
  hostReachable: boolean,
): DeliveryActionsState {
  // An edit of this console still on its way (or refused) is handled in the outbox and conflicts, not here.
  const show = point.pending === null && RESENDABLE_DELIVERY_STATES.has(view.delivery);
  if (!show) return { show, disabledWhy: null };
  let disabledWhy: string | null = null;
  if (!hostReachable)
    disabledWhy = 'This page has lost the link to its console: re-sending or withdrawing waits until it is back.';
  else if (connection === 'signedOut') disabledWhy = 'Signed out: sign in to re-send or withdraw a change.';
  else if (connection !== 'live')
    disabledWhy = 'This console is not connected to the backend: re-sending or withdrawing needs it.';
  else if (role && !roleAllows(role, 'edit')) disabledWhy = `Your role (${role}) can view but not change statuses.`;
  return { show, disabledWhy };
}
