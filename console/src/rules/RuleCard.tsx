// One rule as a program manager reads it: what it does (its event), its conditions drawn as a
// tree beside its JSON, and the validation problems that concern it.
import type { RuleSetError } from '../../../rules';
import { isRecord } from '../../../rules/is-record';
import { Badge } from '../shared/feedback';
import { useI18n } from '../shared/i18n';
import { ConditionTree } from './ConditionTree';

/** The rule an error path is about: "rules[3].conditions…" → 3. */
export function ruleIndexOf(path: string): number | undefined {
  const match = /^rules\[(\d+)\]/.exec(path);
  return match ? Number(match[1]) : undefined;
}

export function ProblemList({ problems }: { problems: readonly RuleSetError[] }) {
  return (
    <ul className="problems">
      {problems.map((problem, index) => (
        <li key={`${problem.path}-${problem.code}-${index}`}>
          {problem.path && <code className="path">{problem.path}</code>} <span className="code">{problem.code}</span>{' '}
          {problem.path && problem.message.startsWith(`${problem.path}: `) ? problem.message.slice(problem.path.length + 2) : problem.message}
        </li>
      ))}
    </ul>
  );
}

/** What the rule tells the person decided (both languages) and the law it rests on; a draft may not have them yet. */
function LegalBasis({ params }: { params: Record<string, unknown> }) {
  const { t } = useI18n();
  const messages = isRecord(params.messages) ? params.messages : undefined;
  return (
    <dl className="legal-basis">
      <dt>{t.legalReference}</dt>
      <dd>{typeof params.reference === 'string' ? params.reference : <span className="muted">{t.legalReferenceMissing}</span>}</dd>
      <dt>{t.participantMessages}</dt>
      <dd>
        {messages ? (
          <>
            <span lang="id">{String(messages.id ?? '')}</span>
            <br />
            <span lang="en">{String(messages.en ?? '')}</span>
          </>
        ) : (
          <span className="muted">{t.participantMessagesMissing}</span>
        )}
      </dd>
    </dl>
  );
}

export interface RuleCardProps {
  rule: unknown;
  index: number;
  problems?: readonly RuleSetError[];
  /** The element id, unique on the page. */
  anchor?: string;
  /** Beside the editor the JSON is already on screen. */
  showJson?: boolean;
  /** In a diff a rule's position means nothing: it is named only. */
  numbered?: boolean;
}

export function RuleCard({ rule, index, problems = [], anchor = `rule-${index}`, showJson = true, numbered = true }: RuleCardProps) {
  const { t } = useI18n();
  const fields = isRecord(rule) ? rule : {};
  const name = typeof fields.name === 'string' && fields.name !== '' ? fields.name : t.unnamedRule;
  const event = isRecord(fields.event) ? fields.event : {};
  const params = isRecord(event.params) ? event.params : {};
  const headingId = `${anchor}-heading`;
  return (
    <article className={`rule-card${problems.length > 0 ? ' has-problems' : ''}`} id={anchor} aria-labelledby={headingId}>
      <header>
        <h4 id={headingId}>{numbered ? t.ruleHeading(index, name) : name}</h4>
        <div className="rule-event">
          {event.type === 'ineligible' && <Badge tone="bad">{t.makesIneligible}</Badge>}
          {event.type === 'priority' && <Badge tone="info">{t.addsPriority(typeof params.points === 'number' ? params.points : 0)}</Badge>}
          {typeof params.code === 'string' && <code>{params.code}</code>}
          {typeof fields.priority === 'number' && <span className="muted small">{t.evaluationOrder(fields.priority)}</span>}
        </div>
        {typeof params.message === 'string' && <p className="rule-message">{params.message}</p>}
        <LegalBasis params={params} />
      </header>
      {problems.length > 0 && (
        <div className="notice error" role="group" aria-label={t.ruleProblems}>
          <strong>{t.ruleProblems}</strong>
          <ProblemList problems={problems} />
        </div>
      )}
      <div className="rule-body">
        <section aria-label={t.conditions}>
          <h5>{t.conditions}</h5>
          <ConditionTree node={fields.conditions} path={`rules[${index}].conditions`} problemPaths={problems.map((problem) => problem.path)} />
        </section>
        {showJson && (
          <section aria-label={t.json}>
            <h5>{t.json}</h5>
            <pre className="json">{JSON.stringify(rule, null, 2)}</pre>
          </section>
        )}
      </div>
    </article>
  );
}

/** Every rule of a rule set (or of a draft being typed), each with the problems at its index. */
export function RuleList({ rules, problems = [], showJson = true }: { rules: unknown; problems?: readonly RuleSetError[]; showJson?: boolean }) {
  if (!Array.isArray(rules)) return null;
  return (
    <div className="rule-list">
      {rules.map((rule, index) => (
        <RuleCard key={index} rule={rule} index={index} showJson={showJson} problems={problems.filter((problem) => ruleIndexOf(problem.path) === index)} />
      ))}
    </div>
  );
}
