// Starting a draft: from the version in force, from any other version, or from a template. An
// existing name gets its next version number (the API numbers it).
import { useId, useState, type FormEvent } from 'react';
import type { RuleSetView } from '../../../api/rule-sets/rule-set.schema';
import { RULE_SET_NAME_PATTERN } from '../../../api/rule-sets/rule-set.schema';
import { callApi } from '../shared/api';
import { ErrorNotice, Loaded } from '../shared/feedback';
import { useI18n } from '../shared/i18n';
import { Link, navigate } from '../shared/router';
import { useSession } from '../shared/session-context';
import { useRuleSets } from './RulesWorkspace';

const TEMPLATE = 'template';

const TEMPLATE_RULES = [
  {
    name: 'under-minimum-age',
    conditions: { all: [{ fact: 'age', operator: 'lessThan', value: 18 }] },
    event: { type: 'ineligible', params: { code: 'UNDER_MINIMUM_AGE', message: 'Applicants must be 18 or older on the evaluation date.' } },
  },
];

export function NewDraft({ from }: { from: string | undefined }) {
  const ruleSets = useRuleSets();
  return <Loaded request={ruleSets}>{(loaded) => <NewDraftForm ruleSets={loaded} from={from} />}</Loaded>;
}

function NewDraftForm({ ruleSets, from }: { ruleSets: RuleSetView[]; from: string | undefined }) {
  const { t } = useI18n();
  const { session } = useSession();
  const id = useId();
  const initialSource = ruleSets.find((ruleSet) => ruleSet.id === from) ?? ruleSets.find((ruleSet) => ruleSet.inForce);
  const [source, setSource] = useState(initialSource?.id ?? TEMPLATE);
  const [name, setName] = useState(initialSource?.name ?? '');
  const [creating, setCreating] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const nameValid = RULE_SET_NAME_PATTERN.test(name);

  const create = async (event: FormEvent) => {
    event.preventDefault();
    if (!nameValid) return;
    const origin = ruleSets.find((ruleSet) => ruleSet.id === source);
    setCreating(true);
    setError(null);
    try {
      const answer = await callApi<RuleSetView>(session, 'POST', '/v1/rule-sets', {
        body: { name, description: origin?.description ?? '', rules: origin?.rules ?? TEMPLATE_RULES, ...(origin ? { testCases: origin.testCases } : {}) },
      });
      navigate(`/rules/${answer.body.id}/edit`);
    } catch (failure) {
      setError(failure);
      setCreating(false);
    }
  };

  return (
    <>
      <p>
        <Link to="/rules">← {t.allRuleSets}</Link>
      </p>
      <h1>{t.newDraftTitle}</h1>
      <form className="card stacked-form" onSubmit={(event) => void create(event)}>
        <label htmlFor={`${id}-name`}>{t.draftName}</label>
        <input
          id={`${id}-name`}
          required
          value={name}
          aria-describedby={`${id}-name-hint`}
          aria-invalid={name !== '' && !nameValid}
          onChange={(event) => setName(event.target.value)}
        />
        <p id={`${id}-name-hint`} className="muted small">
          {t.draftNameHint}
        </p>
        <label htmlFor={`${id}-source`}>{t.startFrom}</label>
        <select
          id={`${id}-source`}
          value={source}
          onChange={(event) => {
            setSource(event.target.value);
            const chosen = ruleSets.find((ruleSet) => ruleSet.id === event.target.value);
            if (chosen && name === '') setName(chosen.name);
          }}
        >
          {ruleSets.map((ruleSet) => (
            <option key={ruleSet.id} value={ruleSet.id}>
              {t.startFromVersion(ruleSet.name, ruleSet.version, ruleSet.inForce ? t.inForce : t.statuses[ruleSet.status])}
            </option>
          ))}
          <option value={TEMPLATE}>{t.startFromTemplate}</option>
        </select>
        <div className="actions">
          <button type="submit" className="primary" disabled={creating || !nameValid}>
            {creating ? t.creating : t.createDraft}
          </button>
        </div>
        {error !== null && <ErrorNotice error={error} />}
      </form>
    </>
  );
}
