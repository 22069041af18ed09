// The rules workspace's start: every rule set with its versions on a timeline (draft, published
// with its effective date, in force, retired), the version in force at the top.
import { useId, useState } from 'react';
import type { RuleSetView } from '../../../api/rule-sets/rule-set.schema';
import { may } from '../shared/access';
import { callApi } from '../shared/api';
import { Badge, Loaded } from '../shared/feedback';
import { useI18n } from '../shared/i18n';
import { Link } from '../shared/router';
import { useSession } from '../shared/session-context';
import { useRequest } from '../shared/use-request';
import { groupByName, phaseOf, type VersionPhase } from './rule-set-timeline';

export function useRuleSets() {
  const { session } = useSession();
  return useRequest(async (signal) => (await callApi<{ ruleSets: RuleSetView[] }>(session, 'GET', '/v1/rule-sets', { signal })).body.ruleSets, [session.key]);
}

const PHASE_TONE: Record<VersionPhase, 'neutral' | 'good' | 'info' | 'warn'> = { draft: 'warn', 'in-review': 'info', 'in-force': 'good', scheduled: 'info', superseded: 'neutral', retired: 'neutral' };

export function PhaseBadge({ ruleSet }: { ruleSet: RuleSetView }) {
  const { t } = useI18n();
  const phase = phaseOf(ruleSet);
  const label = { draft: t.statuses.DRAFT, 'in-review': t.statuses.IN_REVIEW, 'in-force': t.inForce, scheduled: t.scheduled, superseded: t.superseded, retired: t.statuses.RETIRED }[phase];
  return <Badge tone={PHASE_TONE[phase]}>{label}</Badge>;
}

export function VersionFacts({ ruleSet }: { ruleSet: RuleSetView }) {
  const { t, formatDateTime } = useI18n();
  const facts = [
    ruleSet.effectiveFrom ? t.effectiveFrom(formatDateTime(ruleSet.effectiveFrom, { seconds: true })) : null,
    ruleSet.retiredAt ? t.retiredAt(formatDateTime(ruleSet.retiredAt)) : null,
    ruleSet.status === 'DRAFT' ? t.revision(ruleSet.revision) : null,
    ruleSet.status === 'IN_REVIEW' && ruleSet.review.submittedBy ? t.submittedBy(ruleSet.review.submittedBy) : null,
    t.createdBy(ruleSet.createdBy, formatDateTime(ruleSet.createdAt)),
  ].filter((fact): fact is string => fact !== null);
  return <span className="version-facts">{facts.join(' · ')}</span>;
}

export function RulesWorkspace() {
  const { t } = useI18n();
  const { session } = useSession();
  const id = useId();
  const ruleSets = useRuleSets();
  const [filter, setFilter] = useState('');
  const mayWrite = may(session.role, 'POST /v1/rule-sets');
  return (
    <>
      <div className="page-heading">
        <h1>{t.rulesTitle}</h1>
        {mayWrite && (
          <Link to="/rules/new" className="button primary">
            {t.newDraft}
          </Link>
        )}
      </div>
      <p className="muted">{t.rulesIntro}</p>
      {!mayWrite && <p className="notice">{t.readOnlyNote}</p>}
      <Loaded request={ruleSets}>
        {(loaded) => {
          const inForce = loaded.find((ruleSet) => ruleSet.inForce);
          const groups = groupByName(loaded).filter((group) => group.name.toLowerCase().includes(filter.trim().toLowerCase()));
          return (
            <>
              <section className="in-force card" aria-labelledby={`${id}-in-force`}>
                <h2 id={`${id}-in-force`}>{t.inForceNow}</h2>
                {inForce ? (
                  <p>
                    <Link to={`/rules/${inForce.id}`}>
                      <strong>
                        {inForce.name} {t.versionShort(inForce.version)}
                      </strong>
                    </Link>{' '}
                    <VersionFacts ruleSet={inForce} />
                  </p>
                ) : (
                  <p className="notice error">{t.noneInForce}</p>
                )}
              </section>
              <div className="inline-form">
                <label htmlFor={`${id}-filter`}>{t.filterByName}</label>
                <input id={`${id}-filter`} type="search" value={filter} onChange={(event) => setFilter(event.target.value)} />
              </div>
              {groups.length === 0 && <p className="muted">{t.noRuleSets}</p>}
              {groups.map((group) => (
                <section key={group.name} className="card" aria-labelledby={`${id}-${group.name}`}>
                  <h2 id={`${id}-${group.name}`}>{group.name}</h2>
                  <ol className="timeline" aria-label={t.versionsOf(group.name)}>
                    {group.versions.map((version) => (
                      <li key={version.id} className={`phase-${phaseOf(version)}`}>
                        <Link to={`/rules/${version.id}`} aria-label={`${group.name} ${t.versionShort(version.version)}`}>
                          {t.versionShort(version.version)}
                        </Link>{' '}
                        <PhaseBadge ruleSet={version} /> <VersionFacts ruleSet={version} />
                      </li>
                    ))}
                  </ol>
                </section>
              ))}
            </>
          );
        }}
      </Loaded>
    </>
  );
}
