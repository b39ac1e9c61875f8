// An inline confirm step: what will happen, in words, and Yes / No (and, when given, a third choice between them).
// Focus goes to No (the safe choice); Esc is No.
import { useEffect, useRef } from 'react';
import type { ReactNode } from 'react';

export function ConfirmBox({
  children,
  yes,
  danger = false,
  busy = false,
  testId,
  alt,
  onYes,
  onNo,
}: {
  children: ReactNode;
  yes: string;
  danger?: boolean;
  busy?: boolean;
  testId: string;
  /** A third choice, shown between Yes and No. */
  alt?: { label: string; onClick(): void };
  onYes(): void;
  onNo(): void;
}) {
  const noRef = useRef<HTMLButtonElement>(null);
  useEffect(() => noRef.current?.focus(), []);
  return (
    <div
      className={`confirm-box${danger ? '' : ' confirm-calm'}`}
      role="alertdialog"
      aria-label="Confirm"
      data-testid={testId}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.preventDefault();
          e.stopPropagation();
          onNo();
        }
      }}
    >
      <p className="confirm-text">{children}</p>
      <div className="confirm-actions">
        <button
          type="button"
          className={`btn btn-small ${danger ? 'btn-danger' : 'btn-primary'}`}
          disabled={busy}
          onClick={onYes}
          data-testid={`${testId}-yes`}
        >
          {busy ? 'Sending…' : yes}
        </button>
        {alt && (
          <button
            type="button"
            className="btn btn-small"
            disabled={busy}
            onClick={alt.onClick}
            data-testid={`${testId}-leave`}
          >
            {alt.label}
          </button>
        )}
        <button ref={noRef} type="button" className="btn btn-small" onClick={onNo} data-testid={`${testId}-no`}>
          No, keep it <kbd>Esc</kbd>
        </button>
      </div>
    </div>
  );
}
