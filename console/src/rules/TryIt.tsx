// "Try it": a person's facts in, this version's decision out, with the priority and every rule's
// conditions marked as they held or not. The API decides (the same engine the journeys use).
import { useId, useState, type FormEvent } from 'react';
import type { z } from 'zod';
import type { evaluationViewSchema, RuleSetView } from '../../../api/rule-sets/rule-set.schema';
import { EMPLOYMENT_STATUSES, REGISTRATION_CHANNELS, type EligibilityInput } from '../../../rules/facts';
import { expectationOf } from '../../../rules/test-cases';
import { PROVINCES } from '../../../lib/indonesia-provinces';
import { may } from '../shared/access';
import { callApi } from '../shared/api';
import { dateBefore, todayInWib } from '../shared/dates';
import { Badge, ErrorNotice } from '../shared/feedback';
import { useI18n, type Messages } from '../shared/i18n';
import { useSession } from '../shared/session-context';
import { ExplainedRules } from './ExplainedRules';
import { saveTestCases } from './TestCases';

type Evaluation = z.output<typeof evaluationViewSchema>;

/** The facts asked for: retired ones (rules/facts.ts) are not, and the API supplies them as a journey does. */
interface FactForm {
  dateOfBirth: string;
  isStudent: boolean;
  socialAidPrograms: string;
  onLaidOffList: boolean;
  employmentStatus: (typeof EMPLOYMENT_STATUSES)[number];
  microBusinessLostIncome: boolean;
  province: string;
  previousParticipations: string;
  channel: (typeof REGISTRATION_CHANNELS)[number];
  evaluationDate: string;
}

type Preset = keyof Messages['presets'];

function presetFacts(preset: Preset, evaluationDate: string): FactForm {
  const base: FactForm = {
    dateOfBirth: dateBefore(evaluationDate, { years: 34 }),
    isStudent: false,
    socialAidPrograms: '',
    onLaidOffList: true,
    employmentStatus: 'LAID_OFF',
    microBusinessLostIncome: false,
    province: 'DKI Jakarta',
    previousParticipations: '0',
    channel: 'SELF',
    evaluationDate,
  };
  switch (preset) {
    case 'laidOff':
      return base;
    case 'turns18Tomorrow':
      return { ...base, dateOfBirth: dateBefore(evaluationDate, { years: 18, days: -1 }) };
    case 'student':
      return { ...base, dateOfBirth: dateBefore(evaluationDate, { years: 20 }), isStudent: true, onLaidOffList: false, employmentStatus: 'JOB_SEEKER' };
    case 'microBusiness':
      return { ...base, onLaidOffList: false, employmentStatus: 'MICRO_BUSINESS', microBusinessLostIncome: true, province: 'Jawa Tengah' };
    case 'socialAid':
      return { ...base, onLaidOffList: false, employmentStatus: 'JOB_SEEKER', socialAidPrograms: 'PKH', province: 'Jawa Timur' };
  }
}

function toEligibilityInput(form: FactForm): EligibilityInput {
  return {
    ...form,
    socialAidPrograms: form.socialAidPrograms
      .split(',')
      .map((program) => program.trim())
      .filter(Boolean),
    previousParticipations: Number(form.previousParticipations),
  };
}

