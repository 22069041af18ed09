// A version's test cases and how each fared against its rules (run by the API on every save):
// a failing case shows what was expected and what came out. Publishing waits for all to pass. On a
// draft, a case is removed here; Try it adds one, or gives one of the same name a new expectation.
import { useId, useState } from 'react';
import type { RuleSetView } from '../../../api/rule-sets/rule-set.schema';
import { may } from '../shared/access';
import { callApi } from '../shared/api';
import { Badge, ErrorNotice } from '../shared/feedback';
import { useI18n } from '../shared/i18n';
import type { Session } from '../shared/session';
import { useSession } from '../shared/session-context';
import { formatValue } from './ConditionTree';

/** The draft saved, at the revision read, with these test cases and its rules as stored: how Try it and this tab change its cases. */
export async function saveTestCases(session: Pick<Session, 'key'>, ruleSet: RuleSetView, testCases: RuleSetView['testCases']): Promise<RuleSetView> {
  const body = { name: ruleSet.name, description: ruleSet.description, rules: ruleSet.rules, testCases };
  return (await callApi<RuleSetView>(session, 'PUT', `/v1/rule-sets/${ruleSet.id}`, { body, ifMatch: `"${ruleSet.revision}"` })).body;
}

export function TestCases({ ruleSet, dirty, onChanged }: { ruleSet: RuleSetView; dirty: boolean; onChanged: (ruleSet: RuleSetView) => void }) {
  const { t } = useI18n();
  const { session } = useSession();
  const id = useId();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const results = ruleSet.testResults;
  const editable = ruleSet.status === 'DRAFT' && !dirty && may(session.role, 'PUT /v1/rule-sets/:id');

  const remove = async (name: string) => {
    setBusy(true);
    setError(null);
    try {
      onChanged(await saveTestCases(session, ruleSet, ruleSet.testCases.filter((testCase) => testCase.name !== name)));
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>
        {t.testsTitle}{' '}
        {results && (
          <Badge tone={results.failed > 0 ? 'bad' : 'good'}>
            <span data-testid="test-summary">{t.testSummary(results.passed, results.failed)}</span>
          </Badge>
        )}
      </h3>
      <p className="muted">{t.testsIntro}</p>
      {dirty && <p className="notice warn">{t.usesSavedRevision(ruleSet.revision)}</p>}
      {error !== null && <ErrorNotice error={error} />}
      {ruleSet.testCases.length === 0 ? (
        <p className="muted">{t.noTestCases}</p>
      ) : (
        <table className="test-cases">
          <thead>
            <tr>
              <th scope="col">{t.testCaseName}</th>
              <th scope="col">{t.expectedOutcome}</th>
              <th scope="col">{t.testResult}</th>
              {editable && <th scope="col">{t.actions}</th>}
            </tr>
          </thead>
          <tbody>
            {ruleSet.testCases.map((testCase, index) => {
              const result = results?.cases[index];
              return (
                <tr key={testCase.name} data-testid="test-case">
                  <th scope="row">{testCase.name}</th>
                  <td>{t.outcomes[testCase.expect.outcome]}</td>
                  <td>
                    {result === undefined ? (
                      <Badge tone="neutral">{t.testNotRun}</Badge>
                    ) : result.passed ? (
                      <Badge tone="good">{t.testPassed}</Badge>
                    ) : (
                      <>
                        <Badge tone="bad">{t.testFailed}</Badge>
                        <ul className="differences">
                          {result.differences.map((difference) => (
                            <li key={difference.field}>
                              <code>{difference.field}</code>: {t.expectedGot(formatValue(difference.expected), formatValue(difference.actual))}
                            </li>
                          ))}
                        </ul>
                      </>
                    )}
                  </td>
                  {editable && (
                    <td>
                      <button type="button" disabled={busy} aria-label={t.removeTestCase(testCase.name)} onClick={() => void remove(testCase.name)}>
                        {t.remove}
                      </button>
                    </td>
                  )}
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
