// "Impact": the simulation of this version over the stored population, as counts and charts by
// reason and by province. Until the simulator is deployed the API answers 503 and this says so.
import { useCallback, useId, useState } from 'react';
import type { RuleSetView } from '../../../api/rule-sets/rule-set.schema';
import { ApiError, callApi } from '../shared/api';
import { todayInWib } from '../shared/dates';
import { ErrorNotice } from '../shared/feedback';
import { HorizontalBars } from '../shared/HorizontalBars';
import { useI18n } from '../shared/i18n';
import { useSession } from '../shared/session-context';
import { readSimulationReport, type SimulationReport } from './simulation-report';

export type ImpactState =
  | { state: 'idle' }
  | { state: 'running' }
  | { state: 'unavailable' }
  | { state: 'failed'; error: unknown }
  | { state: 'done'; report: SimulationReport | undefined; raw: unknown };

const CHART_ROWS = 15;
const BAD = '#b42318';
const GOOD = '#067647';

export function useImpact(ruleSetId: string) {
  const { session } = useSession();
  const [impact, setImpact] = useState<ImpactState>({ state: 'idle' });
  const run = useCallback(
    async (evaluationDate: string) => {
      setImpact({ state: 'running' });
      try {
        const answer = await callApi<unknown>(session, 'POST', `/v1/rule-sets/${ruleSetId}/simulate`, { body: { evaluationDate } });
        setImpact({ state: 'done', report: readSimulationReport(answer.body), raw: answer.body });
      } catch (error) {
        setImpact(error instanceof ApiError && error.status === 503 ? { state: 'unavailable' } : { state: 'failed', error });
      }
    },
    [ruleSetId, session],
  );
  return { impact, run };
}

export function Impact({ ruleSet, dirty }: { ruleSet: RuleSetView; dirty: boolean }) {
  const { t } = useI18n();
  const id = useId();
  const [evaluationDate, setEvaluationDate] = useState(todayInWib);
  const { impact, run } = useImpact(ruleSet.id);
  return (
    <section aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>{t.impactTitle}</h3>
      <p className="muted">{t.impactIntro}</p>
      {dirty && <p className="notice warn">{t.usesSavedRevision(ruleSet.revision)}</p>}
      <form
        className="inline-form"
        onSubmit={(event) => {
          event.preventDefault();
          void run(evaluationDate);
        }}
      >
        <label htmlFor={`${id}-date`}>{t.evaluationDate}</label>
        <input id={`${id}-date`} type="date" required value={evaluationDate} onChange={(event) => setEvaluationDate(event.target.value)} />
        <button type="submit" className="primary" disabled={impact.state === 'running'}>
          {impact.state === 'running' ? t.running : t.runImpact}
        </button>
      </form>
      <ImpactResult impact={impact} />
    </section>
  );
}

export function ImpactResult({ impact, compact = false }: { impact: ImpactState; compact?: boolean }) {
  const { t } = useI18n();
  return (
    <div aria-live="polite" data-testid="impact-result">
      {impact.state === 'running' && (
        <p className="muted" role="status">
          {t.running}
        </p>
      )}
      {impact.state === 'unavailable' && (
        <p className="notice warn" data-testid="simulation-unavailable">
          {t.simulationUnavailable}
        </p>
      )}
      {impact.state === 'failed' && <ErrorNotice error={impact.error} />}
      {impact.state === 'done' && <ImpactReport report={impact.report} raw={impact.raw} compact={compact} />}
    </div>
  );
}

