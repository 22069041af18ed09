// What a version changes against another: by default against the version in force now.
import { useId, useState } from 'react';
import type { z } from 'zod';
import type { diffViewSchema, RuleSetView } from '../../../api/rule-sets/rule-set.schema';
import { callApi } from '../shared/api';
import { ISO_INSTANT } from '../shared/dates';
import { Loaded } from '../shared/feedback';
import { useI18n } from '../shared/i18n';
import { useSession } from '../shared/session-context';
import { useRequest } from '../shared/use-request';
import { RuleCard } from './RuleCard';

export type RuleSetDiff = z.output<typeof diffViewSchema>;

export function useDiff(ruleSetId: string, against: string | undefined) {
  const { session } = useSession();
  return useRequest(
    async (signal) => (await callApi<RuleSetDiff>(session, 'GET', `/v1/rule-sets/${ruleSetId}/diff${against ? `?against=${encodeURIComponent(against)}` : ''}`, { signal })).body,
    [ruleSetId, against, session.key],
  );
}

export function DiffView({ ruleSet }: { ruleSet: RuleSetView }) {
  const { t } = useI18n();
  const id = useId();
  const { session } = useSession();
  const [against, setAgainst] = useState<string>('');
  const diff = useDiff(ruleSet.id, against || undefined);
  const list = useRequest(async (signal) => (await callApi<{ ruleSets: RuleSetView[] }>(session, 'GET', `/v1/rule-sets?name=${encodeURIComponent(ruleSet.name)}`, { signal })).body.ruleSets, [ruleSet.name, session.key]);
  const versions = list.data ?? [];
  return (
    <section aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>{t.diffTitle}</h3>
      <div className="inline-form">
        <label htmlFor={`${id}-against`}>{t.compareWith}</label>
        <select id={`${id}-against`} value={against} onChange={(event) => setAgainst(event.target.value)}>
          <option value="">{t.versionInForce}</option>
          {versions
            .filter((version) => version.id !== ruleSet.id)
            .map((version) => (
              <option key={version.id} value={version.id}>
                {t.startFromVersion(version.name, version.version, t.statuses[version.status])}
              </option>
            ))}
        </select>
      </div>
      <Loaded request={diff}>{(loaded) => <DiffDetails diff={loaded} />}</Loaded>
    </section>
  );
}

function DiffDetails({ diff }: { diff: RuleSetDiff }) {
  const { t, formatDateTime } = useI18n();
  const shown = (value: string | null) => (value === null ? t.none : ISO_INSTANT.test(value) ? formatDateTime(value, { seconds: true }) : value);
  const { added, removed, changed } = diff.rules;
  return (
    <div className="diff" data-testid="diff">
      <h4>{t.diffHeading(diff.from.name, diff.from.version, diff.to.name, diff.to.version)}</h4>
      <p>{diff.changed ? t.diffSummary(added.length, removed.length, changed.length) : t.noDifferences}</p>
      {diff.metadata.length > 0 && (
        <table>
          <caption>{t.otherChanges}</caption>
          <thead>
            <tr>
              <th scope="col">{t.field}</th>
              <th scope="col">{t.before}</th>
              <th scope="col">{t.after}</th>
            </tr>
          </thead>
          <tbody>
            {diff.metadata.map((change) => (
              <tr key={change.field}>
                <th scope="row">{change.field}</th>
                <td>{shown(change.from)}</td>
                <td>{shown(change.to)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {added.length > 0 && (
        <section className="diff-added">
          <h4>{t.addedRules}</h4>
          {added.map((rule, index) => (
            <RuleCard key={rule.name} rule={rule} index={index} anchor={`added-${index}`} numbered={false} />
          ))}
        </section>
      )}
      {removed.length > 0 && (
        <section className="diff-removed">
          <h4>{t.removedRules}</h4>
          {removed.map((rule, index) => (
            <RuleCard key={rule.name} rule={rule} index={index} anchor={`removed-${index}`} numbered={false} />
          ))}
        </section>
      )}
      {changed.length > 0 && (
        <section>
          <h4>{t.changedRules}</h4>
          {changed.map((change) => (
            <article key={change.rule} className="rule-card">
              <h5>
                {change.rule} <span className="muted small">{t.changedFields(change.fields.join(', '))}</span>
                {change.previousName && <span className="muted small"> · {t.renamedFrom(change.previousName)}</span>}
              </h5>
              <div className="rule-body">
                <section aria-label={t.before}>
                  <h6>{t.before}</h6>
                  <pre className="json diff-from">{JSON.stringify(change.from, null, 2)}</pre>
                </section>
                <section aria-label={t.after}>
                  <h6>{t.after}</h6>
                  <pre className="json diff-to">{JSON.stringify(change.to, null, 2)}</pre>
                </section>
              </div>
            </article>
          ))}
        </section>
      )}
    </div>
  );
}
