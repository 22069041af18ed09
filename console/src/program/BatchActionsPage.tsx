// Batch actions by filter: choose participants by stage, wave, province, rule-set version or exit
// reason, see how many the filter matches, give a reason and start; a second operator confirms a
// batch over the threshold. Each batch shows its progress (done, refused, failed, remaining) and,
// for operators, pause, resume and cancel.
import { useEffect, useId, useState } from 'react';
import type { BatchActionFilter, BatchActionList, BatchActionPreview, BatchActionView } from '../../../api/batch-actions/batch-action.schema';
import { BATCH_ACTION_KINDS, type BatchActionKind } from '../../../workflows/batch-action.definitions';
import { STAGES } from '../../../workflows/participant-journey.definitions';
import { may } from '../shared/access';
import { callApi } from '../shared/api';
import { ConfirmDialog } from '../shared/ConfirmDialog';
import { Badge, ErrorNotice, Loaded } from '../shared/feedback';
import { useI18n } from '../shared/i18n';
import { useSession } from '../shared/session-context';
import { useRequest } from '../shared/use-request';

/** How often the list is read again while a batch is not finished: progress moves every second or so. */
const PROGRESS_REFRESH_MS = 2_000;

interface FilterForm {
  stage: string;
  wave: string;
  province: string;
  ruleSetVersion: string;
  exitReason: string;
}
const EMPTY_FILTER: FilterForm = { stage: '', wave: '', province: '', ruleSetVersion: '', exitReason: '' };

/** The form's fields as the API's filter: empty fields are left out; numbers the API checks. */
function filterOf(form: FilterForm): BatchActionFilter {
  const number = (value: string) => (value.trim() === '' ? undefined : Number(value));
  const text = (value: string) => (value.trim() === '' ? undefined : value.trim());
  return {
    stage: text(form.stage) as BatchActionFilter['stage'],
    wave: number(form.wave),
    province: text(form.province),
    ruleSetVersion: number(form.ruleSetVersion),
    exitReason: text(form.exitReason),
  };
}

const isFinished = (batch: BatchActionView) => batch.status === 'COMPLETED' || batch.status === 'CANCELLED';

export function BatchActionsPage() {
  const { t } = useI18n();
  const { session } = useSession();
  const id = useId();
  const batches = useRequest(async (signal) => (await callApi<BatchActionList>(session, 'GET', '/v1/batch-actions?limit=20', { signal })).body, [session.key]);
  const active = batches.state === 'loaded' && batches.data.batchActions.some((batch) => !isFinished(batch));
  const { reload } = batches;
  useEffect(() => {
    if (!active) return undefined;
    const timer = setInterval(reload, PROGRESS_REFRESH_MS);
    return () => clearInterval(timer);
  }, [active, reload]);

  return (
    <>
      {may(session.role, 'POST /v1/batch-actions') && <NewBatchAction onStarted={reload} />}
      <section className="card" aria-labelledby={`${id}-list`} data-testid="batch-actions">
        <h2 id={`${id}-list`}>{t.batchActionsTitle}</h2>
        <Loaded request={batches}>
          {(loaded) =>
            loaded.batchActions.length === 0 ? (
              <p className="muted">{t.noBatchActions}</p>
            ) : (
              <ul className="batch-list">
                {loaded.batchActions.map((batch) => (
                  <BatchActionCard key={batch.batchId} batch={batch} onChanged={reload} />
                ))}
              </ul>
            )
          }
        </Loaded>
      </section>
    </>
  );
}

