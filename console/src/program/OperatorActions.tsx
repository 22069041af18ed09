// A participant's operator actions: the audit trail (who, when, why, the journey before and after;
// between them, the steps of the participant's appeals, in words), the notices sent to them and,
// for the roles allowed, the actions themselves, each with its reason.
import { useState } from 'react';
import type { AppealStepView, AuditTrail, JourneySnapshot, ParticipantNotices, ResetStep } from '../../../api/participants/participant.schema';
import type { ExtendableDeadline } from '../../../workflows/participant-journey.definitions';
import { may } from '../shared/access';
import { callApi } from '../shared/api';
import { Badge, ErrorNotice, Loaded } from '../shared/feedback';
import { useI18n } from '../shared/i18n';
import { Link } from '../shared/router';
import { useSession } from '../shared/session-context';
import { useRequest } from '../shared/use-request';
import { auditTrailEntries, describeAppealStep } from './audit-trail-entries';
import { NoticeResend, NoticesTable } from './ParticipantNotices';

const ACTION_ROUTES = {
  cancellation: 'POST /v1/participants/:id/cancellation',
  'verification-email-resends': 'POST /v1/participants/:id/verification-email-resends',
  'payout-retries': 'POST /v1/participants/:id/payout-retries',
} as const;
type ActionPath = keyof typeof ACTION_ROUTES;
// Listed here by type only (a value import would bundle the workflow SDK): the compiler checks every one is here.
const DEADLINES = Object.keys({ EMAIL_VERIFICATION: 1, IDENTITY_CORRECTION: 1, TRAINING_PURCHASE: 1, SURVEY: 1 } satisfies Record<ExtendableDeadline, 1>) as ExtendableDeadline[];
const RESET_STEPS = Object.keys({ EMAIL_VERIFICATION: 1, IDENTITY: 1, ELIGIBILITY: 1, WAVE: 1, TRAINING: 1, PAYMENTS: 1, SURVEYS: 1 } satisfies Record<ResetStep, 1>) as ResetStep[];
const EXTEND_ROUTE = 'POST /v1/participants/:id/deadline-extensions';
const RESET_ROUTE = 'POST /v1/participants/:id/resets';
const RESEND_NOTICE_ROUTE = 'POST /v1/participants/:id/notice-resends';

/** A whole number is days (what a help desk is asked for); anything else is sent as an ISO duration for the API to check. */
const extensionOf = (typed: string): string | number => (/^\d+$/.test(typed.trim()) ? Number(typed.trim()) : typed.trim());

