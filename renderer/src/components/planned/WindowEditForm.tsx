// Editing a window in the Planned panel: start (planned only: a running window keeps its start), end or
// open-ended, reason, note. Save sends only what changed; it is the confirm step, and says what it will do.
import { useState } from 'react';
import type { MaintenanceWindow } from '../../../../common/windows.js';
import { isoToZonedInput, siteTime, zonedInputToIso } from '../../model/windows.js';
import type { ZoneChoice } from './windowZone.js';
import { ZonedTimeField } from './ZonedTimeField.js';
import { REASON_MAX, NOTE_MAX } from '../../../../common/model.js';

export interface WindowChange {
  startsAt?: string;
  endsAt?: string | null;
  reason?: string;
  note?: string | null;
}

const CHANGE_WORDS: Record<keyof WindowChange, string> = {
  startsAt: 'start',
  endsAt: 'end',
  reason: 'reason',
  note: 'note',
};

export function WindowEditForm({
  w,
  zone,
  nowMs,
  busy,
  onCancel,
  onSave,
}: {
  w: MaintenanceWindow;
  zone: ZoneChoice;
  nowMs: number;
  busy: boolean;
  onCancel(): void;
  onSave(change: WindowChange): Promise<void>;
}) {
  const running = w.state === 'running';
  const [start, setStart] = useState(() => isoToZonedInput(w.startsAt, zone.tz));
  const [end, setEnd] = useState(() => isoToZonedInput(w.endsAt, zone.tz));
  const [openEnded, setOpenEnded] = useState(w.endsAt === null);
  const [reason, setReason] = useState(w.reason);
  const [note, setNote] = useState(w.note ?? '');
  const [tried, setTried] = useState(false);

  const startIso = running ? w.startsAt : zonedInputToIso(start, zone.tz);
  const endIso = openEnded ? null : zonedInputToIso(end, zone.tz);
  const change: WindowChange = {};
  if (!running && startIso && startIso !== new Date(w.startsAt).toISOString()) change.startsAt = startIso;
  const oldEnd = w.endsAt ? new Date(w.endsAt).toISOString() : null;
  if (endIso !== oldEnd) change.endsAt = endIso;
  if (reason.trim() !== w.reason) change.reason = reason.trim();
  if ((note.trim() || null) !== w.note) change.note = note.trim() || null;

  const problems: string[] = [];
  if (!running && !startIso) problems.push('The start is not a valid date and time.');
  if (!openEnded && !endIso) problems.push('Give an end, or make the window open-ended.');
  if (startIso && endIso && Date.parse(endIso) <= Date.parse(startIso))
    problems.push('The end must be after the start.');
  if (running && endIso && Date.parse(endIso) <= nowMs) problems.push('The end has passed: use End now to end it now.');
  if (!reason.trim()) problems.push('A reason is required.');
  const nothing = Object.keys(change).length === 0;

  const save = () => {
    setTried(true);
    if (problems.length > 0 || nothing || busy) return;
    void onSave(change);
  };

  return (
    <form
      className="wedit"
      data-testid="window-edit-form"
      onSubmit={(e) => {
        e.preventDefault();
        save();
      }}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.preventDefault();
          e.stopPropagation();
          onCancel();
        } else if ((e.ctrlKey || e.metaKey) && (e.key === 's' || e.key === 'S' || e.key === 'Enter')) {
          e.preventDefault();
          e.stopPropagation();
          save();
        }
      }}
    >
      {running ? (
        <p className="muted small">
          Running since {siteTime(w.startedAt ?? w.startsAt, zone.tz, nowMs)}: a running window keeps its start.
        </p>
      ) : (
        <ZonedTimeField
          id={`wedit-start-${w.id}`}
          label="Start"
          value={start}
          zone={zone}
          nowMs={nowMs}
          onChange={setStart}
        />
      )}
      <ZonedTimeField
        id={`wedit-end-${w.id}`}
        label="End"
        value={end}
        zone={zone}
        nowMs={nowMs}
        disabled={openEnded}
        onChange={setEnd}
      >
        <label className="toggle">
          <input type="checkbox" checked={openEnded} onChange={(e) => setOpenEnded(e.target.checked)} /> Open-ended
          (until someone ends it)
        </label>
      </ZonedTimeField>
      <div className="field">
        <label htmlFor={`wedit-reason-${w.id}`}>
          Reason <span className="req">(required)</span>
        </label>
        <input
          id={`wedit-reason-${w.id}`}
          type="text"
          maxLength={REASON_MAX}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          aria-invalid={tried && !reason.trim()}
        />
      </div>
      <div className="field">
        <label htmlFor={`wedit-note-${w.id}`}>
          Note <span className="muted">(optional)</span>
        </label>
        <textarea
          id={`wedit-note-${w.id}`}
          rows={2}
          maxLength={NOTE_MAX}
          value={note}
          onChange={(e) => setNote(e.target.value)}
        />
      </div>
      {tried && problems.length > 0 && (
        <ul className="problems" role="alert">
          {problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      )}
      <div className="confirm-actions">
        <button
          type="submit"
          className="btn btn-small btn-primary"
          disabled={busy || nothing}
          data-testid="window-edit-save"
        >
          {busy
            ? 'Sending…'
            : nothing
              ? 'Nothing changed'
              : `Save changes: ${Object.keys(change)
                  .map((k) => CHANGE_WORDS[k as keyof WindowChange])
                  .join(', ')}`}
        </button>
        <button type="button" className="btn btn-small" onClick={onCancel}>
          Cancel <kbd>Esc</kbd>
        </button>
      </div>
    </form>
  );
}
