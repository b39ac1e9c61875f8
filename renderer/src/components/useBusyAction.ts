// One action at a time per item in a panel: marks the item busy, tells the outcome (or the failure) in a toast.
import { useState } from 'react';
import { errorMessage } from '../util/errors.js';

export type Notify = (text: string, tone?: 'info' | 'error') => void;

/**
 * `run(key, failure, action)`: `busy` is `key` while `action` runs; what it resolves to is notified, and if it
 * throws, "`failure`: the error" is, as an error.
 */
export function useBusyAction(onNotify: Notify) {
  const [busy, setBusy] = useState<string | null>(null);
  const run = async (key: string, failure: string, action: () => Promise<string>) => {
    setBusy(key);
    try {
      onNotify(await action());
    } catch (e) {
      onNotify(`${failure}: ${errorMessage(e)}`, 'error');
    } finally {
      setBusy(null);
    }
  };
  return { busy, run };
}
