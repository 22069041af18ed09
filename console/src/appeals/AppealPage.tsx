// One appeal as a reviewer reads it: the participant's statement and document; the decision
// appealed, opened (the rule-set version, each reason with its legal basis and the words the person
// read, every rule condition by condition with the facts it saw, the registries' answers); the
// people who took part in it, none of whom may decide; and the decision: the reviewer's form while
// the appeal is open, who decided what, why and with what result once it is not. Every read of the
// appeal and of its document is written to the personal-data access log.
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { AppealDecisionRequest, AppealDetail } from '../../../api/appeals/appeal.schema';
import { may } from '../shared/access';
import { ApiError, callApi, fetchApiFile } from '../shared/api';
import { ConfirmDialog } from '../shared/ConfirmDialog';
import { Badge, ErrorNotice, Loaded } from '../shared/feedback';
import { useI18n, type Messages } from '../shared/i18n';
import { Link } from '../shared/router';
import { useSession } from '../shared/session-context';
import { useRequest } from '../shared/use-request';
import { formatValue } from '../rules/ConditionTree';
import { ExplainedRules } from '../rules/ExplainedRules';
import { AppealResultBadge, AppealStatusBadge } from './AppealBadges';
import {
  APPEAL_RULES_BASES,
  checkAppealDecision,
  documentFileName,
  EMPTY_DECISION_FORM,
  MAX_DECISION_REASON,
  sameName,
  tookPartInDecision,
  type AppealDecisionForm,
  type DecisionProblems,
} from './appeal-decision';

type EligibilityDecision = NonNullable<AppealDetail['eligibilityDecision']>;
type RecordedEligibility = NonNullable<AppealDetail['appealedDecision']['eligibility']>;
type DecisionReason = RecordedEligibility['reasons'][number];
type RegistryAnswers = EligibilityDecision['registryAnswers'];

/** Which outside system gave each answer, in the order a reviewer checks them; the compiler checks every answer is named. */
const REGISTRY_OF = {
  identityStatus: 'dukcapil',
  socialAidPrograms: 'dtks',
  isStudent: 'dapodik',
  onLaidOffList: 'kemnaker',
  previousParticipations: 'participationRegistry',
} as const satisfies Record<keyof RegistryAnswers, keyof Messages['registries']>;

export function AppealPage({ appealId }: { appealId: string }) {
  const { t } = useI18n();
  const { session } = useSession();
  const appeal = useRequest(
    async (signal) => (await callApi<AppealDetail>(session, 'GET', `/v1/appeals/${encodeURIComponent(appealId)}`, { signal })).body,
    [appealId, session.key],
  );
  return (
    <>
      <p>
        <Link to="/appeals">← {t.backToAppeals}</Link>
      </p>
      <Loaded request={appeal}>{(loaded) => <AppealDetails appeal={loaded} onDecided={appeal.replace} onReload={appeal.reload} />}</Loaded>
    </>
  );
}