export function OperatorActions({ participantId, onActionDone }: { participantId: string; onActionDone: () => void }) {
  const { t, formatDateTime } = useI18n();
  const { session } = useSession();
  const trail = useRequest(
    async (signal) => (await callApi<AuditTrail>(session, 'GET', `/v1/participants/${encodeURIComponent(participantId)}/audit-trail`, { signal })).body,
    [participantId, session.key],
  );
  const notices = useRequest(
    async (signal) => (await callApi<ParticipantNotices>(session, 'GET', `/v1/participants/${encodeURIComponent(participantId)}/notices`, { signal })).body,
    [participantId, session.key],
  );
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [deadline, setDeadline] = useState<ExtendableDeadline>('EMAIL_VERIFICATION');
  const [extension, setExtension] = useState('1');
  const [step, setStep] = useState<ResetStep>('ELIGIBILITY');
  const allowedActions = (Object.keys(ACTION_ROUTES) as ActionPath[]).filter((path) => may(session.role, ACTION_ROUTES[path]));
  const mayExtend = may(session.role, EXTEND_ROUTE);
  const mayReset = may(session.role, RESET_ROUTE);
  const mayResendNotice = may(session.role, RESEND_NOTICE_ROUTE);

  /** Whether the API accepted the action; a refusal is shown below the actions. */
  const act = async (path: ActionPath | 'deadline-extensions' | 'resets' | 'notice-resends', details: Record<string, unknown> = {}): Promise<boolean> => {
    setError(null);
    setBusy(true);
    try {
      await callApi(session, 'POST', `/v1/participants/${encodeURIComponent(participantId)}/${path}`, { body: { ...details, reason } });
      setReason('');
      onActionDone();
      return true;
    } catch (failure) {
      setError(failure);
      return false;
    } finally {
      setBusy(false);
      trail.reload();
      notices.reload();
    }
  };
  const snapshot = (value: JourneySnapshot | null) =>
    value
      ? [
          t.stages[value.stage] ?? value.stage,
          value.payoutBlocked ? t.payoutBlocked(value.payoutBlocked) : undefined,
          value.deadline ? `${t.deadlineNames[value.deadline.name] ?? value.deadline.name}: ${value.deadline.at ? formatDateTime(value.deadline.at) : t.none}` : undefined,
          value.runId ? t.run(value.runId) : undefined,
          value.notice ? t.noticeOfMilestone(value.notice.milestone) : undefined,
        ]
          .filter(Boolean)
          .join(' · ')
      : t.none;

  return (
    <section className="card" aria-labelledby="operator-actions-title" data-testid="operator-actions">
      <h2 id="operator-actions-title">{t.operatorActionsTitle}</h2>
      {allowedActions.length > 0 && (
        <div className="operator-action-form">
          <label>
            {t.operatorActionReason} <input type="text" value={reason} onChange={(event) => setReason(event.target.value)} data-testid="operator-action-reason" />
          </label>{' '}
          {allowedActions.map((path) => (
            <button key={path} type="button" disabled={busy} onClick={() => void act(path)}>
              {t.operatorActionButtons[path]}
            </button>
          ))}
          {mayExtend && (
            <fieldset data-testid="deadline-extension">
              <legend>{t.deadlineExtensionTitle}</legend>
              <label>
                {t.deadlineName}{' '}
                <select value={deadline} onChange={(event) => setDeadline(event.target.value as ExtendableDeadline)}>
                  {DEADLINES.map((name) => (
                    <option key={name} value={name}>
                      {t.deadlineNames[name] ?? name}
                    </option>
                  ))}
                </select>
              </label>{' '}
              <label>
                {t.deadlineExtension} <input type="text" value={extension} onChange={(event) => setExtension(event.target.value)} />
              </label>{' '}
              <button type="button" disabled={busy} onClick={() => void act('deadline-extensions', { deadline, extension: extensionOf(extension) })}>
                {t.extendDeadline}
              </button>
            </fieldset>
          )}
          {mayReset && (
            <fieldset data-testid="journey-reset">
              <legend>{t.resetTitle}</legend>
              <p className="muted small">{t.resetWarning}</p>
              <label>
                {t.resetStep}{' '}
                <select value={step} onChange={(event) => setStep(event.target.value as ResetStep)}>
                  {RESET_STEPS.map((name) => (
                    <option key={name} value={name}>
                      {t.resetSteps[name] ?? name}
                    </option>
                  ))}
                </select>
              </label>{' '}
              <button type="button" disabled={busy} onClick={() => void act('resets', { step })}>
                {t.resetJourney}
              </button>
            </fieldset>
          )}
          {mayResendNotice && notices.data && (
            <NoticeResend notices={notices.data.notices} reason={reason} busy={busy} resend={(milestone) => act('notice-resends', { milestone })} />
          )}
          {error !== null && <ErrorNotice error={error} />}
        </div>
      )}
      <NoticesTable notices={notices} />
      <h3>{t.auditTrailTitle}</h3>
      <Loaded request={trail}>
        {(loaded) =>
          loaded.actions.length === 0 && loaded.appealSteps.length === 0 ? (
            <p className="muted">{t.noOperatorActions}</p>
          ) : (
            <div className="table-scroll">
              <table data-testid="audit-trail">
                <thead>
                  <tr>
                    <th scope="col">{t.operatorActionWhen}</th>
                    <th scope="col">{t.operatorActionKind}</th>
                    <th scope="col">{t.operatorActionWho}</th>
                    <th scope="col">{t.operatorActionReason}</th>
                    <th scope="col">{t.operatorActionOutcome}</th>
                    <th scope="col">{t.operatorActionBefore}</th>
                    <th scope="col">{t.operatorActionAfter}</th>
                  </tr>
                </thead>
                <tbody>
                  {auditTrailEntries(loaded).map((entry) => {
                    if (entry.kind === 'appealStep') return <AppealStepRow key={`${entry.step.appealId}-${entry.step.step}`} step={entry.step} />;
                    const { action } = entry;
                    return (
                      <tr key={action.actionId}>
                        <td>{formatDateTime(action.requestedAt)}</td>
                        <th scope="row">{t.operatorActionKinds[action.kind]}</th>
                        <td>
                          {action.actor} <span className="muted small">({action.actorRole})</span>
                        </td>
                        <td>{action.reason}</td>
                        <td>
                          <Badge tone={action.outcome === 'DONE' ? 'good' : action.outcome === 'REFUSED' ? 'bad' : 'warn'}>{t.operatorActionOutcomes[action.outcome]}</Badge>
                          {action.refusalCode && <code className="small"> {action.refusalCode}</code>}
                        </td>
                        <td className="small">{snapshot(action.before)}</td>
                        <td className="small">{snapshot(action.after)}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          )
        }
      </Loaded>
    </section>
  );
}

/** An appeal's step among the operator actions: who, and what happened, in words; the appeal itself for the roles that read appeals. */
function AppealStepRow({ step }: { step: AppealStepView }) {
  const { t, formatDateTime } = useI18n();
  const { session } = useSession();
  return (
    <tr className="appeal-step" data-testid="audit-appeal-step">
      <td>{formatDateTime(step.at)}</td>
      <th scope="row">
        {t.appealStepKinds[step.step]}
        {step.step === 'FILED' && may(session.role, 'GET /v1/appeals/:id') && (
          <>
            {' '}
            <Link to={`/appeals/${step.appealId}`} className="small">
              {t.openAppeal(step.appealId.slice(0, 8))}
            </Link>
          </>
        )}
      </th>
      <td>
        {step.step === 'DECIDED' ? (
          <>
            {step.actor ?? t.aReviewer} <span className="muted small">({t.reviewerRole})</span>
          </>
        ) : (
          <span className="muted">{step.step === 'FILED' ? t.theParticipant : t.theJourney}</span>
        )}
      </td>
      <td colSpan={4}>{describeAppealStep(step, t)}</td>
    </tr>
  );
}
