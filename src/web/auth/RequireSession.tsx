import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router-dom';
import { useQueryClient } from '@tanstack/react-query';
import { sessionQueryKey, type Session } from './auth-api';
import { ChangePasswordModal } from './ChangePasswordModal';
import { useSession } from './SessionProvider';

export type LoginState = { from?: string; reason?: string | null };

/**
 * Sends a signed-out visitor to /login, remembering the page to come back to and why. An account signed in with
 * an initial or reset password sees nothing but the change of password (the server refuses everything else).
 */
export function RequireSession({ children }: { children: ReactNode }) {
  const { session, signedOutReason, signOut } = useSession();
  const location = useLocation();
  const queryClient = useQueryClient();
  if (!session) {
    const state: LoginState = { from: location.pathname + location.search, reason: signedOutReason };
    return <Navigate to="/login" replace state={state} />;
  }
  if (session.mustChangePassword) {
    const changed = () => queryClient.setQueryData<Session | null>(sessionQueryKey, (current) => current && { ...current, mustChangePassword: false });
    return (
      <div className="rc-fullscreen-center" data-testid="must-change-password">
        <ChangePasswordModal onClose={changed} forced={{ onSignOut: () => void signOut() }} />
      </div>
    );
  }
  return children;
}
