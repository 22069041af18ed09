// The signed-in person (role and key) for every screen, and the one way to sign out.
import { createContext, useContext } from 'react';
import type { ConsoleConfig } from './api';
import type { Session } from './session';

export interface SessionContextValue {
  session: Session;
  config: ConsoleConfig;
  signOut: () => void;
}

export const SessionContext = createContext<SessionContextValue | null>(null);

export function useSession(): SessionContextValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession needs a signed-in SessionContext above it');
  return value;
}

/** Outside a session (the sign-in form) there is nobody to sign out. */
export function useSignOut(): () => void {
  return useContext(SessionContext)?.signOut ?? (() => undefined);
}
