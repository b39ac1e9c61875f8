// Where an operator's change stands: queued → saved → sent → confirmed, as a small step indicator plus words.
import { memo } from 'react';
import { DELIVERY_LABELS } from '../../../common/status.js';
import type { DeliveryState } from '../../../common/status.js';
import { DELIVERY_STEPS, deliveryProgress } from '../model/rows.js';

export const DeliverySteps = memo(function DeliverySteps({
  state,
  detail,
  compact = false,
}: {
  state: DeliveryState;
  detail?: string | null;
  compact?: boolean;
}) {
  const { steps, tone } = deliveryProgress(state);
  const label = DELIVERY_LABELS[state];
  return (
    <span className={`delivery tone-${tone}${compact ? ' delivery-compact' : ''}`} title={detail ? `${label}. ${detail}` : label}>
      <span className="steps" aria-hidden="true">
        {steps.map((s, i) => (
          <span key={i} className={`step step-${s}`}>
            <span className="step-dot" />
            {!compact && <span className="step-name">{DELIVERY_STEPS[i]}</span>}
          </span>
        ))}
      </span>
      <span className="delivery-text">{label}</span>
    </span>
  );
});

/** The full step list, for the drawer and the editor's result: each step named. */
export function DeliveryTimeline({ state, detail, at }: { state: DeliveryState; detail?: string | null; at?: string | null }) {
  const { steps, tone } = deliveryProgress(state);
  return (
    <div className={`timeline tone-${tone}`}>
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
        <strong>{DELIVERY_LABELS[state]}</strong>
        {detail ? <span className="muted"> — {detail}</span> : null}
        {at ? <span className="muted"> ({at})</span> : null}
      </p>
    </div>
  );
}

const STEP_WORDS = {
  done: 'done',
  active: 'in progress',
  waiting: 'waiting',
  error: 'failed',
  todo: 'not yet',
  skipped: 'not needed',
} as const;
