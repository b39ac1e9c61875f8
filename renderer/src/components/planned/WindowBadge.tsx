// A window's state as colour, icon and word together (never colour alone).
import type { WindowPointState, WindowState } from '../../../../common/windows.js';
import { IconBan, IconCheck, IconClock, IconUndo, IconWrench } from '../icons.js';

const WORDS: Record<WindowState, string> = {
  planned: 'Upcoming',
  running: 'Running',
  ended: 'Ended',
  cancelled: 'Cancelled',
};
const ICONS = { planned: IconClock, running: IconWrench, ended: IconCheck, cancelled: IconBan } as const;

export function WindowBadge({ state }: { state: WindowState }) {
  const Icon = ICONS[state];
  return (
    <span className={`wbadge wst-${state}`}>
      <Icon size={12} />
      <span>{WORDS[state]}</span>
    </span>
  );
}

/** What a window did to one point, in words. */
export const POINT_STATE_WORDS: Record<WindowPointState, string> = {
  planned: 'planned',
  applied: 'in Maintenance for the window',
  restored: 'back to its earlier status',
  released: 'let go: a person changed it during the window',
  cancelled: 'cancelled',
};

export function PointStateBadge({ state }: { state: WindowPointState }) {
  const Icon =
    state === 'applied'
      ? IconWrench
      : state === 'restored'
        ? IconCheck
        : state === 'released'
          ? IconUndo
          : state === 'cancelled'
            ? IconBan
            : IconClock;
  return (
    <span className={`wpbadge wpst-${state}`}>
      <Icon size={11} />
      <span>{POINT_STATE_WORDS[state]}</span>
    </span>
  );
}
