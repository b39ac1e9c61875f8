// Sign-out on the backend: the token is revoked there (POST /api/logout), so a copy of it left anywhere is worthless.
import { LOGOUT_PATH } from '../../../common/protocol.js';

export type RevokeResult = { revoked: true } | { revoked: false; why: string };

/** How long sign-out waits for the backend before it gives up telling it (the console is signed out either way). */
export const REVOKE_TIMEOUT_MS = 5000;

export async function revokeToken(
  backendUrl: string,
  token: string,
  timeoutMs = REVOKE_TIMEOUT_MS,
): Promise<RevokeResult> {
  let response: Response;
  try {
    response = await fetch(new URL(LOGOUT_PATH, backendUrl), {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    return { revoked: false, why: `cannot reach the backend at ${backendUrl}: ${(error as Error).message}` };
  }
  await response.body?.cancel();
  // 401: the session had already ended (expired, revoked, user disabled): nothing is left to revoke.
  if (response.ok || response.status === 401) return { revoked: true };
  return { revoked: false, why: `the backend answered sign-out with HTTP ${response.status}` };
}
