// One rule-set version: its header (status, effective date, in force), and its sections as tabs
// with their own addresses. A draft's unsaved text lives here, so moving between sections keeps it.
import { lazy, Suspense, useEffect, useState } from 'react';
import type { RuleSetView } from '../../../api/rule-sets/rule-set.schema';
import { may } from '../shared/access';
import { callApi } from '../shared/api';
import { ConfirmDialog } from '../shared/ConfirmDialog';
import { Badge, ErrorNotice, Loaded, Loading } from '../shared/feedback';
import { useI18n, type Messages } from '../shared/i18n';
import type { ConsoleRole } from '../shared/session';
import { Link, navigate } from '../shared/router';
import { useSession } from '../shared/session-context';
import { useRequest } from '../shared/use-request';
import { AuditTrail } from './AuditTrail';
import { DiffView } from './DiffView';
import { ruleSetText } from './draft-validation';
import { Impact } from './Impact';
import { PublishPanel } from './PublishPanel';
import { RuleList } from './RuleCard';
import { RuleTable } from './RuleTable';
import { PhaseBadge, VersionFacts } from './RulesWorkspace';
import { TestCases } from './TestCases';
import { TryIt } from './TryIt';

// The code editor is most of the console's weight, and only program managers editing a draft need it.
const DraftEditor = lazy(() => import('./DraftEditor'));

export type RuleSetTab = keyof Messages['tabs'];

/** The sections a role may use on a version in this status. */
export function tabsFor(role: ConsoleRole, ruleSet: Pick<RuleSetView, 'status'>): RuleSetTab[] {
  const editable = ruleSet.status === 'DRAFT' && may(role, 'PUT /v1/rule-sets/:id');
  return [
    editable ? 'edit' : 'rules',
    'table',
    'try',
    'tests',
    ...(may(role, 'POST /v1/rule-sets/:id/simulate') ? (['impact'] as const) : []),
    'diff',
    ...((ruleSet.status === 'DRAFT' || ruleSet.status === 'IN_REVIEW') && may(role, 'POST /v1/rule-sets/:id/submit') ? (['publish'] as const) : []),
    'audit',
  ];
}

export function RuleSetPage({ ruleSetId, tab }: { ruleSetId: string; tab: string | undefined }) {
  const { session } = useSession();
  const ruleSet = useRequest(async (signal) => (await callApi<RuleSetView>(session, 'GET', `/v1/rule-sets/${ruleSetId}`, { signal })).body, [ruleSetId, session.key]);
  return (
    <>
      <BackToRuleSets />
      <Loaded request={ruleSet}>{(loaded) => <RuleSetScreen key={loaded.id} initial={loaded} tab={tab} />}</Loaded>
    </>
  );
}

function BackToRuleSets() {
  const { t } = useI18n();
  return (
    <p>
      <Link to="/rules">← {t.allRuleSets}</Link>
    </p>
  );
}

