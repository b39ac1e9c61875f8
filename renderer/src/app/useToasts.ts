import { useCallback, useRef, useState } from 'react';
import type { Toast } from '../components/Toasts.js';

export type Notify = (text: string, tone?: Toast['tone'], replaces?: number) => number;

/** Short messages at the bottom: at most four, each gone after a while (errors stay longer); one can replace another. */
export function useToasts(): { toasts: Toast[]; notify: Notify; dismiss(id: number): void } {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const toastId = useRef(0);
  const notify = useCallback<Notify>((text, tone = 'info', replaces) => {
    const id = ++toastId.current;
    setToasts((t) => [...t.filter((x) => x.id !== replaces).slice(-3), { id, text, tone }]);
    setTimeout(() => setToasts((t) => t.filter((x) => x.id !== id)), tone === 'error' ? 12_000 : 6_000);
    return id;
  }, []);
  const dismiss = useCallback((id: number) => setToasts((t) => t.filter((x) => x.id !== id)), []);
  return { toasts, notify, dismiss };
}

export function errText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
