// A rule set as a table, for reading and review, and for the record on paper: one row per rule,
// what it decides, its conditions in words, its legal basis, and what the person decided reads.
import { useId } from 'react';
import type { RuleSetView } from '../../../api/rule-sets/rule-set.schema';
import { isRecord } from '../../../rules/is-record';
import { Badge } from '../shared/feedback';
import { useI18n } from '../shared/i18n';
import { conditionInWords } from './rule-words';

export function RuleTable({ ruleSet }: { ruleSet: RuleSetView }) {
  const { t, language } = useI18n();
  const id = useId();
  return (
    <section aria-labelledby={`${id}-title`} className="rule-table">
      <h3 id={`${id}-title`}>
        {t.tableTitle}: {ruleSet.name} {t.versionShort(ruleSet.version)} <Badge tone="neutral">{t.statuses[ruleSet.status]}</Badge>
      </h3>
      <p className="muted">{t.tableIntro}</p>
      <div className="actions no-print">
        <button type="button" onClick={() => window.print()}>
          {t.print}
        </button>
      </div>
      <table data-testid="rule-table">
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">{t.ruleColumn}</th>
            <th scope="col">{t.outcomeColumn}</th>
            <th scope="col">{t.whenColumn}</th>
            <th scope="col">{t.legalReference}</th>
            <th scope="col">{t.personColumn}</th>
          </tr>
        </thead>
        <tbody>
          {ruleSet.rules.map((rule, index) => {
            const { params } = rule.event;
            const messages = isRecord(params.messages) ? params.messages : {};
            const forThePerson = messages[language];
            return (
              <tr key={rule.name}>
                <td>{index + 1}</td>
                <th scope="row">
                  {rule.name}
                  <br />
                  <code className="small">{String(params.code)}</code>
                </th>
                <td>{rule.event.type === 'ineligible' ? t.makesIneligible : t.addsPriority(Number(params.points))}</td>
                <td>{conditionInWords(rule.conditions, t.ruleWords)}</td>
                <td>{typeof params.reference === 'string' ? params.reference : <span className="muted">{t.legalReferenceMissing}</span>}</td>
                <td lang={language}>{typeof forThePerson === 'string' ? forThePerson : <span className="muted">{t.participantMessagesMissing}</span>}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
