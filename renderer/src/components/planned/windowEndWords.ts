// The words of the question asked before an action changes points a running maintenance window holds, per action:
// a person's change (editor, bulk dialog) and a retry end the window for them; an undo cannot (its edits are based on
// the status the change set, and the window's start changed it since, so the backend answers Conflict for them).
import type { HeldByWindows } from './runningWindows.js';

export type WindowEndAction = 'change' | 'retry' | 'undo';

export interface WindowEndQuestion {
  text: string;
  /** The first button: end the windows for them (an undo: go on, leaving them in the window). */
  yes: string;
  /** Sends the action without the held points, when there are others to send (a retry only). */
  leave: string | null;
}

export function windowEndQuestion({
  action,
  held,
  total,
  firstLabel,
  until,
}: {
  action: WindowEndAction;
  held: HeldByWindows;
  /** How many points the action is for. */
  total: number;
  /** The label of the first held point (said when the action is for that point alone). */
  firstLabel: string;
  /** The first window's end on the site's clock ("until 14:00"), or "open-ended". */
  until: string;
}): WindowEndQuestion {
  const n = held.pointIds.length;
  const one = n === 1;
  const first = held.windows[0];
  const named =
    held.windows.length === 1
      ? `the running maintenance window “${first.reason}” (${until})`
      : `${held.windows.length} running maintenance windows (“${first.reason}”, ${until}, and others)`;
  const who =
    total === 1 ? `${firstLabel} is in ${named}.` : `${n} of these ${total} points ${one ? 'is' : 'are'} in ${named}.`;
  const them = one ? 'it' : 'them';
  const endYes = one ? 'Yes, end the window for it' : `Yes, end the windows for these ${n}`;
  const notBack = `at the window’s end ${one ? 'it is' : 'they are'} not put back to what ${one ? 'it' : 'they'} had before`;
  const others = total - n;
  switch (action) {
    case 'change':
      return {
        text: `${who} This change ends the window for ${them}: ${notBack}. Save it anyway?`,
        yes: endYes,
        leave: null,
      };
    case 'retry':
      return {
        text:
          `${who} Retrying ${one ? 'it' : 'them'} ends the window for ${them}: ${notBack}.` +
          (others > 0 ? ` Or leave ${them} in the window and retry the other ${others}.` : ''),
        yes: endYes,
        leave: others > 0 ? `Leave ${them}; retry the other ${others}` : null,
      };
    case 'undo':
      return {
        text:
          `${who} The undo leaves ${them} in the window: the window’s start changed ${one ? 'its' : 'their'} status ` +
          `after this change, so the backend answers Conflict for ${them}. Retry then asks whether to end the window.` +
          (others > 0 ? ` Undo the other ${others}?` : ' Undo anyway?'),
        yes: one ? 'Undo, leave it in the window' : 'Undo, leave them in the window',
        leave: null,
      };
  }
}
