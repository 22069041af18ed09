// Who is signed in: a role and the API key or signed token that proves it, kept for this browser
// tab only.
import { z } from 'zod';

export const CONSOLE_ROLES = ['program-manager', 'operator', 'auditor', 'reviewer'] as const;
export type ConsoleRole = (typeof CONSOLE_ROLES)[number];

const sessionSchema = z.object({
  role: z.enum(CONSOLE_ROLES),
  key: z.string().min(1),
  // Who the API says the key belongs to (GET /v1/me): an appeal names the people who may not decide it.
  name: z.string().optional(),
});
export type Session = z.infer<typeof sessionSchema>;

const STORAGE_KEY = 'jalur.console.session';

export function readSession(): Session | null {
  const stored = sessionStorage.getItem(STORAGE_KEY);
  if (stored === null) return null;
  try {
    const parsed = sessionSchema.safeParse(JSON.parse(stored));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export function storeSession(session: Session | null): void {
  if (session) sessionStorage.setItem(STORAGE_KEY, JSON.stringify(session));
  else sessionStorage.removeItem(STORAGE_KEY);
}