function NewBatchAction({ onStarted }: { onStarted: () => void }) {
  const { t, formatNumber } = useI18n();
  const { session } = useSession();
  const id = useId();
  const [form, setForm] = useState<FilterForm>(EMPTY_FILTER);
  const [action, setAction] = useState<BatchActionKind>('RESEND_VERIFICATION_EMAIL');
  const [reason, setReason] = useState('');
  const [ratePerSecond, setRatePerSecond] = useState('');
  const [preview, setPreview] = useState<BatchActionPreview | null>(null);
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const field = (name: keyof FilterForm) => ({
    value: form[name],
    onChange: (event: { target: { value: string } }) => {
      setForm((current) => ({ ...current, [name]: event.target.value }));
      // A count is only good for the filter it was made for.
      setPreview(null);
    },
  });

  const count = async () => {
    setError(null);
    try {
      setPreview((await callApi<BatchActionPreview>(session, 'POST', '/v1/batch-actions/previews', { body: { filter: filterOf(form) } })).body);
    } catch (failure) {
      setError(failure);
    }
  };
  const start = async () => {
    setError(null);
    setBusy(true);
    try {
      const rate = ratePerSecond.trim() === '' ? undefined : Number(ratePerSecond);
      await callApi(session, 'POST', '/v1/batch-actions', { body: { action, filter: filterOf(form), reason, ratePerSecond: rate } });
      setReason('');
      setPreview(null);
      onStarted();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
      setAsking(false);
    }
  };

  return (
    <section className="card" aria-labelledby={`${id}-title`} data-testid="new-batch-action">
      <h2 id={`${id}-title`}>{t.newBatchActionTitle}</h2>
      <fieldset>
        <legend>{t.batchFilterTitle}</legend>
        <label>
          {t.batchFilterStage}{' '}
          <select {...field('stage')}>
            <option value="">{t.batchFilterAny}</option>
            {STAGES.map((stage) => (
              <option key={stage} value={stage}>
                {t.stages[stage] ?? stage}
              </option>
            ))}
          </select>
        </label>{' '}
        <label>
          {t.batchFilterWave} <input type="number" min={1} {...field('wave')} />
        </label>{' '}
        <label>
          {t.batchFilterProvince} <input type="text" {...field('province')} />
        </label>{' '}
        <label>
          {t.batchFilterRuleSetVersion} <input type="number" min={1} {...field('ruleSetVersion')} />
        </label>{' '}
        <label>
          {t.batchFilterExitReason} <input type="text" {...field('exitReason')} />
        </label>{' '}
        <button type="button" onClick={() => void count()}>
          {t.countParticipants}
        </button>
      </fieldset>
      {preview && (
        <p data-testid="batch-preview">
          {t.batchPreviewCount(formatNumber(preview.count))} {preview.confirmationRequired && <Badge tone="warn">{t.batchNeedsConfirmation(formatNumber(preview.confirmationThreshold))}</Badge>}
        </p>
      )}
      <p>
        <label>
          {t.batchAction}{' '}
          <select value={action} onChange={(event) => setAction(event.target.value as BatchActionKind)}>
            {BATCH_ACTION_KINDS.map((kind) => (
              <option key={kind} value={kind}>
                {t.operatorActionKinds[kind]}
              </option>
            ))}
          </select>
        </label>{' '}
        <label>
          {t.operatorActionReason} <input type="text" value={reason} onChange={(event) => setReason(event.target.value)} data-testid="batch-reason" />
        </label>{' '}
        <label>
          {t.batchRate(preview ? formatNumber(preview.maxPerSecond) : '…')} <input type="number" min={1} value={ratePerSecond} onChange={(event) => setRatePerSecond(event.target.value)} />
        </label>{' '}
        <button type="button" className="primary" disabled={preview === null || preview.count === 0 || busy} onClick={() => setAsking(true)}>
          {t.startBatch}
        </button>
      </p>
      {error !== null && <ErrorNotice error={error} />}
      <ConfirmDialog open={asking} title={t.startBatchTitle} confirmLabel={t.startBatch} busy={busy} onConfirm={() => void start()} onCancel={() => setAsking(false)}>
        <p>{preview && t.startBatchText(t.operatorActionKinds[action], formatNumber(preview.count))}</p>
      </ConfirmDialog>
    </section>
  );
}

function BatchActionCard({ batch, onChanged }: { batch: BatchActionView; onChanged: () => void }) {
  const { t, formatNumber, formatDateTime } = useI18n();
  const { session } = useSession();
  const [cancellationReason, setCancellationReason] = useState('');
  const [error, setError] = useState<unknown>(null);
  const { progress } = batch;
  const send = async (control: 'confirmation' | 'pause' | 'resumption' | 'cancellation') => {
    setError(null);
    try {
      await callApi(session, 'POST', `/v1/batch-actions/${batch.batchId}/${control}`, control === 'cancellation' ? { body: { reason: cancellationReason } } : {});
      onChanged();
    } catch (failure) {
      setError(failure);
    }
  };
  const tone = batch.status === 'COMPLETED' ? 'good' : batch.status === 'CANCELLED' ? 'bad' : batch.status === 'RUNNING' ? 'info' : 'warn';
  const filterText = Object.entries(batch.filter)
    .filter(([, value]) => value !== undefined)
    .map(([name, value]) => `${name}=${String(value)}`)
    .join(', ');
  return (
    <li className="card" data-testid="batch-action">
      <p>
        <strong>{t.operatorActionKinds[batch.action]}</strong> <Badge tone={tone}>{t.batchStatuses[batch.status]}</Badge> <code className="small">{filterText}</code>
      </p>
      <p className="small muted">
        {t.batchRequested(batch.requestedBy, formatDateTime(batch.requestedAt), batch.reason)}
        {batch.confirmation.confirmedBy && ` · ${t.batchConfirmedBy(batch.confirmation.confirmedBy)}`}
        {batch.cancellationReason && ` · ${t.batchCancelledBecause(batch.statusChangedBy, batch.cancellationReason)}`}
      </p>
      <p data-testid="batch-progress">
        <progress max={progress.total} value={progress.total - progress.remaining} aria-label={t.batchProgressLabel} />{' '}
        {t.batchProgress(formatNumber(progress.done), formatNumber(progress.refused), formatNumber(progress.failed), formatNumber(progress.remaining), formatNumber(progress.total))}
        {progress.cancelled > 0 && ` · ${t.batchCancelledCount(formatNumber(progress.cancelled))}`}
      </p>
      {may(session.role, 'POST /v1/batch-actions/:id/pause') && !isFinished(batch) && (
        <p>
          {batch.status === 'AWAITING_CONFIRMATION' && (
            <button type="button" className="primary" onClick={() => void send('confirmation')}>
              {t.confirmBatch}
            </button>
          )}
          {batch.status === 'RUNNING' && (
            <button type="button" onClick={() => void send('pause')}>
              {t.pauseBatch}
            </button>
          )}
          {batch.status === 'PAUSED' && (
            <button type="button" onClick={() => void send('resumption')}>
              {t.resumeBatch}
            </button>
          )}{' '}
          <label className="small">
            {t.operatorActionReason} <input type="text" value={cancellationReason} onChange={(event) => setCancellationReason(event.target.value)} />
          </label>{' '}
          <button type="button" onClick={() => void send('cancellation')}>
            {t.cancelBatch}
          </button>
        </p>
      )}
      {error !== null && <ErrorNotice error={error} />}
    </li>
  );
}
