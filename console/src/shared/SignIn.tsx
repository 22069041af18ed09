// Signing in: a role and its API key or signed token, checked against the API (GET /v1/me says
// whose it is) before anything is shown. The credential stays in this tab's sessionStorage; a
// development server offers its well-known keys. Operators and auditors also get the codec
// session cookie, so the Temporal UI can show them decoded histories.
import { useId, useState, type FormEvent } from 'react';
import type { Me } from '../../../api/me/me.router';
import { ApiError, callApi, type ConsoleConfig } from './api';
import { useI18n } from './i18n';
import { LanguageSwitch } from './LanguageSwitch';
import { CONSOLE_ROLES, type ConsoleRole, type Session } from './session';

type Verdict = 'ok' | 'unknown-key' | 'expired' | 'not-for-console' | 'wrong-role';

async function checkKey(session: Session): Promise<{ verdict: Verdict; name?: string }> {
  let me: Me;
  try {
    me = (await callApi<Me>(session, 'GET', '/v1/me')).body;
  } catch (error) {
    if (error instanceof ApiError && error.code === 'TOKEN_EXPIRED') return { verdict: 'expired' };
    if (error instanceof ApiError && error.status === 401) return { verdict: 'unknown-key' };
    if (error instanceof ApiError && error.status === 403) return { verdict: 'not-for-console' };
    throw error;
  }
  if (!(CONSOLE_ROLES as readonly string[]).includes(me.role)) return { verdict: 'not-for-console' };
  return me.role === session.role ? { verdict: 'ok', name: me.name } : { verdict: 'wrong-role' };
}

/** The Temporal UI sends this cookie to the codec; without it the UI shows payloads encrypted, nothing worse. */
async function openCodecSession(session: Session): Promise<void> {
  if (session.role !== 'operator' && session.role !== 'auditor') return;
  await callApi(session, 'POST', '/codec/session').catch(() => undefined);
}

export function SignIn({ config, onSignedIn }: { config: ConsoleConfig; onSignedIn: (session: Session) => void }) {
  const { t } = useI18n();
  const id = useId();
  const developmentKeys = config.developmentKeys;
  const [role, setRole] = useState<ConsoleRole>('program-manager');
  const [key, setKey] = useState(developmentKeys?.['program-manager'] ?? '');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  const chooseRole = (next: ConsoleRole) => {
    setRole(next);
    // Replace a development key with the new role's; never a key the person typed.
    if (developmentKeys && (key === '' || Object.values(developmentKeys).includes(key))) setKey(developmentKeys[next] ?? '');
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setProblem(null);
    const session = { role, key: key.trim() };
    try {
      const { verdict, name } = await checkKey(session);
      if (verdict === 'ok') {
        await openCodecSession(session);
        onSignedIn({ ...session, name });
      } else {
        setProblem(
          verdict === 'unknown-key' ? t.keyRejected : verdict === 'expired' ? t.keyExpired : verdict === 'not-for-console' ? t.keyNotForConsole : t.keyWrongRole(t.roles[role]),
        );
      }
    } catch (error) {
      setProblem(error instanceof ApiError && error.status === 0 ? t.errorNetwork : error instanceof Error ? error.message : String(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="sign-in-page">
      <header className="sign-in-header">
        <p className="brand">
          {t.appName} <span className="muted">· {t.appTagline}</span>
        </p>
        <LanguageSwitch />
      </header>
      <main id="main" className="sign-in">
        <h1>{t.signInTitle}</h1>
        <p>{t.signInIntro}</p>
        <form className="card stacked-form" onSubmit={(event) => void submit(event)}>
          <fieldset>
            <legend>{t.roleLegend}</legend>
            {CONSOLE_ROLES.map((candidate) => (
              <label key={candidate} className="checkbox">
                <input type="radio" name={`${id}-role`} value={candidate} checked={role === candidate} onChange={() => chooseRole(candidate)} /> {t.roles[candidate]}
              </label>
            ))}
          </fieldset>
          <label htmlFor={`${id}-key`}>{t.apiKey}</label>
          <input
            id={`${id}-key`}
            type="password"
            autoComplete="current-password"
            required
            value={key}
            aria-describedby={developmentKeys ? `${id}-note` : undefined}
            onChange={(event) => setKey(event.target.value)}
          />
          {developmentKeys && (
            <p id={`${id}-note`} className="muted small">
              {t.developmentKeysNote}
            </p>
          )}
          {problem && (
            <p className="notice error" role="alert">
              {problem}
            </p>
          )}
          <div className="actions">
            <button type="submit" className="primary" disabled={busy}>
              {busy ? t.signingIn : t.signIn}
            </button>
          </div>
        </form>
      </main>
    </div>
  );
}
