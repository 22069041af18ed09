// Who created, edited, submitted, reviewed, published, retired or re-evaluated a rule set, when,
// with what changed and the reviewers' comments in full.
import { useId } from 'react';
import type { z } from 'zod';
import type { auditViewSchema } from '../../../api/rule-sets/rule-set.schema';
import { isRecord } from '../../../rules/is-record';
import { callApi } from '../shared/api';
import { ISO_INSTANT } from '../shared/dates';
import { Loaded } from '../shared/feedback';
import { useI18n } from '../shared/i18n';
import { useSession } from '../shared/session-context';
import { useRequest } from '../shared/use-request';

type Audit = z.output<typeof auditViewSchema>;
type Entry = Audit['entries'][number];

const LONGEST_VALUE = 60;

/** One line for an entry's diff: the fields that moved, the revision, the rules added, removed or changed. */
function summarize(entry: Entry, { t, formatDateTime }: Pick<ReturnType<typeof useI18n>, 't' | 'formatDateTime'>): string {
  const diff = entry.diff;
  if (!diff) return '';
  const shown = (value: unknown) => {
    if (value === null || value === undefined) return t.none;
    const text = String(value);
    if (ISO_INSTANT.test(text)) return formatDateTime(text, { seconds: true });
    return text.length > LONGEST_VALUE ? `${text.slice(0, LONGEST_VALUE - 1)}…` : text;
  };
  const parts: string[] = [];
  if (Array.isArray(diff.metadata)) {
    for (const change of diff.metadata.filter(isRecord)) parts.push(`${String(change.field)}: ${shown(change.from)} → ${shown(change.to)}`);
  }
  if (isRecord(diff.revision)) parts.push(`${t.revision(Number(diff.revision.from))} → ${Number(diff.revision.to)}`);
  const rules = diff.rules;
  if (isRecord(rules)) {
    const named = (key: string) => (Array.isArray(rules[key]) ? rules[key].filter(isRecord).map((rule) => String(rule.name ?? rule.rule)) : []);
    const [added, removed, changed] = [named('added'), named('removed'), named('changed')];
    if (added.length + removed.length + changed.length > 0) {
      const names = [...added.map((name) => `+${name}`), ...removed.map((name) => `−${name}`), ...changed.map((name) => `~${name}`)];
      parts.push(`${t.diffSummary(added.length, removed.length, changed.length)}${names.length <= 3 ? ` (${names.join(', ')})` : ''}`);
    }
  }
  if (typeof diff.reason === 'string') parts.push(diff.reason);
  if (typeof diff.comment === 'string') parts.push(`“${diff.comment}”`);
  if (entry.action === 'SUBMITTED' || entry.action === 'APPROVED') parts.push(t.takesEffectAt(typeof diff.effectiveFrom === 'string' ? shown(diff.effectiveFrom) : t.onApproval));
  return parts.join(' · ');
}

export function AuditTrail({ ruleSetId }: { ruleSetId: string }) {
  const i18n = useI18n();
  const { t, formatDateTime } = i18n;
  const { session } = useSession();
  const id = useId();
  const audit = useRequest(async (signal) => (await callApi<Audit>(session, 'GET', `/v1/rule-sets/${ruleSetId}/audit`, { signal })).body, [ruleSetId, session.key]);
  return (
    <section aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>{t.auditTitle}</h3>
      <Loaded request={audit}>
        {({ entries }) =>
          entries.length === 0 ? (
            <p className="muted">{t.noAuditEntries}</p>
          ) : (
            <table className="audit" data-testid="audit-trail">
              <thead>
                <tr>
                  <th scope="col">{t.when}</th>
                  <th scope="col">{t.what}</th>
                  <th scope="col">{t.who}</th>
                  <th scope="col">{t.details}</th>
                </tr>
              </thead>
              <tbody>
                {entries.map((entry) => (
                  <tr key={entry.id}>
                    <td>{formatDateTime(entry.at, { seconds: true })}</td>
                    <td>{t.auditActions[entry.action]}</td>
                    <td>
                      <code>{entry.actor}</code>
                    </td>
                    <td>
                      {summarize(entry, i18n)}
                      {entry.diff && (
                        <details>
                          <summary className="small">{t.json}</summary>
                          <pre className="json">{JSON.stringify(entry.diff, null, 2)}</pre>
                        </details>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        }
      </Loaded>
    </section>
  );
}