function RuleSetScreen({ initial, tab }: { initial: RuleSetView; tab: string | undefined }) {
  const { t } = useI18n();
  const { session } = useSession();
  const [ruleSet, setRuleSet] = useState(initial);
  const [savedText, setSavedText] = useState(() => ruleSetText(initial));
  const [text, setText] = useState(savedText);
  const [retiring, setRetiring] = useState(false);
  const [retireBusy, setRetireBusy] = useState(false);
  const [actionError, setActionError] = useState<unknown>(null);
  const dirty = text !== savedText;

  useEffect(() => {
    if (!dirty) return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);

  const tabs = tabsFor(session.role, ruleSet);
  const current = tabs.find((candidate) => candidate === tab) ?? tabs[0]!;
  const replaceWith = (view: RuleSetView) => {
    setRuleSet(view);
    const fresh = ruleSetText(view);
    setSavedText(fresh);
    setText(fresh);
  };
  const loadLatest = async () => replaceWith((await callApi<RuleSetView>(session, 'GET', `/v1/rule-sets/${ruleSet.id}`)).body);
  const retire = async () => {
    setRetireBusy(true);
    setActionError(null);
    try {
      replaceWith((await callApi<RuleSetView>(session, 'POST', `/v1/rule-sets/${ruleSet.id}/retire`)).body);
      setRetiring(false);
    } catch (error) {
      setActionError(error);
    } finally {
      setRetireBusy(false);
    }
  };

  return (
    <>
      <header className="rule-set-header">
        <div className="page-heading">
          <h1>
            {ruleSet.name} {t.versionShort(ruleSet.version)}
          </h1>
          <PhaseBadge ruleSet={ruleSet} />
          {dirty && <Badge tone="warn">{t.unsavedChanges}</Badge>}
        </div>
        <p className="muted" data-testid="rule-set-facts">
          <span className="visually-hidden">{t.statuses[ruleSet.status]} · </span>
          <VersionFacts ruleSet={ruleSet} />
        </p>
        {ruleSet.description && <p>{ruleSet.description}</p>}
        <div className="actions">
          {ruleSet.status !== 'DRAFT' && may(session.role, 'POST /v1/rule-sets') && (
            <button type="button" onClick={() => navigate(`/rules/new/${ruleSet.id}`)}>
              {t.newDraftFromThis}
            </button>
          )}
          {ruleSet.status === 'PUBLISHED' && may(session.role, 'POST /v1/rule-sets/:id/retire') && (
            <button type="button" className="danger" onClick={() => setRetiring(true)}>
              {t.retire}
            </button>
          )}
        </div>
        {!retiring && actionError !== null && <ErrorNotice error={actionError} />}
      </header>
      <nav aria-label={t.ruleSetSections} className="tabs">
        <ul>
          {tabs.map((candidate) => (
            <li key={candidate}>
              <Link to={`/rules/${ruleSet.id}/${candidate}`} aria-current={candidate === current ? 'page' : undefined}>
                {t.tabs[candidate]}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <div className="tab-panel">
        {current === 'edit' && (
          <Suspense fallback={<Loading />}>
            <DraftEditor
              ruleSet={ruleSet}
              text={text}
              onTextChange={setText}
              dirty={dirty}
              onSaved={(view, saved) => {
                setRuleSet(view);
                setSavedText(saved);
              }}
              onReloadRequested={() => void loadLatest()}
            />
          </Suspense>
        )}
        {current === 'rules' && <RuleList rules={ruleSet.rules} />}
        {current === 'table' && <RuleTable ruleSet={ruleSet} />}
        {current === 'try' && <TryIt ruleSet={ruleSet} dirty={dirty} onCaseSaved={replaceWith} />}
        {current === 'tests' && <TestCases ruleSet={ruleSet} dirty={dirty} onChanged={replaceWith} />}
        {current === 'impact' && <Impact ruleSet={ruleSet} dirty={dirty} />}
        {current === 'diff' && <DiffView ruleSet={ruleSet} />}
        {current === 'publish' && (
          <PublishPanel
            ruleSet={ruleSet}
            dirty={dirty}
            onPublished={(view) => {
              replaceWith(view);
              navigate(`/rules/${view.id}/rules`);
            }}
          />
        )}
        {current === 'audit' && <AuditTrail key={ruleSet.revision} ruleSetId={ruleSet.id} />}
      </div>
      <ConfirmDialog
        open={retiring}
        title={`${t.retire} ${ruleSet.name} ${t.versionShort(ruleSet.version)}`}
        confirmLabel={t.retire}
        busy={retireBusy}
        onConfirm={() => void retire()}
        onCancel={() => setRetiring(false)}
      >
        <p>{t.retireConfirm(ruleSet.name, ruleSet.version)}</p>
        {actionError !== null && <ErrorNotice error={actionError} />}
      </ConfirmDialog>
    </>
  );
}
