// A participant's operator actions: the audit trail (who, when, why, the journey before and after)
// and, for the roles allowed, the actions themselves, each with its reason.
import { useState } from 'react';
import type { AuditTrail, JourneySnapshot } from '../../../api/participants/participant.schema';
import { may } from '../shared/access';
import { callApi } from '../shared/api';
import { Badge, ErrorNotice, Loaded } from '../shared/feedback';
import { useI18n } from '../shared/i18n';
import { useSession } from '../shared/session-context';
import { useRequest } from '../shared/use-request';

const ACTION_ROUTES = {
  cancellation: 'POST /v1/participants/:id/cancellation',
  'verification-email-resends': 'POST /v1/participants/:id/verification-email-resends',
  'payout-retries': 'POST /v1/participants/:id/payout-retries',
} as const;
type ActionPath = keyof typeof ACTION_ROUTES;

export function OperatorActions({ participantId, onActionDone }: { participantId: string; onActionDone: () => void }) {
  const { t, formatDateTime } = useI18n();
  const { session } = useSession();
  const trail = useRequest(
    async (signal) => (await callApi<AuditTrail>(session, 'GET', `/v1/participants/${encodeURIComponent(participantId)}/audit-trail`, { signal })).body,
    [participantId, session.key],
  );
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const allowedActions = (Object.keys(ACTION_ROUTES) as ActionPath[]).filter((path) => may(session.role, ACTION_ROUTES[path]));

  const act = async (path: ActionPath) => {
    setError(null);
    setBusy(true);
    try {
      await callApi(session, 'POST', `/v1/participants/${encodeURIComponent(participantId)}/${path}`, { body: { reason } });
      setReason('');
      onActionDone();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
      trail.reload();
    }
  };
  const snapshot = (value: JourneySnapshot | null) =>
    value ? `${t.stages[value.stage] ?? value.stage}${value.payoutBlocked ? ` · ${t.payoutBlocked(value.payoutBlocked)}` : ''}` : t.none;

  return (
    <section className="card" aria-labelledby="operator-actions-title" data-testid="operator-actions">
      <h2 id="operator-actions-title">{t.operatorActionsTitle}</h2>
      {allowedActions.length > 0 && (
        <div className="operator-action-form">
          <label>
            {t.operatorActionReason} <input type="text" value={reason} onChange={(event) => setReason(event.target.value)} data-testid="operator-action-reason" />
          </label>{' '}
          {allowedActions.map((path) => (
            <button key={path} type="button" disabled={busy} onClick={() => void act(path)}>
              {t.operatorActionButtons[path]}
            </button>
          ))}
          {error !== null && <ErrorNotice error={error} />}
        </div>
      )}
      <h3>{t.auditTrailTitle}</h3>
      <Loaded request={trail}>
        {(loaded) =>
          loaded.actions.length === 0 ? (
            <p className="muted">{t.noOperatorActions}</p>
          ) : (
            <div className="table-scroll">
              <table data-testid="audit-trail">
                <thead>
                  <tr>
                    <th scope="col">{t.operatorActionWhen}</th>
                    <th scope="col">{t.operatorActionKind}</th>
                    <th scope="col">{t.operatorActionWho}</th>
                    <th scope="col">{t.operatorActionReason}</th>
                    <th scope="col">{t.operatorActionOutcome}</th>
                    <th scope="col">{t.operatorActionBefore}</th>
                    <th scope="col">{t.operatorActionAfter}</th>
                  </tr>
                </thead>
                <tbody>
                  {loaded.actions.map((action) => (
                    <tr key={action.actionId}>
                      <td>{formatDateTime(action.requestedAt)}</td>
                      <th scope="row">{t.operatorActionKinds[action.kind]}</th>
                      <td>
                        {action.actor} <span className="muted small">({action.actorRole})</span>
                      </td>
                      <td>{action.reason}</td>
                      <td>
                        <Badge tone={action.outcome === 'DONE' ? 'good' : action.outcome === 'REFUSED' ? 'bad' : 'warn'}>{t.operatorActionOutcomes[action.outcome]}</Badge>
                        {action.refusalCode && <code className="small"> {action.refusalCode}</code>}
                      </td>
                      <td className="small">{snapshot(action.before)}</td>
                      <td className="small">{snapshot(action.after)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        }
      </Loaded>
    </section>
  );
}