function ImpactReport({ report, raw, compact }: { report: SimulationReport | undefined; raw: unknown; compact: boolean }) {
  const { t, formatNumber, formatRupiah } = useI18n();
  const changeLabels: Record<string, string> = { becameEligible: t.becameEligible, becameIneligible: t.becameIneligible, priorityChanged: t.priorityChanged, reasonsChanged: t.reasonsChanged };
  const changeLabel = (change: string | undefined) => (change ? (changeLabels[change] ?? change) : t.none);
  const changed = report?.changed;
  const figures: Array<[string, number | undefined]> = [
    [t.participants, report?.participants],
    [t.unchanged, report?.unchanged],
    [t.changed, changed?.total],
    [t.becameEligible, changed?.becameEligible],
    [t.becameIneligible, changed?.becameIneligible],
    [t.priorityChanged, changed?.priorityChanged],
    [t.reasonsChanged, changed?.reasonsChanged],
  ];
  const reasons = (report?.byReason ?? [])
    .filter((reason) => reason.newlyFailing + reason.noLongerFailing > 0)
    .slice(0, CHART_ROWS)
    .map((reason) => ({ name: reason.code, newlyFailing: reason.newlyFailing, noLongerFailing: reason.noLongerFailing }));
  const provinces = (report?.byProvince ?? [])
    .filter((province) => province.becameEligible + province.becameIneligible > 0)
    .sort((a, b) => b.becameEligible + b.becameIneligible - (a.becameEligible + a.becameIneligible))
    .slice(0, CHART_ROWS)
    .map((province) => ({ name: province.province, becameIneligible: province.becameIneligible, becameEligible: province.becameEligible }));
  return (
    <div className="impact-report" data-testid="impact-report">
      {report?.baseline ? <p>{t.comparedWith(report.baseline.name, report.baseline.version)}</p> : report?.baseline === null && <p className="notice warn">{t.noBaseline}</p>}
      <dl className="figures">
        {figures
          .filter((figure): figure is [string, number] => figure[1] !== undefined)
          .map(([label, value]) => (
            <div key={label}>
              <dt>{label}</dt>
              <dd>{formatNumber(value)}</dd>
            </div>
          ))}
      </dl>
      {changed?.total === 0 && <p>{t.noChanges}</p>}
      {report?.committedMoney && changed?.total !== 0 && (
        <p data-testid="committed-money">
          {t.committedMoney(formatRupiah(report.committedMoney.newlyCommitted), formatRupiah(report.committedMoney.released), formatRupiah(report.committedMoney.netChange), formatRupiah(report.committedMoney.perParticipant))}
        </p>
      )}
      {reasons.length > 0 && (
        <HorizontalBars
          title={t.byReason}
          tableHeading={t.reasonCode}
          rows={reasons}
          series={[
            { key: 'newlyFailing', label: t.newlyFailing, color: BAD },
            { key: 'noLongerFailing', label: t.noLongerFailing, color: GOOD },
          ]}
        />
      )}
      {!compact && provinces.length > 0 && (
        <HorizontalBars
          title={t.byProvince}
          tableHeading={t.province}
          rows={provinces}
          series={[
            { key: 'becameIneligible', label: t.becameIneligible, color: BAD },
            { key: 'becameEligible', label: t.becameEligible, color: GOOD },
          ]}
        />
      )}
      {!compact && report && report.examples.length > 0 && (
        <table>
          <caption>{t.changeExamples}</caption>
          <thead>
            <tr>
              <th scope="col">{t.participant}</th>
              <th scope="col">{t.change}</th>
              <th scope="col">{t.before}</th>
              <th scope="col">{t.after}</th>
              <th scope="col">{t.flipped}</th>
            </tr>
          </thead>
          <tbody>
            {report.examples.map((example) => (
              <tr key={`${example.participantId}-${example.change}`}>
                <td>
                  <code>{example.participantId}</code>
                </td>
                <td>{changeLabel(example.change)}</td>
                <td>{describeDecision(example.before)}</td>
                <td>{describeDecision(example.after)}</td>
                <td>
                  {[...(example.flipped?.newlyFailing ?? []).map((code) => `+${code}`), ...(example.flipped?.noLongerFailing ?? []).map((code) => `−${code}`)].join(', ') || t.none}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {report?.durationMs !== undefined && <p className="muted small">{t.tookMs(Math.round(report.durationMs))}</p>}
      {!compact && (
        <details>
          <summary>{t.wholeReport}</summary>
          <pre className="json">{JSON.stringify(raw, null, 2)}</pre>
        </details>
      )}
    </div>
  );
}

function describeDecision(decision: { outcome?: string; priority?: number; reasonCodes?: string[] } | null | undefined): string {
  if (!decision) return '—';
  return [decision.outcome, decision.priority !== undefined ? `${decision.priority} pts` : undefined, decision.reasonCodes?.join(', ')].filter(Boolean).join(' · ');
}