function AppealDetails({ appeal, onDecided, onReload }: { appeal: AppealDetail; onDecided: (appeal: AppealDetail) => void; onReload: () => void }) {
  const { t, formatDateTime } = useI18n();
  const { session } = useSession();
  const id = useId();
  const { appealedDecision, eligibilityDecision } = appeal;
  // The decision opened when there is one; what was recorded at the filing otherwise.
  const eligibility = eligibilityDecision ?? appealedDecision.eligibility;
  return (
    <>
      <div className="page-heading">
        <h1>
          {t.appealTitle} <code className="participant-id">{appeal.appealId}</code>
        </h1>
        <span data-testid="appeal-status">
          <AppealStatusBadge status={appeal.status} />
        </span>
      </div>
      <p className="notice" data-testid="access-log-note">
        {t.appealReadLogged} <span className="muted small">{t.accessLogEntry(appeal.accessLogEntryId)}</span>
      </p>
      <dl className="summary">
        <div>
          <dt>{t.appealedStage}</dt>
          <dd>{t.stages[appeal.appealedStage] ?? appeal.appealedStage}</dd>
        </div>
        <div>
          <dt>{t.participant}</dt>
          <dd>
            {may(session.role, 'GET /v1/participants/:id') ? (
              <Link to={`/participants/${appeal.participantId}`}>
                <code>{appeal.participantId}</code>
              </Link>
            ) : (
              <code>{appeal.participantId}</code>
            )}{' '}
            <span className="muted small">{t.participantNow(t.stages[appeal.participantStage] ?? appeal.participantStage)}</span>
          </dd>
        </div>
        <div>
          <dt>{t.appealFiled}</dt>
          <dd>{formatDateTime(appeal.filedAt)}</dd>
        </div>
        <div>
          <dt>{t.appealWindowEnds}</dt>
          <dd>{formatDateTime(appeal.windowEndsAt)}</dd>
        </div>
      </dl>
      <div className="appeal-grid">
        <section className="card" aria-labelledby={`${id}-statement`}>
          <h2 id={`${id}-statement`}>{t.appealStatementTitle}</h2>
          <blockquote className="statement" data-testid="appeal-statement">
            {appeal.statement ?? t.appealStatementErased}
          </blockquote>
          {appeal.identityCorrected && <p className="notice">{t.appealIdentityCorrected}</p>}
          <h3>{t.appealDocumentTitle}</h3>
          {appeal.document ? <AppealDocument appealId={appeal.appealId} document={appeal.document} /> : <p className="muted">{t.appealNoDocument}</p>}
        </section>
        <section className="card" aria-labelledby={`${id}-appealed`} data-testid="appealed-decision">
          <h2 id={`${id}-appealed`}>{t.appealedDecisionTitle}</h2>
          <dl className="summary">
            <div>
              <dt>{t.appealExitReason}</dt>
              <dd className="exit-reason">{appealedDecision.reason}</dd>
            </div>
            <div>
              <dt>{t.appealExitedAt}</dt>
              <dd>{formatDateTime(appealedDecision.exitedAt)}</dd>
            </div>
            <div>
              <dt>{t.appealExitRequestedBy}</dt>
              <dd>{appealedDecision.by ? <code>{appealedDecision.by}</code> : <span className="muted">{t.appealExitByJourney}</span>}</dd>
            </div>
          </dl>
          {eligibility ? <EligibilitySummary eligibility={eligibility} trigger={eligibilityDecision?.trigger} /> : <p className="muted">{t.appealNoEligibilityDecision}</p>}
        </section>
      </div>
      {eligibilityDecision && <DecisionExplanation decision={eligibilityDecision} />}
      <section className="card" aria-labelledby={`${id}-actors`} data-testid="decision-actors">
        <h2 id={`${id}-actors`}>{t.decisionActorsTitle}</h2>
        {appeal.decisionActors.length === 0 ? (
          <p className="muted">{t.noDecisionActors}</p>
        ) : (
          <ul>
            {appeal.decisionActors.map((actor) => (
              <li key={actor}>
                <code>{actor}</code> {session.name !== undefined && sameName(actor, session.name) && <Badge tone="warn">{t.you}</Badge>}
              </li>
            ))}
          </ul>
        )}
        <p className="muted small">{t.decisionActorsNote}</p>
      </section>
      {appeal.status !== 'OPEN' ? (
        <AppealDecided appeal={appeal} onReload={onReload} />
      ) : !may(session.role, 'POST /v1/appeals/:id/decision') ? (
        <p className="notice" data-testid="appeal-awaiting-decision">
          {t.appealAwaitingReviewer}
        </p>
      ) : tookPartInDecision(appeal, session.name) ? (
        <p className="notice warn" data-testid="own-decision">
          {t.ownDecisionExplained}
        </p>
      ) : (
        <DecisionForm appeal={appeal} onDecided={onDecided} onReload={onReload} />
      )}
    </>
  );
}

