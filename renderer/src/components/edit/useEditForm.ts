// The state both status forms keep (chosen status, reason, note, expected end, whether Save was tried) and
// the checks they share: the edit to send, the expected end's problems, the schema's verdict, the keys, and
// sending it (busy while it is sent, the error if that fails).
import { useRef, useState } from 'react';
import type { KeyboardEvent } from 'react';
import { statusEditSchema } from '../../../../common/model.js';
import type { StatusEdit } from '../../../../common/model.js';
import type { UntilAction } from '../../../../common/status.js';
import { untilAllowed } from '../../../../common/status.js';
import type { OperatorStatus } from '../../../../common/status.js';
import { errorMessage } from '../../util/errors.js';
import type { ZoneChoice } from '../planned/windowZone.js';
import { isPresetReason } from './ReasonField.js';
import { CHOICES } from './StatusChoices.js';
import { untilInputToIso } from './UntilField.js';

/** `zone`: the clock the expected end is typed on (the points' site zone); without it, this computer's. */
export function useEditForm({ focusReason, zone }: { focusReason(s: OperatorStatus): boolean; zone?: ZoneChoice }) {
  const reasonRef = useRef<HTMLInputElement>(null);
  const [status, setStatus] = useState<OperatorStatus | null>(null);
  const [reason, setReason] = useState('');
  const [note, setNote] = useState('');
  const [until, setUntil] = useState('');
  /** When the expected end passes: back to Available on its own (revert), or only a reminder (remind, the default). */
  const [untilAction, setUntilAction] = useState<UntilAction>('remind');
  const [tried, setTried] = useState(false);
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const untilIso = untilInputToIso(until, zone);
  const editUntil = status && untilAllowed(status) ? untilIso : null;
  const edit: StatusEdit | null = status
    ? {
        status,
        reason: reason.trim() || null,
        note: note.trim() || null,
        until: editUntil,
        ...(editUntil ? { untilAction } : {}),
      }
    : null;

  /** Chooses a status: a preset reason of the previous one is cleared, and so is an expected end it does not allow. */
  const choose = (s: OperatorStatus) => {
    setStatus((prev) => {
      if (prev !== s && isPresetReason(prev, reason)) setReason('');
      return s;
    });
    if (!untilAllowed(s)) setUntil('');
    if (focusReason(s)) setTimeout(() => reasonRef.current?.focus(), 0);
  };

  /** Save or Confirm: marks the form tried; if `allowed`, sends the edit, and keeps the error if that fails. */
  const submit = async (allowed: boolean, send: (edit: StatusEdit) => Promise<void>) => {
    setTried(true);
    if (!allowed || !edit) return;
    setSending(true);
    setError(null);
    try {
      await send(edit);
    } catch (e) {
      setError(errorMessage(e));
      setSending(false);
    }
  };

  return {
    reasonRef,
    status,
    setStatus,
    reason,
    setReason,
    note,
    setNote,
    until,
    setUntil,
    untilAction,
    setUntilAction,
    tried,
    untilIso,
    edit,
    choose,
    sending,
    error,
    setError,
    submit,
  };
}

/** What is wrong with the expected end, if the status takes one. */
export function untilProblems(
  status: OperatorStatus | null,
  until: string,
  untilIso: string | null,
  nowMs: number,
): string[] {
  if (!status || !untilAllowed(status)) return [];
  if (until && !untilIso) return ['The expected end is not a valid date and time.'];
  if (untilIso && Date.parse(untilIso) <= nowMs) return ['The expected end is in the past.'];
  return [];
}

/** The schema's complaint about an edit, or null. */
export function schemaProblem(edit: StatusEdit): string | null {
  const r = statusEditSchema.safeParse(edit);
  return r.success ? null : r.error.issues.map((i) => i.message).join('; ');
}

/**
 * The keys both status dialogs share: Ctrl+S / Ctrl+Enter submits, and outside text fields a status's letter
 * (or, with `digits`, its digit) chooses it. Returns the upper-cased key when it is not one of those, for more.
 */
export function editFormKeys(
  e: KeyboardEvent<HTMLElement>,
  { submit, choose, digits }: { submit(): void; choose(s: OperatorStatus): void; digits: boolean },
): string | null {
  const ctrl = e.ctrlKey || e.metaKey;
  if (ctrl && (e.key === 's' || e.key === 'S' || e.key === 'Enter')) {
    e.preventDefault();
    e.stopPropagation();
    submit();
    return null;
  }
  const t = e.target as HTMLElement;
  const typing = t.tagName === 'TEXTAREA' || (t.tagName === 'INPUT' && (t as HTMLInputElement).type !== 'checkbox');
  if (typing || ctrl || e.altKey) return null;
  const k = e.key.toUpperCase();
  const c = CHOICES.find((c) => c.key === k || (digits && c.digit === e.key));
  if (!c) return k;
  e.preventDefault();
  choose(c.status);
  return null;
}