export function TryIt({ ruleSet, dirty, onCaseSaved }: { ruleSet: RuleSetView; dirty: boolean; onCaseSaved: (ruleSet: RuleSetView) => void }) {
  const { t } = useI18n();
  const { session } = useSession();
  const formId = useId();
  const [form, setForm] = useState<FactForm>(() => presetFacts('laidOff', todayInWib()));
  const [evaluating, setEvaluating] = useState(false);
  const [result, setResult] = useState<{ facts: EligibilityInput; evaluation: Evaluation } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const set = <K extends keyof FactForm>(key: K, value: FactForm[K]) => setForm((previous) => ({ ...previous, [key]: value }));

  const evaluate = async (event: FormEvent) => {
    event.preventDefault();
    setEvaluating(true);
    setError(null);
    try {
      const facts = toEligibilityInput(form);
      setResult({ facts, evaluation: (await callApi<Evaluation>(session, 'POST', `/v1/rule-sets/${ruleSet.id}/evaluate`, { body: facts })).body });
    } catch (failure) {
      setResult(null);
      setError(failure);
    } finally {
      setEvaluating(false);
    }
  };

  const field = (key: keyof FactForm) => `${formId}-${key}`;
  return (
    <div className="try-layout">
      <section aria-labelledby={`${formId}-title`}>
        <h3 id={`${formId}-title`}>{t.tryTitle}</h3>
        <p className="muted">{t.tryIntro}</p>
        {dirty && <p className="notice warn">{t.usesSavedRevision(ruleSet.revision)}</p>}
        <div className="presets" role="group" aria-label={t.examples}>
          <span className="muted small">{t.examples}:</span>
          {(Object.keys(t.presets) as Preset[]).map((preset) => (
            <button key={preset} type="button" className="small" onClick={() => setForm(presetFacts(preset, form.evaluationDate))}>
              {t.presets[preset]}
            </button>
          ))}
        </div>
        <form className="fact-form" onSubmit={(event) => void evaluate(event)}>
          <label htmlFor={field('dateOfBirth')}>{t.facts.dateOfBirth}</label>
          <input id={field('dateOfBirth')} type="date" required value={form.dateOfBirth} onChange={(event) => set('dateOfBirth', event.target.value)} />
          <label htmlFor={field('evaluationDate')}>{t.facts.evaluationDate}</label>
          <input id={field('evaluationDate')} type="date" required value={form.evaluationDate} onChange={(event) => set('evaluationDate', event.target.value)} />
          <label htmlFor={field('province')}>{t.facts.province}</label>
          <input id={field('province')} list={`${formId}-provinces`} required value={form.province} onChange={(event) => set('province', event.target.value)} />
          <datalist id={`${formId}-provinces`}>
            {PROVINCES.map((province) => (
              <option key={province.code} value={province.name} />
            ))}
          </datalist>
          <label htmlFor={field('employmentStatus')}>{t.facts.employmentStatus}</label>
          <select id={field('employmentStatus')} value={form.employmentStatus} onChange={(event) => set('employmentStatus', event.target.value as FactForm['employmentStatus'])}>
            {EMPLOYMENT_STATUSES.map((status) => (
              <option key={status}>{status}</option>
            ))}
          </select>
          <label htmlFor={field('channel')}>{t.facts.channel}</label>
          <select id={field('channel')} value={form.channel} onChange={(event) => set('channel', event.target.value as FactForm['channel'])}>
            {REGISTRATION_CHANNELS.map((channel) => (
              <option key={channel}>{channel}</option>
            ))}
          </select>
          <label htmlFor={field('socialAidPrograms')}>{t.facts.socialAidPrograms}</label>
          <input id={field('socialAidPrograms')} value={form.socialAidPrograms} placeholder="PKH, BPNT" onChange={(event) => set('socialAidPrograms', event.target.value)} />
          <label htmlFor={field('previousParticipations')}>{t.facts.previousParticipations}</label>
          <input
            id={field('previousParticipations')}
            type="number"
            min={0}
            step={1}
            required
            value={form.previousParticipations}
            onChange={(event) => set('previousParticipations', event.target.value)}
          />
          {(['isStudent', 'onLaidOffList', 'microBusinessLostIncome'] as const).map((key) => (
            <label key={key} className="checkbox">
              <input type="checkbox" checked={form[key]} onChange={(event) => set(key, event.target.checked)} /> {t.facts[key]}
            </label>
          ))}
          <div className="actions">
            <button type="submit" className="primary" disabled={evaluating}>
              {evaluating ? t.evaluating : t.evaluate}
            </button>
          </div>
        </form>
      </section>
      <section aria-live="polite" aria-label={t.outcome} data-testid="evaluation-result">
        {error !== null && <ErrorNotice error={error} />}
        {result && <EvaluationResult result={result.evaluation} />}
        {result && ruleSet.status === 'DRAFT' && may(session.role, 'PUT /v1/rule-sets/:id') && (
          <SaveAsTestCase key={JSON.stringify(result.facts)} ruleSet={ruleSet} dirty={dirty} facts={result.facts} evaluation={result.evaluation} onSaved={onCaseSaved} />
        )}
      </section>
    </div>
  );
}

