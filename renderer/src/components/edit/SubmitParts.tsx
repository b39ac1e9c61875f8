// Below the fields of the editor and the bulk dialog: what stops saving, why the button is blocked (for
// screen readers), a failed send, and the footer with the keyboard hint, Cancel and the primary button.
import type { ReactNode } from 'react';

export function ProblemList({ problems, show, testId }: { problems: string[]; show: boolean; testId?: string }) {
  if (!show || problems.length === 0) return null;
  return (
    <ul className="problems" aria-live="polite" data-testid={testId}>
      {problems.map((p) => (
        <li key={p}>{p}</li>
      ))}
    </ul>
  );
}

export function AlertNotice({ children }: { children: ReactNode }) {
  return (
    <p className="notice notice-error" role="alert">
      {children}
    </p>
  );
}

/**
 * The end of a status form: while the primary button is blocked, the hidden text it points at (for screen
 * readers); a failed send; then the footer with the keyboard hint, Cancel and the primary button.
 */
export function EditFooter({
  idPrefix,
  testId,
  submitKey,
  submitWord,
  canSubmit,
  blockedText,
  error,
  onSubmit,
  onCancel,
  children,
}: {
  /** `editor` or `bulk`: the hidden text's id is `<prefix>-blocked`. */
  idPrefix: string;
  /** The primary button's. */
  testId: string;
  /** The key after Ctrl in the hint (S or Enter), and what it does. */
  submitKey: string;
  submitWord: string;
  canSubmit: boolean;
  blockedText: string;
  /** The failed send, as shown. */
  error: string | null;
  onSubmit(): void;
  onCancel(): void;
  /** The primary button's text. */
  children: ReactNode;
}) {
  const blockedId = `${idPrefix}-blocked`;
  return (
    <>
      {!canSubmit && (
        <span id={blockedId} className="visually-hidden">
          {blockedText}
        </span>
      )}
      {error && <AlertNotice>{error}</AlertNotice>}

      <footer className="dialog-foot">
        <span className="muted kbd-hint">
          <kbd>A</kbd> <kbd>O</kbd> <kbd>M</kbd> <kbd>F</kbd> choose · <kbd>Ctrl</kbd>+<kbd>{submitKey}</kbd>{' '}
          {submitWord} · <kbd>Esc</kbd> close
        </span>
        <button type="button" className="btn" onClick={onCancel}>
          Cancel
        </button>
        <button
          type="button"
          className={`btn btn-primary${canSubmit ? '' : ' is-blocked'}`}
          onClick={onSubmit}
          aria-describedby={!canSubmit ? blockedId : undefined}
          data-testid={testId}
        >
          {children}
        </button>
      </footer>
    </>
  );
}
