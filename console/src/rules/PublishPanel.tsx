// Publishing a draft takes two program managers. The author submits it: a comment, when it should
// take effect, then a confirmation that shows its impact and what it changes against the version in
// force. A different program manager then approves it (after the same confirmation), which
// publishes it, or sends it back with a comment. The API refuses self-approval (403 SELF_APPROVAL).
import { useId, useState, type ComponentProps, type ReactNode } from 'react';
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
  const { t } = useI18n();
  if (ruleSet.status === 'DRAFT') return <SubmitForReview ruleSet={ruleSet} dirty={dirty} onSubmitted={onPublished} />;
  if (ruleSet.status === 'IN_REVIEW') return <ReviewDecision ruleSet={ruleSet} onDecided={onPublished} />;
  return <p className="notice">{t.onlyDraftsPublish}</p>;
}

function SubmitForReview({ ruleSet, dirty, onSubmitted }: { ruleSet: RuleSetView; dirty: boolean; onSubmitted: (ruleSet: RuleSetView) => void }) {
  const { t, formatDateTime } = useI18n();
  const { session } = useSession();
  const id = useId();
  const [comment, setComment] = useState('');
  const [when, setWhen] = useState<'approval' | 'at'>('approval');
  const [effectiveAt, setEffectiveAt] = useState(() => isoToLocalDateTime(new Date(Date.now() + 3_600_000)).slice(0, 16));
  const [confirming, setConfirming] = useState(false);
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [formProblem, setFormProblem] = useState<string | null>(null);
  const { impact, run } = useImpact(ruleSet.id);
  const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const failingTests = ruleSet.testResults?.failed ?? 0;

  const effectiveFrom = when === 'approval' ? undefined : localDateTimeToIso(effectiveAt);
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
  const submit = async () => {
    setSubmitting(true);
    setError(null);
    try {
      const answer = await callApi<RuleSetView>(session, 'POST', `/v1/rule-sets/${ruleSet.id}/submit`, {
        body: { comment, ...(effectiveFrom ? { effectiveFrom } : {}) },
        ifMatch: `"${ruleSet.revision}"`,
      });
      setConfirming(false);
      onSubmitted(answer.body);
    } catch (failure) {
      setError(failure);
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <section aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>{t.publishTitle}</h3>
      <p className="muted">{t.publishIntro}</p>
      <p className="muted">{t.reviewIntro}</p>
      {dirty && (
        <p className="notice warn" role="alert">
          {t.saveBeforePublishing}
        </p>
      )}
      {failingTests > 0 && (
        <p className="notice error" role="alert">
          {t.publishBlockedByTests(failingTests)}
        </p>
      )}
      <form
        className="publish-form"
        onSubmit={(event) => {
          event.preventDefault();
          review();
        }}
      >
        <div className="field">
          <label htmlFor={`${id}-comment`}>{t.reviewComment}</label>
          <textarea id={`${id}-comment`} required maxLength={2000} rows={3} value={comment} onChange={(event) => setComment(event.target.value)} />
        </div>
        <fieldset>
          <legend>{t.takesEffect}</legend>
          <label className="checkbox">
            <input type="radio" name={`${id}-when`} checked={when === 'approval'} onChange={() => setWhen('approval')} /> {t.effectiveOnApproval}
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
          <button type="submit" className="primary" disabled={dirty || failingTests > 0}>
            {t.reviewAndSubmit}
          </button>
        </div>
      </form>
      {!confirming && error !== null && <ErrorNotice error={error} />}
      <ConfirmWithChanges
        open={confirming}
        title={t.confirmSubmitTitle(ruleSet.name, ruleSet.version)}
        confirmLabel={t.confirmSubmit}
        busy={submitting}
        busyLabel={t.submitting}
        onConfirm={() => void submit()}
        onCancel={() => setConfirming(false)}
        ruleSetId={ruleSet.id}
        impact={impact}
        error={error}
      >
        <p>
          <strong>{t.confirmEffective(effectiveFrom ? formatDateTime(effectiveFrom, { seconds: true }) : t.onApproval)}</strong>
        </p>
      </ConfirmWithChanges>
    </section>
  );
}

function ReviewDecision({ ruleSet, onDecided }: { ruleSet: RuleSetView; onDecided: (ruleSet: RuleSetView) => void }) {
  const { t, formatDateTime } = useI18n();
  const { session } = useSession();
  const id = useId();
  const [comment, setComment] = useState('');
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [formProblem, setFormProblem] = useState<string | null>(null);
  const { impact, run } = useImpact(ruleSet.id);
  const { review } = ruleSet;

  const decide = async (decision: 'approve' | 'send-back') => {
    setBusy(true);
    setError(null);
    try {
      const body = comment.trim() === '' ? {} : { comment };
      const answer = await callApi<RuleSetView>(session, 'POST', `/v1/rule-sets/${ruleSet.id}/${decision}`, { body });
      setConfirming(false);
      onDecided(answer.body);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };
  const sendBack = () => {
    if (comment.trim() === '') {
      setFormProblem(t.sendBackNeedsComment);
      return;
    }
    setFormProblem(null);
    void decide('send-back');
  };

  return (
    <section aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>{t.publishTitle}</h3>
      <p className="muted">{t.reviewByAnother}</p>
      <div className="card" data-testid="submission">
        {review.submittedBy && review.submittedAt && <p>{t.submission(review.submittedBy, formatDateTime(review.submittedAt))}</p>}
        {review.comment && <blockquote>{review.comment}</blockquote>}
        <p>{t.requestedEffective(review.requestedEffectiveFrom ? formatDateTime(review.requestedEffectiveFrom, { seconds: true }) : t.onApproval)}</p>
      </div>
      <form
        className="publish-form"
        onSubmit={(event) => {
          event.preventDefault();
          setFormProblem(null);
          setError(null);
          setConfirming(true);
          void run(todayInWib());
        }}
      >
        <div className="field">
          <label htmlFor={`${id}-comment`}>{t.decisionComment}</label>
          <textarea id={`${id}-comment`} maxLength={2000} rows={3} value={comment} onChange={(event) => setComment(event.target.value)} />
        </div>
        {formProblem && (
          <p className="notice error" role="alert">
            {formProblem}
          </p>
        )}
        <div className="actions">
          <button type="submit" className="primary" disabled={busy}>
            {t.approveAndPublish}
          </button>
          <button type="button" disabled={busy} onClick={sendBack}>
            {t.sendBack}
          </button>
        </div>
      </form>
      {!confirming && error !== null && <ErrorNotice error={error} />}
      <ConfirmWithChanges
        open={confirming}
        title={t.confirmApproveTitle(ruleSet.name, ruleSet.version)}
        confirmLabel={t.confirmApprove}
        busy={busy}
        busyLabel={t.approving}
        onConfirm={() => void decide('approve')}
        onCancel={() => setConfirming(false)}
        ruleSetId={ruleSet.id}
        impact={impact}
        error={error}
      />
    </section>
  );
}

/** The confirmation the author and the reviewer each give: what the version changes against the one in force, and its impact. */
function ConfirmWithChanges({
  ruleSetId,
  impact,
  error,
  children,
  ...dialog
}: Omit<ComponentProps<typeof ConfirmDialog>, 'children'> & { ruleSetId: string; impact: ReturnType<typeof useImpact>['impact']; error: unknown; children?: ReactNode }) {
  const { t } = useI18n();
  return (
    <ConfirmDialog {...dialog}>
      {children}
      {dialog.open && (
        <>
          <h3>{t.changesAgainstInForce}</h3>
          <DiffSummary ruleSetId={ruleSetId} />
          <h3>{t.impact}</h3>
          <ImpactResult impact={impact} compact />
        </>
      )}
      {error !== null && <ErrorNotice error={error} />}
    </ConfirmDialog>
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