/**
 * One click from a result to a case: the facts tried and the decision exactly as it came out. A
 * case of the same name takes the new expectation (the rules changed on purpose), in its place.
 */
function SaveAsTestCase({ ruleSet, dirty, facts, evaluation, onSaved }: { ruleSet: RuleSetView; dirty: boolean; facts: EligibilityInput; evaluation: Evaluation; onSaved: (ruleSet: RuleSetView) => void }) {
  const { t } = useI18n();
  const { session } = useSession();
  const id = useId();
  const [name, setName] = useState('');
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);

  const save = async (event: FormEvent) => {
    event.preventDefault();
    setSaving(true);
    setError(null);
    try {
      const testCase = { name: name.trim(), facts, expect: expectationOf(evaluation) };
      const replaces = ruleSet.testCases.some((existing) => existing.name === testCase.name);
      const testCases = replaces ? ruleSet.testCases.map((existing) => (existing.name === testCase.name ? testCase : existing)) : [...ruleSet.testCases, testCase];
      const updated = await saveTestCases(session, ruleSet, testCases);
      setSaved(testCase.name);
      onSaved(updated);
    } catch (failure) {
      setError(failure);
    } finally {
      setSaving(false);
    }
  };

  if (dirty) return <p className="muted">{t.testCaseNeedsSavedDraft}</p>;
  if (saved !== null) return <p role="status">{t.testCaseSaved(saved)}</p>;
  return (
    <form className="save-test-case" onSubmit={(event) => void save(event)}>
      <label htmlFor={`${id}-name`}>{t.newTestCaseName}</label>
      <input id={`${id}-name`} required maxLength={200} value={name} onChange={(event) => setName(event.target.value)} />
      <button type="submit" disabled={saving || name.trim() === ''}>
        {t.saveAsTestCase}
      </button>
      {error !== null && <ErrorNotice error={error} />}
    </form>
  );
}

function EvaluationResult({ result }: { result: Evaluation }) {
  const { t } = useI18n();
  return (
    <div className="evaluation">
      <dl className="summary">
        <div>
          <dt>{t.outcome}</dt>
          <dd>
            <Badge tone={result.outcome === 'ELIGIBLE' ? 'good' : 'bad'}>{t.outcomes[result.outcome]}</Badge>
          </dd>
        </div>
        <div>
          <dt>{t.priority}</dt>
          <dd>{t.points(result.priority)}</dd>
        </div>
      </dl>
      <h4>{t.reasons}</h4>
      {result.reasons.length === 0 ? (
        <p className="muted">{t.noReasons}</p>
      ) : (
        <ul className="reasons">
          {result.reasons.map((reason) => (
            <li key={reason.code}>
              <code>{reason.code}</code> {reason.message} <span className="muted small">({reason.rule})</span>
            </li>
          ))}
        </ul>
      )}
      <h4>{t.priorityReasons}</h4>
      {result.priorityReasons.length === 0 ? (
        <p className="muted">{t.noPriorityReasons}</p>
      ) : (
        <ul className="reasons">
          {result.priorityReasons.map((reason) => (
            <li key={reason.code}>
              <strong>+{reason.points}</strong> <code>{reason.code}</code> {reason.message}
            </li>
          ))}
        </ul>
      )}
      <details>
        <summary>{t.why}</summary>
        <ExplainedRules explanation={result.explanation} />
      </details>
    </div>
  );
}
