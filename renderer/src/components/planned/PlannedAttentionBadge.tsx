// The Planned button's badge: how many of this console's window requests wait for the person — refused (the bad
// colour, an alert icon) or answered later (the info colour, an info icon) — until each is dismissed in the panel.
import { plannedAttentionLabel, plannedAttentionTotal, type PlannedAttention } from '../../model/plannedAttention.js';
import { IconAlert, IconInfo } from '../icons.js';
import '../../styles/planned.css';

export function PlannedAttentionBadge({ attention }: { attention: PlannedAttention }) {
  const label = plannedAttentionLabel(attention);
  if (!label) return null;
  const refused = attention.refused > 0;
  const Icon = refused ? IconAlert : IconInfo;
  return (
    <span
      className={`wbadge ${refused ? 'wop-refused' : 'wop-answered-later'}`}
      data-testid="planned-attention"
      data-refused={attention.refused}
      data-answered-later={attention.answeredLater}
      title={label}
    >
      <Icon size={12} />
      <span aria-hidden="true" data-testid="planned-attention-count">
        {plannedAttentionTotal(attention)}
      </span>
      {/* In the button's name after its own words: "Planned 2 (1 planned request refused: open the Planned panel)". */}
      <span className="visually-hidden">({label})</span>
    </span>
  );
}
