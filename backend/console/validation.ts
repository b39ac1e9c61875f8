// Turning a schema failure into one clear sentence that names the field.
import type { z } from 'zod';
import type { Ack, ErrorReply } from '../../common/protocol.js';

export function describeIssues(error: z.ZodError, prefix = ''): string {
  const parts = error.issues.slice(0, 5).map((i) => {
    const path = [prefix, ...i.path.map(String)].filter(Boolean).join('.');
    return `${path || 'payload'}: ${i.message}`;
  });
  if (error.issues.length > 5) parts.push(`and ${error.issues.length - 5} more`);
  return parts.join('; ');
}

export function fail(code: ErrorReply['code'], message: string): Ack<never> {
  return { ok: false, error: { code, message } };
}
