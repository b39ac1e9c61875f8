// Where an operator's change stands: queued → saved → sent → confirmed, as a small step indicator plus words.
// A change the station never showed it applied ("Not confirmed") has its own colour and icon besides its words.
import { memo } from 'react';
import { DELIVERY_LABELS } from '../../../common/status.js';
import type { DeliveryState } from '../../../common/status.js';
import { DELIVERY_STEPS, deliveryProgress, deliveryWords } from '../model/deliveryLabels.js';
import type { StepState } from '../model/deliveryLabels.js';
import { fullTime } from '../util/time.js';
import { IconEyeOff } from './icons.js';
import './DeliverySteps.css';

export const DeliverySteps = memo(function DeliverySteps({
  state,
  detail,
  at = null,
  nowMs = Date.now(),
  compact = false,
}: {
  state: DeliveryState;
  detail?: string | null;
  /** When the delivery reached this state (a Scheduled change says how long it has waited). */
  at?: string | null;
  nowMs?: number;
  compact?: boolean;
}) {
  const { steps, tone } = deliveryProgress(state);
  const label = DELIVERY_LABELS[state];
  const words = deliveryWords(state, at, nowMs, compact);
  const title = [label, state === 'scheduled' && at ? `since ${fullTime(at)}` : null, detail]
    .filter(Boolean)
    .join('. ');
  return (
    <span className={`delivery tone-${tone}${compact ? ' delivery-compact' : ''}`} title={title}>
      <span className="steps" aria-hidden="true">
        {steps.map((s, i) => (
          <span key={i} className={`step step-${s}`}>
            <span className="step-dot" />
            {!compact && <span className="step-name">{DELIVERY_STEPS[i]}</span>}
          </span>
        ))}
      </span>
      {tone === 'unconfirmed' ? <IconEyeOff size={13} className="delivery-icon" /> : null}
      <span className="delivery-text">{words}</span>
    </span>
  );
});

/** The full step list, for the drawer and the editor's result: each step named. */
export function DeliveryTimeline({
  state,
  detail,
  at,
  atIso = null,
  nowMs = Date.now(),
}: {
  state: DeliveryState;
  detail?: string | null;
  /** The delivery's time as shown. */
  at?: string | null;
  /** The same time as ISO (a Scheduled change says how long it has waited). */
  atIso?: string | null;
  nowMs?: number;
}) {
  const { steps, tone } = deliveryProgress(state);
  const waiting = state === 'scheduled' ? deliveryWords(state, atIso, nowMs).replace(/^Scheduled/, '') : '';
  return (
    <div className={`timeline tone-${tone}`} data-testid="delivery-timeline" data-delivery={state}>
      <ol className="timeline-steps">
        {steps.map((s, i) => (
          <li key={i} className={`tl-step step-${s}`}>
            <span className="step-dot" aria-hidden="true" />
            <span className="tl-name">{DELIVERY_STEPS[i]}</span>
            <span className="visually-hidden">: {STEP_WORDS[s]}</span>
          </li>
        ))}
      </ol>
      <p className="timeline-words">
        {tone === 'unconfirmed' ? <IconEyeOff size={14} className="delivery-icon" /> : null}
        <strong>{DELIVERY_LABELS[state]}</strong>
        {waiting ? <strong>{waiting}</strong> : null}
        {detail ? <span className="muted"> — {detail}</span> : null}
        {at ? <span className="muted"> ({at})</span> : null}
      </p>
    </div>
  );
}

const STEP_WORDS: Record<StepState, string> = {
  done: 'done',
  active: 'in progress',
  waiting: 'waiting',
  error: 'failed',
  unconfirmed: 'not confirmed',
  todo: 'not yet',
  skipped: 'not needed',
};
