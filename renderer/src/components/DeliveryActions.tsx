// Re-send a stuck change to its station, or withdraw it (after a clear confirm step), from the details drawer.
// The backend decides (deliveryAction): the answer's words are shown as they came (as text).
import { useEffect, useRef, useState } from 'react';
import type { KeyboardEvent } from 'react';
import type { DeliveryActionReply } from '../../../common/protocol.js';
import { STATUS_LABELS } from '../../../common/status.js';
import type { OperatorStatus } from '../../../common/status.js';
import type { HostApi } from '../api/index.js';
import type { DeliveryActionsState } from '../model/deliveryActions.js';
import { IconRefresh, IconUndo } from './icons.js';
import './DeliveryActions.css';

type Phase =
  | { kind: 'idle' }
  | { kind: 'confirmWithdraw' }
  | { kind: 'busy'; action: 'resend' | 'withdraw' }
  | { kind: 'answered'; action: 'resend' | 'withdraw'; reply: DeliveryActionReply }
  | { kind: 'failed'; action: 'resend' | 'withdraw'; message: string };

const RESULT_WORDS: Record<DeliveryActionReply['result'], string> = {
  resent: 'Re-sent to the station.',
  withdrawn: 'Change withdrawn.',
  conflict: 'Not done: someone changed this point since. Look at it again before acting.',
  nothingToDo: 'Nothing to do.',
};

/** Keyed by point id by its parent, so an answer stays with the point it was about. */
export function DeliveryActions({
  api,
  pointId,
  operatorVersion,
  operatorStatus,
  state,
}: {
  api: HostApi;
  pointId: string;
  /** The operator status version the person sees (a newer change by someone else makes the backend answer conflict). */
  operatorVersion: number;
  operatorStatus: OperatorStatus;
  state: DeliveryActionsState;
}) {
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' });
  const cancelRef = useRef<HTMLButtonElement>(null);
  const withdrawRef = useRef<HTMLButtonElement>(null);
  const mounted = useRef(true);
  useEffect(() => () => void (mounted.current = false), []);
  useEffect(() => {
    if (phase.kind === 'confirmWithdraw') cancelRef.current?.focus();
  }, [phase.kind]);

  const run = async (action: 'resend' | 'withdraw') => {
    setPhase({ kind: 'busy', action });
    try {
      const reply = await api.call('deliveryAction', { pointId, action, operatorVersion });
      if (mounted.current) setPhase({ kind: 'answered', action, reply });
    } catch (e) {
      if (mounted.current) setPhase({ kind: 'failed', action, message: e instanceof Error ? e.message : String(e) });
    }
  };

  const busy = phase.kind === 'busy';
  const disabled = state.disabledWhy !== null || busy;
  const onConfirmKey = (e: KeyboardEvent) => {
    if (e.key !== 'Escape') return;
    // Esc leaves the confirm step (not the drawer).
    e.preventDefault();
    e.stopPropagation();
    setPhase({ kind: 'idle' });
    withdrawRef.current?.focus();
  };

  return (
    <div className="delivery-actions" data-testid="delivery-actions">
      {state.show && (
        <div className="delivery-action-buttons">
          <button
            type="button"
            className="btn"
            disabled={disabled}
            onClick={() => void run('resend')}
            data-testid="delivery-resend"
            title="Send the change to the station again"
          >
            <IconRefresh size={14} />
            {busy && phase.action === 'resend' ? 'Re-sending…' : 'Re-send to station'}
          </button>
          <button
            ref={withdrawRef}
            type="button"
            className="btn btn-danger-ghost"
            disabled={disabled}
            onClick={() => setPhase({ kind: 'confirmWithdraw' })}
            data-testid="delivery-withdraw"
            title="Take the change back (asks first)"
          >
            <IconUndo size={14} />
            {busy && phase.action === 'withdraw' ? 'Withdrawing…' : 'Withdraw change…'}
          </button>
        </div>
      )}
      {state.show && state.disabledWhy && (
        <p className="muted small" data-testid="delivery-actions-why">
          {state.disabledWhy}
        </p>
      )}
      {phase.kind === 'confirmWithdraw' && (
        <div
          className="confirm-box"
          role="group"
          aria-labelledby={`withdraw-q-${pointId}`}
          onKeyDown={onConfirmKey}
          data-testid="withdraw-confirm"
        >
          <p id={`withdraw-q-${pointId}`}>
            <strong>Withdraw the change to {STATUS_LABELS[operatorStatus]}?</strong> The backend puts the point back to
            the status it had before this change and tells the station. This is recorded in the point&apos;s history.
          </p>
          <div className="confirm-buttons">
            <button
              type="button"
              className="btn btn-danger"
              disabled={disabled}
              onClick={() => void run('withdraw')}
              data-testid="withdraw-confirm-yes"
            >
              Withdraw change
            </button>
            <button
              ref={cancelRef}
              type="button"
              className="btn btn-ghost"
              onClick={() => {
                setPhase({ kind: 'idle' });
                withdrawRef.current?.focus();
              }}
              data-testid="withdraw-confirm-no"
            >
              Keep it (Esc)
            </button>
          </div>
        </div>
      )}
      {phase.kind === 'answered' && (
        <p
          className={`notice ${phase.reply.result === 'conflict' ? 'notice-warn' : phase.reply.result === 'nothingToDo' ? '' : 'notice-ok'}`}
          role="status"
          data-testid="delivery-action-result"
          data-result={phase.reply.result}
        >
          <strong>{RESULT_WORDS[phase.reply.result]}</strong> {phase.reply.message}
        </p>
      )}
      {phase.kind === 'failed' && (
        <p className="notice notice-error" role="alert" data-testid="delivery-action-result" data-result="error">
          <strong>{phase.action === 'resend' ? 'Could not re-send.' : 'Could not withdraw.'}</strong> {phase.message}
        </p>
      )}
    </div>
  );
}
