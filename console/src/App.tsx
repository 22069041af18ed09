// The console's shell: sign-in first, then the screens the role may use, behind one header
// with the navigation, the language switch and sign-out.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { may } from './shared/access';
import { loadConsoleConfig, type ConsoleConfig } from './shared/api';
import { ErrorNotice, Loading } from './shared/feedback';
import { useI18n } from './shared/i18n';
import { LanguageSwitch } from './shared/LanguageSwitch';
import { currentPath, Link, matchPath, navigate, usePath } from './shared/router';
import { readSession, storeSession, type ConsoleRole, type Session } from './shared/session';
import { SessionContext, useSession, type SessionContextValue } from './shared/session-context';
import { SignIn } from './shared/SignIn';
import { AppealPage } from './appeals/AppealPage';
import { AppealsPage } from './appeals/AppealsPage';
import { BatchActionsPage } from './program/BatchActionsPage';
import { ParticipantPage } from './program/ParticipantPage';
import { ProgramView } from './program/ProgramView';
import { ReconciliationPage } from './program/ReconciliationPage';
import { NewDraft } from './rules/NewDraft';
import { RuleSetPage } from './rules/RuleSetPage';
import { RulesWorkspace } from './rules/RulesWorkspace';

const HOME: Record<ConsoleRole, string> = { 'program-manager': '/rules', operator: '/program', auditor: '/rules', reviewer: '/appeals' };

export function App() {
  const [config, setConfig] = useState<ConsoleConfig | null>(null);
  const [configError, setConfigError] = useState<unknown>(null);
  const [session, setSession] = useState<Session | null>(readSession);

  useEffect(() => {
    loadConsoleConfig().then(setConfig, setConfigError);
  }, []);

  const signIn = useCallback((next: Session) => {
    storeSession(next);
    setSession(next);
    // A link followed before signing in (a participant, a rule set) is where the person wanted to go.
    if (currentPath() === '/') navigate(HOME[next.role], { replace: true });
  }, []);
  const signOut = useCallback(() => {
    // The codec session ends with the console's: the Temporal UI stops decoding in this browser.
    void fetch('/codec/session', { method: 'DELETE' }).catch(() => undefined);
    storeSession(null);
    setSession(null);
    navigate('/', { replace: true });
  }, []);
  const context = useMemo<SessionContextValue | null>(() => (session && config ? { session, config, signOut } : null), [session, config, signOut]);

  if (configError) return <ErrorNotice error={configError} />;
  if (!config) return <Loading />;
  if (!session) return <SignIn config={config} onSignedIn={signIn} />;
  if (!context) return <Loading />;
  return (
    <SessionContext.Provider value={context}>
      <Shell />
    </SessionContext.Provider>
  );
}

function Shell() {
  const { t } = useI18n();
  const path = usePath();
  const { session, signOut } = useSession();
  const section = (['rules', 'reconciliation', 'batch-actions', 'appeals'] as const).find((candidate) => path.startsWith(`/${candidate}`)) ?? 'program';
  return (
    <>
      <a className="skip-link" href="#main">
        {t.skipToContent}
      </a>
      <header className="app-header">
        <p className="brand">
          <Link to={HOME[session.role]}>{t.appName}</Link> <span className="muted">· {t.appTagline}</span>
        </p>
        <nav aria-label={t.mainNavigation}>
          <ul>
            {may(session.role, 'GET /v1/rule-sets') && (
              <li>
                <Link to="/rules" aria-current={section === 'rules' ? 'page' : undefined}>
                  {t.navRules}
                </Link>
              </li>
            )}
            {may(session.role, 'GET /v1/waves') && (
              <li>
                <Link to="/program" aria-current={section === 'program' ? 'page' : undefined}>
                  {t.navProgram}
                </Link>
              </li>
            )}
            {may(session.role, 'GET /v1/reconciliation/days/:day') && (
              <li>
                <Link to="/reconciliation" aria-current={section === 'reconciliation' ? 'page' : undefined}>
                  {t.navReconciliation}
                </Link>
              </li>
            )}
            {may(session.role, 'GET /v1/batch-actions') && (
              <li>
                <Link to="/batch-actions" aria-current={section === 'batch-actions' ? 'page' : undefined}>
                  {t.navBatchActions}
                </Link>
              </li>
            )}
            {may(session.role, 'GET /v1/appeals') && (
              <li>
                <Link to="/appeals" aria-current={section === 'appeals' ? 'page' : undefined}>
                  {t.navAppeals}
                </Link>
              </li>
            )}
          </ul>
        </nav>
        <div className="header-tools">
          <LanguageSwitch />
          <span className="muted small" data-testid="signed-in-as">
            {t.signedInAs(t.roles[session.role])}
          </span>
          <button type="button" onClick={signOut}>
            {t.signOut}
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <Screen path={path} role={session.role} />
      </main>
    </>
  );
}

function Redirect({ to }: { to: string }) {
  useEffect(() => navigate(to, { replace: true }), [to]);
  return null;
}

function Screen({ path, role }: { path: string; role: ConsoleRole }) {
  const { t } = useI18n();
  if (path === '/') return <Redirect to={HOME[role]} />;
  if (matchPath('/rules', path) && may(role, 'GET /v1/rule-sets')) return <RulesWorkspace />;
  const newDraft = matchPath('/rules/new/:from?', path);
  if (newDraft && may(role, 'POST /v1/rule-sets')) return <NewDraft from={newDraft.from} />;
  const ruleSet = newDraft ? null : matchPath('/rules/:id/:tab?', path);
  if (ruleSet?.id && may(role, 'GET /v1/rule-sets/:id')) return <RuleSetPage ruleSetId={ruleSet.id} tab={ruleSet.tab} />;
  if (matchPath('/program', path) && may(role, 'GET /v1/waves')) return <ProgramView />;
  if (matchPath('/reconciliation', path) && may(role, 'GET /v1/reconciliation/days/:day')) return <ReconciliationPage />;
  if (matchPath('/batch-actions', path) && may(role, 'GET /v1/batch-actions')) return <BatchActionsPage />;
  if (matchPath('/appeals', path) && may(role, 'GET /v1/appeals')) return <AppealsPage />;
  const appeal = matchPath('/appeals/:id', path);
  if (appeal?.id && may(role, 'GET /v1/appeals/:id')) return <AppealPage appealId={appeal.id} />;
  const participant = matchPath('/participants/:id', path);
  if (participant?.id && may(role, 'GET /v1/participants/:id')) return <ParticipantPage participantId={participant.id} />;
  return (
    <div className="notice">
      <p>{t.pageNotFound}</p>
      <Link to={HOME[role]}>{t.goHome}</Link>
    </div>
  );
}
