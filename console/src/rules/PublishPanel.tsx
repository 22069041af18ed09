// Publishing a draft: when it takes effect, then a confirmation that shows its impact and what it
// changes against the version in force, then the publication (with the revision read).
import { useId, useState } from 'react';
import type { RuleSetView } from '../../../api/rule-sets/rule-set.schema';
import { callApi } from '../shared/api';
import { ConfirmDialog } from '../shared/ConfirmDialog';
import { isoToLocalDateTime, localDateTimeToIso, todayInWib } from '../shared/dates';
import { ErrorNotice, Loaded } from '../shared/feedback';
import { useI18n } from '../shared/i18n';
import { useSession } from '../shared/session-context';
import { useDiff } from './DiffView';
import { ImpactResult, useImpact } from './Impact';

export function PublishPanel({ ruleSet, dirty, onPublished }: { ruleSet: RuleSetView; dirty: boolean; onPublished: (ruleSet: RuleSetView) => void }) {
  const { t, formatDateTime } = useI18n();
  const { session } = useSession();
  const id = useId();
  const [when, setWhen] = useState<'now' | 'at'>('now');
  const [effectiveAt, setEffectiveAt] = useState(() => isoToLocalDateTime(new Date(Date.now() + 3_600_000)).slice(0, 16));
  const [confirming, setConfirming] = useState(false);
  const [publishing, setPublishing] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [formProblem, setFormProblem] = useState<string | null>(null);
  const { impact, run } = useImpact(ruleSet.id);
  const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;

  if (ruleSet.status !== 'DRAFT') return <p className="notice">{t.onlyDraftsPublish}</p>;

  const effectiveFrom = when === 'now' ? undefined : localDateTimeToIso(effectiveAt);
  const review = () => {
    setError(null);
    if (when === 'at' && !effectiveFrom) {
      setFormProblem(t.effectiveDateRequired);
      return;
    }
    setFormProblem(null);
    setConfirming(true);
    void run(todayInWib());
  };
  const publish = async () => {
    setPublishing(true);
    setError(null);
    try {
      const answer = await callApi<RuleSetView>(session, 'POST', `/v1/rule-sets/${ruleSet.id}/publish`, {
        body: effectiveFrom ? { effectiveFrom } : {},
        ifMatch: `"${ruleSet.revision}"`,
      });
      setConfirming(false);
      onPublished(answer.body);
    } catch (failure) {
      setError(failure);
    } finally {
      setPublishing(false);
    }
  };

  return (
    <section aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>{t.publishTitle}</h3>
      <p className="muted">{t.publishIntro}</p>
      {dirty && (
        <p className="notice warn" role="alert">
          {t.saveBeforePublishing}
        </p>
      )}
      <form
        className="publish-form"
        onSubmit={(event) => {
          event.preventDefault();
          review();
        }}
      >
        <fieldset>
          <legend>{t.takesEffect}</legend>
          <label className="checkbox">
            <input type="radio" name={`${id}-when`} checked={when === 'now'} onChange={() => setWhen('now')} /> {t.effectiveNow}
          </label>
          <label className="checkbox">
            <input type="radio" name={`${id}-when`} checked={when === 'at'} onChange={() => setWhen('at')} /> {t.effectiveAt}
          </label>
          {when === 'at' && (
            <div className="field">
              <label htmlFor={`${id}-at`}>{t.effectiveDateTime(timeZone)}</label>
              <input id={`${id}-at`} type="datetime-local" step={1} required value={effectiveAt} onChange={(event) => setEffectiveAt(event.target.value)} />
            </div>
          )}
        </fieldset>
        {formProblem && (
          <p className="notice error" role="alert">
            {formProblem}
          </p>
        )}
        <div className="actions">
          <button type="submit" className="primary" disabled={dirty}>
            {t.reviewAndPublish}
          </button>
        </div>
      </form>
      {!confirming && error !== null && <ErrorNotice error={error} />}
      <ConfirmDialog
        open={confirming}
        title={t.confirmTitle(ruleSet.name, ruleSet.version)}
        confirmLabel={t.confirmPublish}
        busy={publishing}
        busyLabel={t.publishing}
        onConfirm={() => void publish()}
        onCancel={() => setConfirming(false)}
      >
        <p>
          <strong>{t.confirmEffective(effectiveFrom ? formatDateTime(effectiveFrom, { seconds: true }) : t.now)}</strong>
        </p>
        <h3>{t.changesAgainstInForce}</h3>
        {confirming && <DiffSummary ruleSetId={ruleSet.id} />}
        <h3>{t.impact}</h3>
        <ImpactResult impact={impact} compact />
        {error !== null && <ErrorNotice error={error} />}
      </ConfirmDialog>
    </section>
  );
}

function DiffSummary({ ruleSetId }: { ruleSetId: string }) {
  const { t } = useI18n();
  const diff = useDiff(ruleSetId, undefined);
  return (
    <Loaded request={diff}>
      {(loaded) => (
        <div data-testid="publish-diff">
          <p>{loaded.changed ? t.diffSummary(loaded.rules.added.length, loaded.rules.removed.length, loaded.rules.changed.length) : t.noDifferences}</p>
          {(loaded.rules.added.length > 0 || loaded.rules.removed.length > 0 || loaded.rules.changed.length > 0) && (
            <ul>
              {loaded.rules.added.map((rule) => (
                <li key={`+${rule.name}`}>
                  + <code>{rule.name}</code>
                </li>
              ))}
              {loaded.rules.removed.map((rule) => (
                <li key={`-${rule.name}`}>
                  − <code>{rule.name}</code>
                </li>
              ))}
              {loaded.rules.changed.map((change) => (
                <li key={`~${change.rule}`}>
                  ~ <code>{change.rule}</code> ({change.fields.join(', ')})
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </Loaded>
  );
}
