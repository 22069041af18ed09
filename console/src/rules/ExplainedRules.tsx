// The "why" of a decision: every rule, condition by condition with the fact value each saw and
// its result, then the facts themselves. Shown under a Try it result and on an appealed decision.
import { isRecord } from '../../../rules/is-record';
import { Badge } from '../shared/feedback';
import { useI18n } from '../shared/i18n';
import { ConditionTree, formatValue } from './ConditionTree';
import { conditionInWords } from './rule-words';

export interface ExplainedRulesProps {
  /** An evaluation's explanation (rules/evaluate.ts), read defensively: a stored one may be older than this console. */
  explanation: { rules?: unknown; facts?: unknown };
  /** Each rule's conditions also as a sentence, for a reader who is not a rule author. */
  inWords?: boolean;
}

export function ExplainedRules({ explanation, inWords = false }: ExplainedRulesProps) {
  const { t } = useI18n();
  const explainedRules = Array.isArray(explanation.rules) ? explanation.rules.filter(isRecord) : [];
  const facts = isRecord(explanation.facts) ? explanation.facts : {};
  return (
    <>
      <ul className="explained-rules">
        {explainedRules.map((rule, index) => (
          <li key={index} data-testid="explained-rule">
            <div>
              <strong>{String(rule.name)}</strong> <Badge tone={rule.fired ? 'warn' : 'neutral'}>{rule.fired ? t.fired : t.notFired}</Badge>
            </div>
            {inWords && <p className="small">{conditionInWords(rule.conditions, t.ruleWords)}</p>}
            <ConditionTree node={rule.conditions} />
          </li>
        ))}
      </ul>
      <h5>{t.factsSeen}</h5>
      <table className="facts">
        <tbody>
          {Object.entries(facts).map(([fact, value]) => (
            <tr key={fact}>
              <th scope="row">
                <code>{fact}</code>
              </th>
              <td>{formatValue(value)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
