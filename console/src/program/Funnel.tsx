// The funnel from registration to completion as horizontal bars with counts and shares, overall
// or for one wave and one province.
import { useId, useState, type FormEvent } from 'react';
import type { WaveView } from '../../../api/waves/wave.schema';
import { PROVINCES } from '../../../lib/indonesia-provinces';
import { ApiError, callApi } from '../shared/api';
import { ErrorNotice, Loading } from '../shared/feedback';
import { HorizontalBars } from '../shared/HorizontalBars';
import { useI18n } from '../shared/i18n';
import { useSession } from '../shared/session-context';
import { useRequest } from '../shared/use-request';
import { funnelSchema } from './program-api';

export function FunnelSection({ waves }: { waves: readonly WaveView[] }) {
  const { t, formatNumber, formatPercent, formatDateTime, formatRupiah } = useI18n();
  const { session } = useSession();
  const id = useId();
  const [filters, setFilters] = useState({ wave: '', province: '' });
  const [draft, setDraft] = useState(filters);
  const funnel = useRequest(
    async (signal) => {
      const query = new URLSearchParams();
      if (filters.wave) query.set('wave', filters.wave);
      if (filters.province.trim()) query.set('province', filters.province.trim());
      const answer = await callApi<unknown>(session, 'GET', `/v1/stats/funnel${query.size > 0 ? `?${query}` : ''}`, { signal });
      return funnelSchema.parse(answer.body);
    },
    [filters, session.key],
  );
  const apply = (event: FormEvent) => {
    event.preventDefault();
    setFilters(draft);
  };
  const unavailable = funnel.state === 'failed' && funnel.error instanceof ApiError && funnel.error.isMissingRoute;
  return (
    <section className="card" aria-labelledby={`${id}-title`} data-testid="funnel">
      <h2 id={`${id}-title`}>{t.funnelTitle}</h2>
      <p className="muted">{t.funnelIntro}</p>
      <form className="inline-form" onSubmit={apply}>
        <label htmlFor={`${id}-wave`}>{t.wave}</label>
        <select id={`${id}-wave`} value={draft.wave} onChange={(event) => setDraft({ ...draft, wave: event.target.value })}>
          <option value="">{t.allWaves}</option>
          {waves.map((wave) => (
            <option key={wave.id} value={wave.number}>
              {t.waveNumber(wave.number)}
            </option>
          ))}
        </select>
        <label htmlFor={`${id}-province`}>{t.provinceFilter}</label>
        <input id={`${id}-province`} list={`${id}-provinces`} value={draft.province} onChange={(event) => setDraft({ ...draft, province: event.target.value })} />
        <datalist id={`${id}-provinces`}>
          {PROVINCES.map((province) => (
            <option key={province.code} value={province.name} />
          ))}
        </datalist>
        <button type="submit">{t.show}</button>
      </form>
      {funnel.state === 'loading' && <Loading />}
      {unavailable && <p className="notice warn">{t.funnelUnavailable}</p>}
      {funnel.state === 'failed' && !unavailable && <ErrorNotice error={funnel.error} onRetry={funnel.reload} />}
      {funnel.state === 'loaded' && (
        <>
          <HorizontalBars
            title={t.funnelTitle}
            titleHidden
            tableHeading={t.step}
            rows={funnel.data.steps.map((step) => ({
              name: t.funnelSteps[step.step] ?? step.step,
              people: step.people,
              share: step.shareOfRegistered ?? null,
              payments: step.payments,
              rupiah: step.rupiah,
            }))}
            series={[
              {
                key: 'people',
                label: t.people,
                color: '#1d4ed8',
                barLabel: (row) => `${formatNumber(row.people)} · ${formatPercent(row.share)}`,
              },
            ]}
          />
          {funnel.data.steps.some((step) => step.rupiah !== undefined) && (
            <ul className="muted small">
              {funnel.data.steps
                .filter((step) => step.rupiah !== undefined)
                .map((step) => (
                  <li key={step.step}>
                    {t.funnelSteps[step.step] ?? step.step}: {formatNumber(step.payments ?? 0)} {t.payments.toLowerCase()}, {formatRupiah(step.rupiah ?? 0)}
                  </li>
                ))}
            </ul>
          )}
          {funnel.data.asOf && <p className="muted small">{t.asOf(formatDateTime(funnel.data.asOf))}</p>}
        </>
      )}
    </section>
  );
}
