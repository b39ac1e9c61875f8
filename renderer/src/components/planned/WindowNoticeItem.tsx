// A request kept on this computer that took effect at once when it reached the backend (its time had passed on the
// way): what happened, the window's times, when it was kept and answered, Dismiss, and a way to the window itself.
import type { WindowOpNotice } from '../../../../common/consoleApi.js';
import type { HostApi } from '../../api/index.js';
import { ago, fullTime } from '../../util/time.js';
import { IconInfo } from '../icons.js';
import { DismissOpButton } from './DismissOpButton.js';
import { overlapSpan } from './overlapWords.js';
import { noticeSentence } from './windowNoticeWords.js';
import type { ZoneChoice } from './windowZone.js';

export function WindowNoticeItem({
  notice,
  api,
  zone,
  nowMs,
  pointName,
  onShowWindow,
}: {
  notice: WindowOpNotice;
  api: HostApi;
  /** The clock the window's times are read on. */
  zone: ZoneChoice;
  nowMs: number;
  pointName(id: string): string;
  /** Shows the window in the Planned panel; absent: the panel does not list it (any more). */
  onShowWindow?(windowId: string): void;
}) {
  return (
    <li
      className="witem wop wop-answered"
      data-testid={`window-notice-${notice.opId}`}
      data-window-id={notice.windowId}
      data-kind={notice.kind}
    >
      <p className="wnotice-text" data-testid="window-notice-text">
        <IconInfo size={15} className="wnotice-icon" />
        <span>{noticeSentence(notice, pointName)}</span>
      </p>
      <dl className="wfacts">
        <dt>Window</dt>
        <dd data-testid="window-notice-span">{overlapSpan(notice, zone, nowMs)}</dd>
        <dt>Kept here</dt>
        <dd title={fullTime(notice.queuedAt)}>{ago(notice.queuedAt, nowMs)}</dd>
        <dt>Answered</dt>
        <dd title={fullTime(notice.answeredAt)}>{ago(notice.answeredAt, nowMs)}</dd>
      </dl>
      <div className="wactions">
        <DismissOpButton api={api} opId={notice.opId} testId="window-notice-dismiss" />
        {onShowWindow && (
          <button
            type="button"
            className="link-btn"
            onClick={() => onShowWindow(notice.windowId)}
            data-testid="window-notice-show"
          >
            Show “{notice.reason}” in the list
          </button>
        )}
      </div>
    </li>
  );
}
