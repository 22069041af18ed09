// The reviewers' queue: every open appeal counted by its age (the service level: none should
// wait past 14 days), and the appeals of one status, oldest filing first, each opening on its page.
import { useId, useState } from 'react';
import type { AppealQueue } from '../../../api/appeals/appeal.schema';
import { callApi } from '../shared/api';
import { Badge, Loaded } from '../shared/feedback';
import { useI18n } from '../shared/i18n';
import { Link } from '../shared/router';
import { useSession } from '../shared/session-context';
import { useRequest } from '../shared/use-request';
import { AppealResultBadge, AppealStatusBadge } from './AppealBadges';
import { AGE_BANDS, ageParts, APPEAL_STATUSES, appealQueuePath, isPastServiceLevel, type AppealStatus } from './appeal-queue';

type StatusFilter = AppealStatus | 'ALL';

export function AppealsPage() {
  const { t } = useI18n();
  const { session } = useSession();
  const id = useId();
  // Reviewers come for the open ones; the decided ones are a choice away.
  const [status, setStatus] = useState<StatusFilter>('OPEN');
  const queue = useRequest(async (signal) => (await callApi<AppealQueue>(session, 'GET', appealQueuePath(status), { signal })).body, [status, session.key]);
  return (
    <>
      <div className="page-heading">
        <h1>{t.appealsTitle}</h1>
      </div>
      <p className="muted">{t.appealsIntro}</p>
      {/* The counts cover every open appeal whatever the filter; loading and errors are shown once, with the queue. */}
      {queue.state === 'loaded' && <ServiceLevel openByAge={queue.data.openByAge} />}
      <section className="card" aria-labelledby={`${id}-queue`} data-testid="appeal-queue">
        <h2 id={`${id}-queue`}>{t.appealQueueTitle}</h2>
        <p>
          <label>
            {t.appealStatusFilter}{' '}
            <select value={status} onChange={(event) => setStatus(event.target.value as StatusFilter)}>
              <option value="ALL">{t.appealStatusAll}</option>
              {APPEAL_STATUSES.map((candidate) => (
                <option key={candidate} value={candidate}>
                  {t.appealStatuses[candidate]}
                </option>
              ))}
            </select>
          </label>
        </p>
        <Loaded request={queue}>{(loaded) => <AppealTable appeals={loaded.appeals} />}</Loaded>
      </section>
    </>
  );
}

function ServiceLevel({ openByAge }: { openByAge: AppealQueue['openByAge'] }) {
  const { t, formatNumber } = useI18n();
  const id = useId();
  return (
    <section className="card" aria-labelledby={`${id}-title`} data-testid="appeal-service-level">
      <h2 id={`${id}-title`}>{t.appealServiceLevelTitle}</h2>
      <p className="muted small">{t.appealServiceLevelIntro}</p>
      <dl className="figures service-level">
        {AGE_BANDS.map((band) => {
          const overdue = band === 'overFourteenDays' && openByAge[band] > 0;
          return (
            <div key={band} className={overdue ? 'overdue' : undefined} data-testid={`open-${band}`}>
              <dt>{t.appealAgeBands[band]}</dt>
              <dd>
                {formatNumber(openByAge[band])} {overdue && <Badge tone="bad">{t.pastServiceLevel}</Badge>}
              </dd>
            </div>
          );
        })}
      </dl>
    </section>
  );
}

function AppealTable({ appeals }: { appeals: AppealQueue['appeals'] }) {
  const { t, formatDateTime } = useI18n();
  if (appeals.length === 0) return <p className="muted">{t.noAppeals}</p>;
  return (
    <div className="table-scroll">
      <table>
        <thead>
          <tr>
            <th scope="col">{t.appeal}</th>
            <th scope="col">{t.appealAge}</th>
            <th scope="col">{t.appealedStage}</th>
            <th scope="col">{t.appealFiled}</th>
            <th scope="col">{t.appealWindowEnds}</th>
            <th scope="col">{t.appealStatus}</th>
            <th scope="col">{t.participant}</th>
          </tr>
        </thead>
        <tbody>
          {appeals.map((appeal) => {
            const late = isPastServiceLevel(appeal);
            const age = ageParts(appeal.ageHours);
            return (
              <tr key={appeal.appealId} className={late ? 'overdue' : undefined} data-testid="appeal-row">
                <th scope="row">
                  <Link to={`/appeals/${appeal.appealId}`} aria-label={t.openAppeal(appeal.appealId.slice(0, 8))}>
                    <code>{appeal.appealId.slice(0, 8)}</code>
                  </Link>
                </th>
                <td>
                  {t.appealAgeValue(age.days, age.hours)} {late && <Badge tone="bad">{t.pastServiceLevel}</Badge>}
                </td>
                <td>{t.stages[appeal.appealedStage] ?? appeal.appealedStage}</td>
                <td>{formatDateTime(appeal.filedAt)}</td>
                <td>{formatDateTime(appeal.windowEndsAt)}</td>
                <td>
                  <AppealStatusBadge status={appeal.status} /> {appeal.result && <AppealResultBadge result={appeal.result} />}
                  {appeal.decidedAt && <span className="muted small"> · {t.appealDecidedByAt(appeal.decidedBy ?? t.none, formatDateTime(appeal.decidedAt))}</span>}
                </td>
                <td>
                  <code className="small">{appeal.participantId}</code>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
