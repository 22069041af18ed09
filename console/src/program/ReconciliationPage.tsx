// A day's payment reconciliation: its totals and its open discrepancies as cases, each closed with
// a reason (operators resolve; program managers may instead accept the provider's figure).
import { useId, useState } from 'react';
import type { DiscrepanciesPage, DiscrepancyView, ReconciliationDayView } from '../../../api/reconciliation/reconciliation.schema';
import { programDateAt } from '../../../lib/program-day';
import { may } from '../shared/access';
import { ApiError, callApi } from '../shared/api';
import { ErrorNotice, Loaded } from '../shared/feedback';
import { useI18n } from '../shared/i18n';
import { useSession } from '../shared/session-context';
import { useRequest } from '../shared/use-request';

const yesterdayInWib = () => programDateAt(new Date(Date.now() - 86_400_000));

/** Open cases per page: a day with a faulty statement can have thousands. */
const CASES_PER_PAGE = 50;

/** A day never reconciled has no totals and no cases (404 RECONCILIATION_NOT_FOUND): said once, not as an error. */
async function unlessNotReconciled<T>(load: () => Promise<T>): Promise<T | null> {
  try {
    return await load();
  } catch (error) {
    if (error instanceof ApiError && error.code === 'RECONCILIATION_NOT_FOUND') return null;
    throw error;
  }
}

export function ReconciliationPage() {
  const { t, formatNumber, formatRupiah } = useI18n();
  const { session } = useSession();
  const id = useId();
  const [day, setDay] = useState(yesterdayInWib);
  // The cursors of the pages before the one shown (the API pages forward only): empty on the first page.
  const [earlierCursors, setEarlierCursors] = useState<string[]>([]);
  const cursor = earlierCursors.at(-1);
  const totals = useRequest(
    (signal) => unlessNotReconciled(async () => (await callApi<ReconciliationDayView>(session, 'GET', `/v1/reconciliation/days/${day}`, { signal })).body),
    [day, session.key],
  );
  const cases = useRequest(
    (signal) =>
      unlessNotReconciled(async () => {
        const query = new URLSearchParams({ status: 'OPEN', limit: String(CASES_PER_PAGE), ...(cursor === undefined ? {} : { cursor }) });
        return (await callApi<DiscrepanciesPage>(session, 'GET', `/v1/reconciliation/days/${day}/discrepancies?${query.toString()}`, { signal })).body;
      }),
    [day, cursor, session.key],
  );
  const chooseDay = (chosen: string) => {
    setDay(chosen);
    setEarlierCursors([]);
  };
  const showNextPage = (nextCursor: string | null) => {
    if (nextCursor !== null) setEarlierCursors((cursors) => [...cursors, nextCursor]);
  };
  const [runError, setRunError] = useState<unknown>(null);
  const runNow = async () => {
    setRunError(null);
    try {
      await callApi(session, 'POST', `/v1/reconciliation/days/${day}/runs`);
      totals.reload();
      cases.reload();
    } catch (error) {
      setRunError(error);
    }
  };
  const reloadAll = () => {
    totals.reload();
    cases.reload();
  };

  return (
    <section className="card" aria-labelledby={`${id}-title`} data-testid="reconciliation">
      <h2 id={`${id}-title`}>{t.reconciliationTitle}</h2>
      <p>
        <label>
          {t.reconciliationDay} <input type="date" value={day} onChange={(event) => event.target.value && chooseDay(event.target.value)} />
        </label>{' '}
        {may(session.role, 'POST /v1/reconciliation/days/:day/runs') && (
          <button type="button" onClick={() => void runNow()}>
            {t.reconcileNow}
          </button>
        )}
      </p>
      {runError !== null && <ErrorNotice error={runError} />}
      <Loaded request={totals}>
        {(day) =>
          day === null ? (
            <p className="muted">{t.notReconciled}</p>
          ) : (
            <p data-testid="reconciliation-totals">
              {t.reconciliationTotals(formatNumber(day.matched.count), formatRupiah(day.matched.rupiah), formatNumber(day.unmatched.count), formatRupiah(day.unmatched.rupiah), formatNumber(day.open))}
            </p>
          )
        }
      </Loaded>
      <Loaded request={cases}>
        {(page) =>
          page === null ? null : page.discrepancies.length === 0 && earlierCursors.length === 0 ? (
            <p className="muted">{t.noOpenDiscrepancies}</p>
          ) : (
            <>
              <div className="table-scroll">
                <table>
                  <thead>
                    <tr>
                      <th scope="col">{t.discrepancyKind}</th>
                      <th scope="col">{t.idempotencyKey}</th>
                      <th scope="col">{t.ledgerAmount}</th>
                      <th scope="col">{t.statementAmount}</th>
                      <th scope="col">{t.closeCase}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {page.discrepancies.map((discrepancy) => (
                      <DiscrepancyRow key={discrepancy.id} discrepancy={discrepancy} onClosed={reloadAll} />
                    ))}
                  </tbody>
                </table>
              </div>
              <nav className="pager" aria-label={t.casesPages} data-testid="reconciliation-pager">
                <button type="button" disabled={earlierCursors.length === 0} onClick={() => setEarlierCursors((cursors) => cursors.slice(0, -1))}>
                  {t.previousCasesPage}
                </button>{' '}
                <span className="small">{t.casesPageNumber(formatNumber(earlierCursors.length + 1))}</span>{' '}
                <button type="button" disabled={page.nextCursor === null} onClick={() => showNextPage(page.nextCursor)}>
                  {t.nextCasesPage}
                </button>
              </nav>
            </>
          )
        }
      </Loaded>
    </section>
  );
}

function DiscrepancyRow({ discrepancy, onClosed }: { discrepancy: DiscrepancyView; onClosed: () => void }) {
  const { t, formatRupiah } = useI18n();
  const { session } = useSession();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<unknown>(null);
  const close = async (closing: 'resolution' | 'override') => {
    setError(null);
    try {
      await callApi(session, 'POST', `/v1/reconciliation/discrepancies/${discrepancy.id}/${closing}`, { body: { reason } });
      onClosed();
    } catch (failure) {
      setError(failure);
    }
  };
  const amount = (value: number | null) => (value === null ? t.none : formatRupiah(value));
  return (
    <tr>
      <th scope="row">{t.discrepancyKinds[discrepancy.kind] ?? discrepancy.kind}</th>
      <td className="small">{discrepancy.idempotencyKey}</td>
      <td>{amount(discrepancy.ledgerAmount)}</td>
      <td>{amount(discrepancy.statementAmount)}</td>
      <td>
        <label className="small">
          {t.closingReason} <input type="text" value={reason} onChange={(event) => setReason(event.target.value)} />
        </label>{' '}
        {may(session.role, 'POST /v1/reconciliation/discrepancies/:id/resolution') && (
          <button type="button" onClick={() => void close('resolution')}>
            {t.resolveCase}
          </button>
        )}
        {may(session.role, 'POST /v1/reconciliation/discrepancies/:id/override') && (
          <button type="button" onClick={() => void close('override')}>
            {t.overrideCase}
          </button>
        )}
        {error !== null && <ErrorNotice error={error} />}
      </td>
    </tr>
  );
}