function EligibilitySummary({ eligibility, trigger }: { eligibility: RecordedEligibility; trigger: string | undefined }) {
  const { t, formatDateTime } = useI18n();
  const { session } = useSession();
  const version = t.decidedByVersion(eligibility.ruleSetVersion);
  return (
    <div data-testid="appeal-eligibility">
      <h3>{t.eligibilityTitle}</h3>
      <p>
        <Badge tone={eligibility.outcome === 'ELIGIBLE' ? 'good' : 'bad'}>{t.outcomes[eligibility.outcome]}</Badge>{' '}
        {/* Reviewers read the version's rules in the explanation below; the rules workspace is for the roles that may open it. */}
        {may(session.role, 'GET /v1/rule-sets/:id') ? <Link to={`/rules/${eligibility.ruleSetId}`}>{version}</Link> : <span>{version}</span>}
        <span className="muted small">
          {' '}
          · {t.evaluatedAt(formatDateTime(eligibility.evaluatedAt))}
          {trigger && ` · ${t.eligibilityTriggers[trigger] ?? trigger}`}
        </span>
      </p>
      <h4>{t.reasons}</h4>
      {eligibility.reasons.length === 0 ? (
        <p className="muted">{t.noReasons}</p>
      ) : (
        <ul className="reasons">
          {eligibility.reasons.map((reason) => (
            <li key={reason.code} data-testid="appeal-reason">
              <code>{reason.code}</code> {reason.message}
              <ReasonBasis reason={reason} />
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** The law a reason rests on and what the person read, as the version gave them (an older version may give neither). */
function ReasonBasis({ reason }: { reason: DecisionReason }) {
  const { t } = useI18n();
  if (reason.reference === undefined && reason.messages === undefined) return null;
  return (
    <dl className="legal-basis">
      {reason.reference !== undefined && (
        <>
          <dt>{t.legalReference}</dt>
          <dd>{reason.reference}</dd>
        </>
      )}
      {reason.messages !== undefined && (
        <>
          <dt>{t.participantMessages}</dt>
          <dd>
            <span lang="id">{reason.messages.id}</span>
            <br />
            <span lang="en">{reason.messages.en}</span>
          </dd>
        </>
      )}
    </dl>
  );
}

function DecisionExplanation({ decision }: { decision: EligibilityDecision }) {
  const { t } = useI18n();
  const id = useId();
  const answers: RegistryAnswers = decision.registryAnswers;
  return (
    <section className="card" aria-labelledby={`${id}-title`} data-testid="decision-explanation">
      <h2 id={`${id}-title`}>{t.appealExplanationTitle}</h2>
      {/* The program's calendar date (WIB) as it is: read as an instant it would shift a day west of Jakarta. */}
      <p className="muted">{t.appealExplanationIntro(decision.explanation.evaluationDate)}</p>
      <ExplainedRules explanation={decision.explanation} inWords />
      <h3>{t.registryAnswersTitle}</h3>
      <table data-testid="registry-answers">
        <thead>
          <tr>
            <th scope="col">{t.registry}</th>
            <th scope="col">{t.registryQuestion}</th>
            <th scope="col">{t.registryAnswer}</th>
          </tr>
        </thead>
        <tbody>
          {(Object.keys(REGISTRY_OF) as (keyof RegistryAnswers)[]).map((fact) => (
            <tr key={fact}>
              <th scope="row">{t.registries[REGISTRY_OF[fact]]}</th>
              <td>
                {t.ruleWords.facts[fact] ?? fact} <code className="small">{fact}</code>
              </td>
              <td>{answers[fact] === undefined ? <span className="muted">{t.none}</span> : formatValue(answers[fact])}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** The document, fetched with the signed-in key (a plain link would carry none), once per page: each fetch is an access-log entry. */
function AppealDocument({ appealId, document: appealDocument }: { appealId: string; document: NonNullable<AppealDetail['document']> }) {
  const { t } = useI18n();
  const { session } = useSession();
  const [fileUrl, setFileUrl] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => (fileUrl ? () => URL.revokeObjectURL(fileUrl) : undefined), [fileUrl]);

  const fetched = async (): Promise<string | null> => {
    if (fileUrl) return fileUrl;
    setBusy(true);
    setError(null);
    try {
      const url = URL.createObjectURL(await fetchApiFile(session, appealDocument.url));
      setFileUrl(url);
      return url;
    } catch (failure) {
      setError(failure);
      return null;
    } finally {
      setBusy(false);
    }
  };
  const open = async () => {
    const url = await fetched();
    if (!url) return;
    // Not 'noopener': a blob address opened so may show nothing. The file is the API's own (PDF, JPEG or PNG); it gets no handle on this page.
    const opened = window.open(url, '_blank');
    if (opened) opened.opener = null;
  };
  const download = async () => {
    const url = await fetched();
    if (!url) return;
    const link = document.createElement('a');
    link.href = url;
    link.download = documentFileName(appealId, appealDocument.contentType);
    link.click();
  };
  return (
    <div data-testid="appeal-document">
      <p>
        <span className="muted small">{appealDocument.contentType}</span>{' '}
        <button type="button" disabled={busy} onClick={() => void open()}>
          {t.openDocument}
        </button>{' '}
        <button type="button" disabled={busy} onClick={() => void download()}>
          {t.downloadDocument}
        </button>
      </p>
      {/* If the browser stopped the new tab as a pop-up, the file is still a click away. */}
      {fileUrl && (
        <p className="small">
          <a href={fileUrl} target="_blank" rel="noopener noreferrer">
            {t.documentFetched}
          </a>
        </p>
      )}
      <p className="muted small">{t.documentReadLogged}</p>
      {error !== null && <ErrorNotice error={error} />}
    </div>
  );
}

function DecisionForm({ appeal, onDecided, onReload }: { appeal: AppealDetail; onDecided: (appeal: AppealDetail) => void; onReload: () => void }) {
  const { t, formatDate } = useI18n();
  const { session } = useSession();
  const id = useId();
  const [form, setForm] = useState<AppealDecisionForm>(EMPTY_DECISION_FORM);
  const [problems, setProblems] = useState<DecisionProblems>({});
  const [asking, setAsking] = useState<AppealDecisionRequest | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const reasonBox = useRef<HTMLTextAreaElement>(null);
  const originalDecisionAt = appeal.eligibilityDecision?.evaluatedAt ?? appeal.appealedDecision.eligibility?.evaluatedAt ?? appeal.appealedDecision.exitedAt;
  const change = (patch: Partial<AppealDecisionForm>) => {
    setForm((current) => ({ ...current, ...patch }));
    setProblems({});
  };

  const review = (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    const checked = checkAppealDecision(form);
    if (checked.problems) {
      setProblems(checked.problems);
      if (checked.problems.reason) reasonBox.current?.focus();
      return;
    }
    setAsking(checked.request);
  };
  const decide = async () => {
    if (!asking) return;
    setBusy(true);
    setError(null);
    try {
      const decided = (await callApi<AppealDetail>(session, 'POST', `/v1/appeals/${encodeURIComponent(appeal.appealId)}/decision`, { body: asking })).body;
      setAsking(null);
      onDecided(decided);
    } catch (failure) {
      setAsking(null);
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  const problemText = (field: keyof AppealDecisionForm) => {
    const problem = problems[field];
    return problem ? t.decisionProblem(field, problem) : undefined;
  };
  const problemNote = (field: keyof AppealDecisionForm) =>
    problemText(field) && (
      <p id={`${id}-${field}-problem`} className="field-problem">
        {problemText(field)}
      </p>
    );
  return (
    <section className="card" aria-labelledby={`${id}-title`} data-testid="appeal-decision-form">
      <h2 id={`${id}-title`}>{t.decideAppealTitle}</h2>
      <p className="muted">{t.decideAppealIntro}</p>
      <form className="stacked-form decision-form" onSubmit={review} noValidate>
        <fieldset aria-describedby={problems.outcome ? `${id}-outcome-problem` : undefined}>
          <legend>{t.appealOutcomeLegend}</legend>
          <label className="checkbox">
            <input type="radio" name={`${id}-outcome`} checked={form.outcome === 'UPHELD'} onChange={() => change({ outcome: 'UPHELD' })} /> {t.upholdOption}
          </label>
          <label className="checkbox">
            <input type="radio" name={`${id}-outcome`} checked={form.outcome === 'OVERTURNED'} onChange={() => change({ outcome: 'OVERTURNED' })} /> {t.overturnOption}
          </label>
          {problemNote('outcome')}
        </fieldset>
        {form.outcome === 'OVERTURNED' && (
          <fieldset aria-describedby={problems.rulesBasis ? `${id}-rulesBasis-problem` : undefined}>
            <legend>{t.rulesBasisLegend}</legend>
            {APPEAL_RULES_BASES.map((basis) => (
              <label key={basis} className="checkbox">
                <input type="radio" name={`${id}-basis`} checked={form.rulesBasis === basis} onChange={() => change({ rulesBasis: basis })} />{' '}
                {basis === 'ORIGINAL_DECISION_DATE' ? t.rulesBasisOriginal(formatDate(originalDecisionAt)) : t.rulesBasisToday}
              </label>
            ))}
            {problemNote('rulesBasis')}
          </fieldset>
        )}
        <label htmlFor={`${id}-reason`}>{t.decisionReasonLabel}</label>
        <textarea
          id={`${id}-reason`}
          ref={reasonBox}
          rows={4}
          maxLength={MAX_DECISION_REASON}
          value={form.reason}
          aria-invalid={problems.reason ? true : undefined}
          aria-describedby={`${id}-reason-hint${problems.reason ? ` ${id}-reason-problem` : ''}`}
          onChange={(event) => change({ reason: event.target.value })}
        />
        <p id={`${id}-reason-hint`} className="muted small">
          {t.decisionReasonHint}
        </p>
        {problemNote('reason')}
        <div className="actions">
          <button type="submit" className="primary" disabled={busy}>
            {t.decideAppeal}
          </button>
        </div>
      </form>
      {error !== null && <DecisionError error={error} onReload={onReload} />}
      <ConfirmDialog
        open={asking !== null}
        title={asking?.outcome === 'OVERTURNED' ? t.confirmOverturnTitle : t.confirmUpholdTitle}
        confirmLabel={asking?.outcome === 'OVERTURNED' ? t.overturn : t.uphold}
        busy={busy}
        busyLabel={t.deciding}
        onConfirm={() => void decide()}
        onCancel={() => setAsking(null)}
      >
        {asking && (
          <>
            <p>{asking.outcome === 'OVERTURNED' ? t.confirmOverturnText : t.confirmUpholdText}</p>
            {asking.rulesBasis && <p>{asking.rulesBasis === 'ORIGINAL_DECISION_DATE' ? t.rulesBasisOriginal(formatDate(originalDecisionAt)) : t.rulesBasisToday}</p>}
            <p>{t.reasonSentToParticipant}</p>
            <blockquote className="statement">{asking.reason}</blockquote>
          </>
        )}
      </ConfirmDialog>
    </section>
  );
}

/** The refusals a reviewer can meet, in words, with the API's code; anything else as every screen shows it. */
function DecisionError({ error, onReload }: { error: unknown; onReload: () => void }) {
  const { t } = useI18n();
  if (!(error instanceof ApiError) || (error.code !== 'OWN_DECISION' && error.code !== 'APPEAL_NOT_OPEN')) return <ErrorNotice error={error} />;
  return (
    <div className="notice error" role="alert" data-testid="decision-refused">
      <p>
        <strong>
          <code>{error.code}</code>
        </strong>{' '}
        {error.code === 'OWN_DECISION' ? t.ownDecisionExplained : t.appealNotOpenExplained}
      </p>
      {error.requestId && (
        <p className="muted small">
          {t.requestId}: <code>{error.requestId}</code>
        </p>
      )}
      {error.code === 'APPEAL_NOT_OPEN' && (
        <button type="button" onClick={onReload}>
          {t.showCurrentState}
        </button>
      )}
    </div>
  );
}

function AppealDecided({ appeal, onReload }: { appeal: AppealDetail; onReload: () => void }) {
  const { t, formatDateTime } = useI18n();
  const { session } = useSession();
  const id = useId();
  return (
    <section className="card" aria-labelledby={`${id}-title`} data-testid="appeal-decision">
      <h2 id={`${id}-title`}>{t.appealDecisionTitle}</h2>
      <p>
        <AppealStatusBadge status={appeal.status} /> {appeal.status === 'UPHELD' ? t.upheldMeans : t.overturnedMeans}
      </p>
      <dl className="summary">
        <div>
          <dt>{t.decidedBy}</dt>
          <dd>{appeal.decidedBy ? <code>{appeal.decidedBy}</code> : t.none}</dd>
        </div>
        <div>
          <dt>{t.decidedAt}</dt>
          <dd>{formatDateTime(appeal.decidedAt)}</dd>
        </div>
        {appeal.rulesBasis && (
          <div>
            <dt>{t.rulesBasisLegend}</dt>
            <dd>{t.rulesBases[appeal.rulesBasis]}</dd>
          </div>
        )}
        {appeal.status === 'OVERTURNED' && (
          <div>
            <dt>{t.appealResult}</dt>
            <dd data-testid="appeal-result">
              {appeal.result ? (
                <>
                  <AppealResultBadge result={appeal.result} /> <span className="muted small">{formatDateTime(appeal.resultAt)}</span>
                </>
              ) : (
                <>
                  <span className="muted">{t.appealRecheckPending}</span>{' '}
                  <button type="button" className="small" onClick={onReload}>
                    {t.checkAgain}
                  </button>
                </>
              )}
            </dd>
          </div>
        )}
      </dl>
      <h3>{t.decisionReasonTitle}</h3>
      <blockquote className="statement" data-testid="decision-reason">
        {appeal.decisionReason}
      </blockquote>
      {may(session.role, 'GET /v1/participants/:id') && (
        <p>
          <Link to={`/participants/${appeal.participantId}`}>{t.openParticipant}</Link>
        </p>
      )}
    </section>
  );
}
