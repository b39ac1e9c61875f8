// The fields under the status choice, in both status forms: the reason, then the expected end beside the note.
import type { ReactNode } from 'react';
import type { ZoneChoice } from '../planned/windowZone.js';
import { ReasonField } from './ReasonField.js';
import { NoteField, UntilField } from './UntilField.js';
import type { QuickUntil } from './UntilField.js';
import type { useEditForm } from './useEditForm.js';

export function EditFields({
  form,
  idPrefix,
  reasonStep,
  reasonRequired,
  reasonPlaceholder,
  reasonInvalid,
  untilHint,
  quickUntil,
  zone,
  nowMs,
}: {
  form: ReturnType<typeof useEditForm>;
  /** `editor` or `bulk`, for the fields' ids and test ids. */
  idPrefix: string;
  reasonStep?: string;
  reasonRequired: boolean;
  reasonPlaceholder: string;
  reasonInvalid: boolean;
  untilHint: ReactNode;
  quickUntil: QuickUntil[];
  /** The clock the expected end is typed on (the points' site zone, as the form reads it); without it, this computer's. */
  zone?: ZoneChoice;
  nowMs?: number;
}) {
  return (
    <>
      <ReasonField
        idPrefix={idPrefix}
        step={reasonStep}
        required={reasonRequired}
        status={form.status}
        reason={form.reason}
        placeholder={reasonPlaceholder}
        invalid={reasonInvalid}
        inputRef={form.reasonRef}
        onChange={form.setReason}
      />

      <div className="field-row">
        <UntilField
          idPrefix={idPrefix}
          status={form.status}
          until={form.until}
          hint={untilHint}
          quick={quickUntil}
          onChange={form.setUntil}
          action={form.untilAction}
          onAction={form.setUntilAction}
          zone={zone}
          nowMs={nowMs}
        />
        <NoteField idPrefix={idPrefix} note={form.note} onChange={form.setNote} />
      </div>
    </>
  );
}
