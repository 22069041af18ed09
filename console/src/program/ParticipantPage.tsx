// One participant for an operator: who (masked personal data), where they stand, their appeal (or until when they may
// appeal), the path so far, the eligibility decision with its reasons, their wave, training and payments, their workflow
// in the Temporal UI, and the operator actions on them.
import { Fragment } from 'react';
import type { ParticipantView } from '../../../api/participants/participant.schema';
import { AppealResultBadge, AppealStatusBadge } from '../appeals/AppealBadges';
import { may } from '../shared/access';
import { callApi } from '../shared/api';
import { Badge, Loaded } from '../shared/feedback';
import { useI18n } from '../shared/i18n';
import { Link } from '../shared/router';
import { useSession } from '../shared/session-context';
import { useRequest } from '../shared/use-request';
import { OperatorActions } from './OperatorActions';
import { appealStanding, hasLeftProgram, type ParticipantAppeal } from './participant-appeal';
import { ProgramTermsText } from './ProgramTerms';
import { appealOnTimeline, stageTimeline, type AppealOnTimeline } from './stage-timeline';

export function temporalWorkflowUrl(temporalUiUrl: string, namespace: string, participantId: string): string {
  return `${temporalUiUrl}/namespaces/${encodeURIComponent(namespace)}/workflows/${encodeURIComponent(`participant-${participantId}`)}`;
}

export function ParticipantPage({ participantId }: { participantId: string }) {
  const { t } = useI18n();
  const { session } = useSession();
  const participant = useRequest(
    async (signal) => (await callApi<ParticipantView>(session, 'GET', `/v1/participants/${encodeURIComponent(participantId)}`, { signal })).body,
    [participantId, session.key],
  );
  return (
    <>
      <p>
        <Link to="/program">← {t.backToProgram}</Link>
      </p>
      <Loaded request={participant}>{(loaded) => <ParticipantDetails participant={loaded} />}</Loaded>
      {may(session.role, 'GET /v1/participants/:id/audit-trail') && <OperatorActions participantId={participantId} onActionDone={participant.reload} />}
    </>
  );
}

