// Inline SVG icons (no icon font, no remote content). All use currentColor and are aria-hidden:
// every icon sits next to its word.
import type { ReactElement } from 'react';
import type { ShownStatus } from '../../../common/status.js';

interface IconProps {
  size?: number;
  className?: string;
}

function Svg({ size = 14, className, children }: IconProps & { children: ReactElement | ReactElement[] }) {
  return (
    <svg
      className={className ? `icon ${className}` : 'icon'}
      width={size}
      height={size}
      viewBox="0 0 16 16"
      fill="none"
      stroke="currentColor"
      strokeWidth={1.8}
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      {children}
    </svg>
  );
}

export const IconCheck = (p: IconProps) => (
  <Svg {...p}>
    <circle cx="8" cy="8" r="6.2" />
    <path d="M5 8.2 7.1 10.3 11 6" />
  </Svg>
);
export const IconBolt = (p: IconProps) => (
  <Svg {...p}>
    <path d="M9 1.8 3.8 9h4l-1 5.2L12.2 7h-4z" fill="currentColor" strokeWidth={1.2} />
  </Svg>
);
export const IconBookmark = (p: IconProps) => (
  <Svg {...p}>
    <path d="M4.5 2h7v12L8 11l-3.5 3z" />
  </Svg>
);
export const IconMinusCircle = (p: IconProps) => (
  <Svg {...p}>
    <circle cx="8" cy="8" r="6.2" />
    <path d="M5 8h6" />
  </Svg>
);
export const IconAlert = (p: IconProps) => (
  <Svg {...p}>
    <path d="M8 1.8 15 14H1z" />
    <path d="M8 6.2v3.6" />
    <path d="M8 11.8v.1" strokeWidth={2.2} />
  </Svg>
);
export const IconBan = (p: IconProps) => (
  <Svg {...p}>
    <circle cx="8" cy="8" r="6.2" />
    <path d="m3.7 3.7 8.6 8.6" />
  </Svg>
);
export const IconWrench = (p: IconProps) => (
  <Svg {...p}>
    <path d="M10.3 2.2a3.4 3.4 0 0 0-3.9 4.5L2 11.1a1.4 1.4 0 0 0 2 2l4.4-4.4a3.4 3.4 0 0 0 4.5-3.9l-2 2-1.9-.4-.4-1.9z" />
  </Svg>
);
export const IconUnplugged = (p: IconProps) => (
  <Svg {...p}>
    <path d="M2 2l12 12" />
    <path d="M5.2 5.6A4.2 4.2 0 0 0 3.3 9" />
    <path d="M1.2 6.2a7.5 7.5 0 0 1 2.2-1.6" />
    <path d="M9.7 4a7.5 7.5 0 0 1 5.1 2.2" />
    <path d="M10.7 9.2c.3.2.6.4.8.7" />
    <path d="M8 12.6v.1" strokeWidth={2.4} />
  </Svg>
);
export const IconQuestion = (p: IconProps) => (
  <Svg {...p}>
    <circle cx="8" cy="8" r="6.2" />
    <path d="M6.2 6.3a1.9 1.9 0 1 1 2.6 1.8c-.5.2-.8.6-.8 1.1v.3" />
    <path d="M8 11.5v.1" strokeWidth={2.2} />
  </Svg>
);
export const IconClock = (p: IconProps) => (
  <Svg {...p}>
    <circle cx="8" cy="8" r="6.2" />
    <path d="M8 4.5V8l2.3 1.6" />
  </Svg>
);
export const IconX = (p: IconProps) => (
  <Svg {...p}>
    <path d="m4 4 8 8M12 4l-8 8" />
  </Svg>
);
export const IconChevron = ({ open, ...p }: IconProps & { open: boolean }) => (
  <Svg {...p} className={open ? 'chev chev-open' : 'chev'}>
    <path d="m6 3.5 4.5 4.5L6 12.5" />
  </Svg>
);
export const IconSun = (p: IconProps) => (
  <Svg {...p}>
    <circle cx="8" cy="8" r="3" />
    <path d="M8 1v1.6M8 13.4V15M1 8h1.6M13.4 8H15M3 3l1.1 1.1M11.9 11.9 13 13M3 13l1.1-1.1M11.9 4.1 13 3" />
  </Svg>
);
export const IconMoon = (p: IconProps) => (
  <Svg {...p}>
    <path d="M13.5 9.8A5.8 5.8 0 0 1 6.2 2.5a5.8 5.8 0 1 0 7.3 7.3z" />
  </Svg>
);
export const IconMonitor = (p: IconProps) => (
  <Svg {...p}>
    <rect x="1.8" y="2.5" width="12.4" height="8.5" rx="1.2" />
    <path d="M5.5 14h5M8 11v3" />
  </Svg>
);
export const IconInbox = (p: IconProps) => (
  <Svg {...p}>
    <path d="M1.8 9.2 3.6 3h8.8l1.8 6.2V13H1.8z" />
    <path d="M1.8 9.2h3.5l.9 1.6h3.6l.9-1.6h3.5" />
  </Svg>
);
export const IconSplit = (p: IconProps) => (
  <Svg {...p}>
    <path d="M3 2v4a3 3 0 0 0 3 3h4a3 3 0 0 1 3 3v2" />
    <path d="M13 2v4a3 3 0 0 1-3 3" />
    <path d="m1.5 12.5 1.5 1.5 1.5-1.5" />
  </Svg>
);
export const IconInfo = (p: IconProps) => (
  <Svg {...p}>
    <circle cx="8" cy="8" r="6.2" />
    <path d="M8 7.3v4" />
    <path d="M8 4.8v.1" strokeWidth={2.2} />
  </Svg>
);
/** Not confirmed: the station took the change but was never seen to apply it. */
export const IconEyeOff = (p: IconProps) => (
  <Svg {...p}>
    <path d="M1.5 8s2.4-4.3 6.5-4.3S14.5 8 14.5 8s-2.4 4.3-6.5 4.3S1.5 8 1.5 8z" />
    <circle cx="8" cy="8" r="1.9" />
    <path d="m2.5 13.5 11-11" />
  </Svg>
);
export const IconHourglass = (p: IconProps) => (
  <Svg {...p}>
    <path d="M4 1.8h8M4 14.2h8" />
    <path d="M5 1.8c0 3.2 3 3.8 3 6.2s-3 3-3 6.2M11 1.8c0 3.2-3 3.8-3 6.2s3 3 3 6.2" />
  </Svg>
);
export const IconRefresh = (p: IconProps) => (
  <Svg {...p}>
    <path d="M13.5 8a5.5 5.5 0 1 1-1.6-3.9" />
    <path d="M13.6 2.2v3.2h-3.2" />
  </Svg>
);
export const IconUndo = (p: IconProps) => (
  <Svg {...p}>
    <path d="M5.2 3.2 2.2 6.2l3 3" />
    <path d="M2.2 6.2h7.3a4.3 4.3 0 0 1 0 8.6H6.5" />
  </Svg>
);

export const STATUS_ICONS: Record<ShownStatus, (p: IconProps) => ReactElement> = {
  Available: IconCheck,
  Occupied: IconBolt,
  Reserved: IconBookmark,
  Unavailable: IconMinusCircle,
  Faulted: IconAlert,
  OutOfService: IconBan,
  Maintenance: IconWrench,
  Offline: IconUnplugged,
  Unknown: IconQuestion,
};
