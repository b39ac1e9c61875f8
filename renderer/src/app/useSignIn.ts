import { useEffect, useState } from 'react';
import type { StoreState } from '../store/store.js';

/**
 * Whether the sign-in screen is open. Signed out (never signed in, or the backend ended the session), the console is
 * read-only and offers it at once. The embedded demo signs in by itself and never asks.
 */
export function useSignIn(connection: StoreState['connection']) {
  const [signInOpen, setSignInOpen] = useState(false);
  const signedOut = connection?.state === 'signedOut' && !connection.demo;
  useEffect(() => {
    if (signedOut) setSignInOpen(true);
  }, [signedOut]);
  return [signInOpen, setSignInOpen] as const;
}