function ParticipantDetails({ participant }: { participant: ParticipantView }) {
  const { t, language, formatDateTime, formatRupiah, formatNumber } = useI18n();
  const { config } = useSession();
  const workflowId = `participant-${participant.participantId}`;
  const exited = hasLeftProgram(participant);
  const { eligibility, exit, wave, training } = participant;
  const standing = appealStanding(participant);
  const steps = stageTimeline(participant);
  const appealEvent = appealOnTimeline(participant, steps);
  return (
    <>
      <div className="page-heading">
        <h1>
          {t.participantTitle} <code className="participant-id">{participant.participantId}</code>
        </h1>
      </div>
      <dl className="summary">
        <div>
          <dt>{t.stage}</dt>
          <dd data-testid="participant-stage">
            <Badge tone={exited ? 'bad' : participant.stage === 'COMPLETED' ? 'good' : 'info'}>{t.stages[participant.stage] ?? participant.stage}</Badge>{' '}
            <span className="muted small">{t.since(formatDateTime(participant.stageChangedAt))}</span>
          </dd>
        </div>
        <div>
          <dt>{t.workflowId}</dt>
          <dd>
            <a className="button" href={temporalWorkflowUrl(config.temporalUiUrl, config.temporalNamespace, participant.participantId)} target="_blank" rel="noopener noreferrer">
              {t.temporalLink} ↗
            </a>{' '}
            <code className="small">{workflowId}</code>
          </dd>
        </div>
        {standing.kind !== 'none' && (
          <div>
            <dt>{t.appeal}</dt>
            <dd data-testid="participant-appeal">
              {standing.kind === 'appealed' ? (
                <AppealState appeal={standing.appeal} />
              ) : standing.windowOpen ? (
                t.mayAppealUntil(formatDateTime(standing.until))
              ) : (
                <span className="muted">{t.appealWindowClosed(formatDateTime(standing.until))}</span>
              )}
            </dd>
          </div>
        )}
        {participant.personalData !== undefined && (
          <div>
            <dt>{t.personalDataMasked}</dt>
            <dd data-testid="participant-personal-data">
              {participant.personalData === null ? (
                <span className="muted">{t.personalDataErased}</span>
              ) : (
                <>
                  <code>{participant.personalData.nik}</code> · {participant.personalData.fullName} · {participant.personalData.dateOfBirth}
                  <br />
                  <span className="small">
                    {participant.personalData.email} · {participant.personalData.phone} ·{' '}
                    {participant.personalData.payoutAccount
                      ? `${participant.personalData.payoutAccount.provider} ${participant.personalData.payoutAccount.accountNumber}`
                      : t.noPayoutAccount}
                  </span>
                </>
              )}
            </dd>
          </div>
        )}
      </dl>
      {participant.source === 'registration' && <p className="notice warn">{t.onlyRegistration}</p>}
      <div className="participant-grid">
        <section className="card" aria-labelledby="timeline-title">
          <h2 id="timeline-title">{t.timeline}</h2>
          <ol className="stage-timeline" data-testid="stage-timeline">
            {steps.map((step) => (
              <Fragment key={step.key}>
                {appealEvent?.beforeStep === step.key && <AppealTimelineEvent event={appealEvent} />}
                <li className={`step ${step.state}`}>
                  <span className="marker" aria-hidden="true" />
                  <span className="step-name">{t.timelineSteps[step.key]}</span>
                  {step.progress !== undefined && <span className="muted small"> ({formatNumber(step.progress)})</span>}
                  <span className="visually-hidden">: {t.stepStates[step.state]}</span>
                  {step.state === 'current' && <Badge tone="info">{t.stepStates.current}</Badge>}
                  {step.at && <span className="muted small step-time">{formatDateTime(step.at)}</span>}
                </li>
              </Fragment>
            ))}
            {exit && (
              <li className="step exit">
                <span className="marker" aria-hidden="true" />
                <span className="step-name">
                  {t.leftProgram}: {t.stages[participant.stage] ?? participant.stage}
                </span>
                <span className="muted small step-time">
                  {formatDateTime(exit.at)}
                  {exit.by ? ` · ${t.exitBy(exit.by)}` : ''}
                </span>
                <span className="exit-reason">{exit.reason}</span>
                {exit.repayment && <span className="exit-reason">{t.repayment(formatRupiah(exit.repayment.amount), formatDateTime(exit.repayment.dueAt))}</span>}
              </li>
            )}
            {appealEvent?.beforeStep === null && <AppealTimelineEvent event={appealEvent} />}
          </ol>
        </section>
        <section className="card" aria-labelledby="eligibility-title" data-testid="eligibility">
          <h2 id="eligibility-title">{t.eligibilityTitle}</h2>
          {eligibility ? (
            <>
              <p>
                <Badge tone={eligibility.outcome === 'ELIGIBLE' ? 'good' : 'bad'}>{t.outcomes[eligibility.outcome]}</Badge>{' '}
                <Link to={`/rules/${eligibility.ruleSetId}`}>{t.decidedByVersion(eligibility.ruleSetVersion)}</Link>
                {eligibility.evaluatedAt && <span className="muted small"> · {t.evaluatedAt(formatDateTime(eligibility.evaluatedAt))}</span>}
              </p>
              <h3>{t.reasons}</h3>
              {eligibility.reasons.length === 0 ? (
                <p className="muted">{t.noReasons}</p>
              ) : (
                <ul className="reasons">
                  {eligibility.reasons.map((reason) => (
                    <li key={reason.code} data-testid="eligibility-reason">
                      <code>{reason.code}</code> {reason.messages?.[language] ?? reason.message}
                      {reason.reference && <span className="muted small reference">{t.basedOn(reason.reference)}</span>}
                    </li>
                  ))}
                </ul>
              )}
            </>
          ) : (
            <p className="muted">{t.notDecidedYet}</p>
          )}
          <h3>{t.wave}</h3>
          <p>{wave ? `${t.waveNumber(wave.number)} · ${t.waveOutcomes[wave.outcome] ?? wave.outcome}` : t.noWave}</p>
          <h3>{t.termsTitle}</h3>
          <p data-testid="participant-terms">{participant.terms ? <ProgramTermsText terms={participant.terms} /> : <span className="muted">{t.termsNotYet}</span>}</p>
          <h3>{t.trainingTitle}</h3>
          <p>
            {training ? t.trainingCourse(training.platformId, training.courseId) : t.noTraining} · {t.trainingBalance}: {formatRupiah(participant.trainingBalance)}
          </p>
          <h3>{t.payoutAccount}</h3>
          <p>
            {participant.payout.hasAccount ? t.yes : t.no}
            {participant.payout.blocked && ` · ${t.payoutBlocked(participant.payout.blocked)}`}
          </p>
        </section>
        <section className="card" aria-labelledby="payments-title">
          <h2 id="payments-title">{t.payments}</h2>
          {participant.payments.length === 0 ? (
            <p className="muted">{t.noPayments}</p>
          ) : (
            <table>
              <thead>
                <tr>
                  <th scope="col">{t.payments}</th>
                  <th scope="col">{t.amount}</th>
                  <th scope="col">{t.paidAt}</th>
                </tr>
              </thead>
              <tbody>
                {participant.payments.map((payment) => (
                  <tr key={`${payment.kind}-${payment.sequence}`}>
                    <th scope="row">{t.paymentNumber(t.paymentKinds[payment.kind] ?? payment.kind, payment.sequence)}</th>
                    <td>{formatRupiah(payment.amount)}</td>
                    <td>{formatDateTime(payment.paidAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {participant.surveys.length > 0 && (
            <>
              <h3>{t.surveysTitle}</h3>
              <ul>
                {participant.surveys.map((survey) => (
                  <li key={survey.sequence}>
                    {t.survey(survey.sequence)}: {t.surveyStatuses[survey.status] ?? survey.status}
                  </li>
                ))}
              </ul>
            </>
          )}
        </section>
      </div>
    </>
  );
}

/** The appeal of the way out: its status and result, when it was filed and decided, by whom, under which rules; the appeal itself for the roles that read appeals. */
function AppealState({ appeal }: { appeal: ParticipantAppeal }) {
  const { t, formatDateTime } = useI18n();
  const { session } = useSession();
  const details = [
    t.appealFiledOn(formatDateTime(appeal.filedAt)),
    appeal.status === 'OPEN' ? t.appealAwaitingReviewer : t.appealDecidedByAt(appeal.decidedBy ?? t.aReviewer, formatDateTime(appeal.decidedAt)),
    appeal.rulesBasis ? t.appealDecidedAgainUnder(t.rulesBasisWords[appeal.rulesBasis]) : undefined,
    appeal.status === 'OVERTURNED' && appeal.result === null ? t.appealRecheckPending : undefined,
  ].filter(Boolean);
  return (
    <>
      <AppealStatusBadge status={appeal.status} /> {appeal.result && <AppealResultBadge result={appeal.result} />}{' '}
      <span className="muted small">({t.stages[appeal.appealedStage] ?? appeal.appealedStage})</span>
      <br />
      <span className="small">{details.join(' · ')}</span>
      {may(session.role, 'GET /v1/appeals/:id') && (
        <>
          <br />
          <Link to={`/appeals/${appeal.appealId}`}>{t.openAppeal(appeal.appealId.slice(0, 8))}</Link>
        </>
      )}
    </>
  );
}

function AppealTimelineEvent({ event }: { event: AppealOnTimeline }) {
  const { t, formatDateTime } = useI18n();
  return (
    <li className="step appeal-event" data-testid="timeline-appeal">
      <span className="marker" aria-hidden="true" />
      <span className="step-name">{t.appeal}</span>
      <AppealStatusBadge status={event.appeal.status} />
      {event.appeal.result && <AppealResultBadge result={event.appeal.result} />}
      <span className="muted small step-time">{formatDateTime(event.at)}</span>
    </li>
  );
}
