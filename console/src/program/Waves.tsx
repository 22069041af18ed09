// The waves: state, dates, quota, program terms, and each wave's selection summary.
import { useId, useState } from 'react';
import type { WaveView } from '../../../api/waves/wave.schema';
import { ApiError, callApi } from '../shared/api';
import { Badge } from '../shared/feedback';
import { useI18n } from '../shared/i18n';
import { useSession } from '../shared/session-context';
import { useRequest } from '../shared/use-request';
import { waveSelectionSchema } from './program-api';
import { ProgramTermsText } from './ProgramTerms';

const FIRST_ROWS = 8;
const STATE_TONE: Record<string, 'neutral' | 'good' | 'info' | 'warn'> = { SCHEDULED: 'neutral', OPEN: 'good', CLOSED: 'warn', SELECTING: 'info', SELECTED: 'info' };

export function WavesSection({ waves }: { waves: readonly WaveView[] }) {
  const { t } = useI18n();
  const id = useId();
  const [showAll, setShowAll] = useState(false);
  // Newest first: the wave being run now matters most.
  const ordered = [...waves].sort((a, b) => b.opensAt.localeCompare(a.opensAt) || b.number - a.number);
  const shown = showAll ? ordered : ordered.slice(0, FIRST_ROWS);
  return (
    <section className="card" aria-labelledby={`${id}-title`} data-testid="waves">
      <h2 id={`${id}-title`}>{t.wavesTitle}</h2>
      {waves.length === 0 ? (
        <p className="muted">{t.noWaves}</p>
      ) : (
        <div className="table-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">{t.wave}</th>
                <th scope="col">{t.state}</th>
                <th scope="col">{t.opens}</th>
                <th scope="col">{t.closes}</th>
                <th scope="col">{t.quota}</th>
                <th scope="col">{t.terms}</th>
                <th scope="col">{t.selection}</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((wave) => (
                <WaveRow key={wave.id} wave={wave} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {ordered.length > FIRST_ROWS && (
        <button type="button" onClick={() => setShowAll(!showAll)} aria-expanded={showAll}>
          {showAll ? t.showFewerWaves(FIRST_ROWS) : t.showAllWaves(ordered.length)}
        </button>
      )}
    </section>
  );
}

function WaveRow({ wave }: { wave: WaveView }) {
  const { t, formatDateTime, formatNumber } = useI18n();
  const { session } = useSession();
  const selection = useRequest(
    async (signal) => waveSelectionSchema.parse((await callApi<unknown>(session, 'GET', `/v1/waves/${wave.id}/selection`, { signal })).body),
    [wave.id, session.key],
  );
  let summary: string;
  if (selection.state === 'loading') summary = t.loading;
  else if (selection.state === 'failed') summary = selection.error instanceof ApiError && selection.error.isMissingRoute ? t.selectionUnavailable : t.none;
  else {
    const { selected, applicants, cutoffPriority } = selection.data;
    summary = [
      selected !== undefined && applicants !== undefined ? t.selectionSummary(formatNumber(selected), formatNumber(applicants)) : undefined,
      cutoffPriority !== null && cutoffPriority !== undefined ? t.cutoff(cutoffPriority) : undefined,
    ]
      .filter(Boolean)
      .join(' · ');
  }
  return (
    <tr>
      <th scope="row">{t.waveNumber(wave.number)}</th>
      <td>
        <Badge tone={STATE_TONE[wave.state] ?? 'neutral'}>{t.waveStates[wave.state] ?? wave.state}</Badge>
      </td>
      <td>{formatDateTime(wave.opensAt)}</td>
      <td>{formatDateTime(wave.closesAt)}</td>
      <td>{formatNumber(wave.quota)}</td>
      <td className="small" data-testid="wave-terms">
        <ProgramTermsText terms={wave.terms} />
      </td>
      <td className="muted">{summary || t.none}</td>
    </tr>
  );
}
