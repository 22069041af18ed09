// One participant for an operator: who (masked personal data), where they stand, the path so far, the eligibility decision
// with its reasons, their wave, training and payments, their workflow in the Temporal UI, and the operator actions on them.
import type { ParticipantView } from '../../../api/participants/participant.schema';
import { may } from '../shared/access';
import { callApi } from '../shared/api';
import { Badge, Loaded } from '../shared/feedback';
import { useI18n } from '../shared/i18n';
import { Link } from '../shared/router';
import { useSession } from '../shared/session-context';
import { useRequest } from '../shared/use-request';
import { OperatorActions } from './OperatorActions';
import { ProgramTermsText } from './ProgramTerms';
import { stageTimeline } from './stage-timeline';

const EXIT_STAGES = new Set(['EXPIRED', 'REJECTED', 'INELIGIBLE', 'REVOKED', 'WITHDRAWN', 'CANCELLED']);

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
  const exited = EXIT_STAGES.has(participant.stage);
  const { eligibility, exit, wave, training } = participant;
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
            {stageTimeline(participant).map((step) => (
              <li key={step.key} className={`step ${step.state}`}>
                <span className="marker" aria-hidden="true" />
                <span className="step-name">{t.timelineSteps[step.key]}</span>
                {step.progress !== undefined && <span className="muted small"> ({formatNumber(step.progress)})</span>}
                <span className="visually-hidden">: {t.stepStates[step.state]}</span>
                {step.state === 'current' && <Badge tone="info">{t.stepStates.current}</Badge>}
                {step.at && <span className="muted small step-time">{formatDateTime(step.at)}</span>}
              </li>
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
