// The fields under the status choice, in both status forms: the reason, then the expected end beside the note.
import type { ReactNode } from 'react';
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
        />
        <NoteField idPrefix={idPrefix} note={form.note} onChange={form.setNote} />
      </div>
    </>
  );
}
