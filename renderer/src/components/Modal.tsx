// The frame of a modal dialog: the backdrop (a click on it closes), the dialog box (Esc closes), and its
// head with the title and the close button.
import type { KeyboardEvent, ReactNode, Ref } from 'react';
import { IconX } from './icons.js';
import './Modal.css';

export function Modal({
  dialogRef,
  className,
  labelledBy,
  describedBy,
  testId,
  data,
  onClose,
  onKeyDown,
  children,
}: {
  dialogRef: Ref<HTMLDivElement>;
  className: string;
  labelledBy: string;
  describedBy?: string;
  testId: string;
  /** More attributes for the dialog element (data-*). */
  data?: Record<`data-${string}`, string>;
  onClose(): void;
  /** Keys other than Esc. */
  onKeyDown?(e: KeyboardEvent<HTMLDivElement>): void;
  children: ReactNode;
}) {
  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div
        ref={dialogRef}
        className={className}
        role="dialog"
        aria-modal="true"
        aria-labelledby={labelledBy}
        aria-describedby={describedBy}
        data-testid={testId}
        {...data}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.preventDefault();
            e.stopPropagation();
            onClose();
            return;
          }
          onKeyDown?.(e);
        }}
      >
        {children}
      </div>
    </div>
  );
}

export function DialogHead({ titleId, onClose, children }: { titleId: string; onClose(): void; children: ReactNode }) {
  return (
    <header className="dialog-head">
      <h2 id={titleId}>{children}</h2>
      <button type="button" className="icon-btn" onClick={onClose} aria-label="Close (Esc)" title="Close (Esc)">
        <IconX />
      </button>
    </header>
  );
}
