import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Result, Spin } from 'antd';
import { apiSettings, errorText, isApiError } from '../shared/api-client';
import { useI18n } from '../shared/I18nProvider';
import { fetchSession, logout, sessionQueryKey, type Session, type SessionUser } from './auth-api';

type SessionValue = {
  session: Session | null;
  /** Why the user is signed out (`session_expired`, `unauthenticated`, …), when a request told us. */
  signedOutReason: string | null;
  signIn: (session: Session) => void;
  signOut: () => Promise<void>;
};

const SessionContext = createContext<SessionValue | null>(null);

/** Loads the session once (GET /api/auth/me), keeps the CSRF token for the API client, and ends it on any 401. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const { t, lang } = useI18n();
  const queryClient = useQueryClient();
  const [signedOutReason, setSignedOutReason] = useState<string | null>(null);

  const query = useQuery({
    queryKey: sessionQueryKey,
    queryFn: async ({ signal }): Promise<Session | null> => {
      try {
        return await fetchSession(signal);
      } catch (error) {
        if (isApiError(error, 401)) {
          // A first visit without a cookie needs no notice; a cookie that has run out does.
          setSignedOutReason(error.code === 'session_expired' ? error.code : null);
          return null;
        }
        throw error;
      }
    },
    staleTime: Infinity,
    retry: false,
  });
  const session = query.data ?? null;
  apiSettings.setCsrfToken(session?.csrfToken ?? null);

  const forget = useCallback(() => {
    queryClient.removeQueries({ predicate: (cached) => cached.queryKey[0] !== sessionQueryKey[0] });
  }, [queryClient]);

  useEffect(() => {
    apiSettings.setUnauthorizedHandler((code) => {
      setSignedOutReason(code);
      queryClient.setQueryData(sessionQueryKey, null);
    });
    return () => apiSettings.setUnauthorizedHandler(null);
  }, [queryClient]);

  const signIn = useCallback(
    (next: Session) => {
      forget();
      setSignedOutReason(null);
      queryClient.setQueryData(sessionQueryKey, next);
    },
    [forget, queryClient],
  );

  const signOut = useCallback(async () => {
    try {
      await logout();
    } catch {
      // Signed out already (or the server is away): the local session ends either way.
    }
    forget();
    setSignedOutReason(null);
    queryClient.setQueryData(sessionQueryKey, null);
  }, [forget, queryClient]);

  const value = useMemo(() => ({ session, signedOutReason, signIn, signOut }), [session, signedOutReason, signIn, signOut]);

  if (query.isPending) {
    return (
      <div className="rc-fullscreen-center">
        <Spin size="large" />
      </div>
    );
  }
  if (query.isError && query.data === undefined) {
    return (
      <Result
        status="warning"
        title={errorText(query.error, lang)}
        extra={<Button type="primary" onClick={() => void query.refetch()}>{t('common.retry')}</Button>}
      />
    );
  }
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}

/** The signed-in user; only for pages behind RequireSession. */
export function useCurrentUser(): SessionUser {
  const { session } = useSession();
  if (!session) throw new Error('useCurrentUser without a session');
  return session.user;
}
