import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router-dom';
import { useSession } from './SessionProvider';

export type LoginState = { from?: string; reason?: string | null };

/** Sends a signed-out visitor to /login, remembering the page to come back to and why. */
export function RequireSession({ children }: { children: ReactNode }) {
  const { session, signedOutReason } = useSession();
  const location = useLocation();
  if (!session) {
    const state: LoginState = { from: location.pathname + location.search, reason: signedOutReason };
    return <Navigate to="/login" replace state={state} />;
  }
  return children;
}
