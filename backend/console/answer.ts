// Runs a request's work and answers it: the data, or the refusal an expected error carries (code and message).
import type { Ack, ErrorReply } from '../../common/protocol.js';
import { fail } from './validation.js';

export interface Refusal {
  code: ErrorReply['code'];
  message: string;
}

export function answer<T>(fn: () => T, isRefusal: (error: unknown) => error is Refusal): Ack<T> {
  try {
    return { ok: true, data: fn() };
  } catch (error) {
    if (isRefusal(error)) return fail(error.code, error.message);
    throw error;
  }
}
