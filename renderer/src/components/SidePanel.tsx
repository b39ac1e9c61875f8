// The frame of a panel beside the grid (outbox, conflicts, the details drawer): a head with the title and
// a close button, and the body. Esc inside it closes it.
import type { ReactNode } from 'react';
import { IconX } from './icons.js';
import './SidePanel.css';

export function SidePanel({
  className = 'side-panel',
  labelledBy,
  label,
  testId,
  head,
  closeLabel,
  closeTitle,
  closeOnEscape = true,
  bare = false,
  onClose,
  children,
}: {
  className?: string;
  labelledBy?: string;
  label?: string;
  testId: string;
  /** The head's content before the close button (the title). */
  head: ReactNode;
  closeLabel: string;
  closeTitle?: string;
  closeOnEscape?: boolean;
  /** The children are the body themselves (carry `panel-body`), instead of being put in one. */
  bare?: boolean;
  onClose(): void;
  children: ReactNode;
}) {
  return (
    <aside
      className={className}
      aria-label={label}
      aria-labelledby={labelledBy}
      data-testid={testId}
      onKeyDown={
        closeOnEscape
          ? (e) => {
              if (e.key === 'Escape') {
                e.preventDefault();
                onClose();
              }
            }
          : undefined
      }
    >
      <header className="panel-head">
        {head}
        <button type="button" className="icon-btn" onClick={onClose} aria-label={closeLabel} title={closeTitle}>
          <IconX />
        </button>
      </header>
      {bare ? children : <div className="panel-body">{children}</div>}
    </aside>
  );
}
