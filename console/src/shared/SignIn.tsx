// Signing in: a role and its API key, checked against the API before anything is shown. The key
// stays in this tab's sessionStorage; a development server offers its well-known keys.
import { useId, useState, type FormEvent } from 'react';
import { ApiError, callApi, type ConsoleConfig } from './api';
import { useI18n } from './i18n';
import { LanguageSwitch } from './LanguageSwitch';
import { CONSOLE_ROLES, type ConsoleRole, type Session } from './session';

const NO_SUCH_ID = '00000000-0000-4000-8000-000000000000';

/**
 * A call only this role may make and that changes nothing: the API answers 403 when the key has
 * another role. (Until the security work gives the API a "who am I" endpoint.)
 */
const ROLE_PROBE: Record<ConsoleRole, { method: string; path: string }> = {
  // Without a revision a draft update stops at 428 before reading anything.
  'program-manager': { method: 'PUT', path: `/v1/rule-sets/${NO_SUCH_ID}` },
  operator: { method: 'GET', path: `/v1/participants/${NO_SUCH_ID}` },
};

async function checkKey(session: Session): Promise<'ok' | 'unknown-key' | 'not-for-console' | 'wrong-role'> {
  try {
    await callApi(session, 'GET', '/v1/rule-sets?status=PUBLISHED');
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return 'unknown-key';
    if (error instanceof ApiError && error.status === 403) return 'not-for-console';
    throw error;
  }
  const probe = ROLE_PROBE[session.role];
  try {
    await callApi(session, probe.method, probe.path);
  } catch (error) {
    if (error instanceof ApiError && error.status === 403) return 'wrong-role';
    if (!(error instanceof ApiError) || error.status === 0) throw error;
  }
  return 'ok';
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
      const verdict = await checkKey(session);
      if (verdict === 'ok') onSignedIn(session);
      else setProblem(verdict === 'unknown-key' ? t.keyRejected : verdict === 'not-for-console' ? t.keyNotForConsole : t.keyWrongRole(t.roles[role]));
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
