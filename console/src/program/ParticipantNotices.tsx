// The notices a participant was sent (for operators and auditors), and for operators the action
// that sends one of them again, confirmed first, with the reason given for the operator actions.
import { useState } from 'react';
import type { ParticipantNoticeView, ParticipantNotices } from '../../../api/participants/participant.schema';
import { ConfirmDialog } from '../shared/ConfirmDialog';
import { Badge, Loaded } from '../shared/feedback';
import { useI18n, type Messages } from '../shared/i18n';
import type { Request } from '../shared/use-request';
import { isResend, milestoneDetail, resendableNotices } from './participant-notices';

/** A notice in words: its kind, what it was about where the kind does not say, and when it went out. */
function describeNotice(notice: ParticipantNoticeView, t: Messages, formatDateTime: (iso: string) => string): string {
  const detail = milestoneDetail(notice);
  return [t.noticeKinds[notice.kind], detail && `(${detail})`, notice.sentAt && `— ${t.noticeSentOn(formatDateTime(notice.sentAt))}`].filter(Boolean).join(' ');
}

export function NoticesTable({ notices }: { notices: Request<ParticipantNotices> & { reload: () => void } }) {
  const { t, formatDateTime } = useI18n();
  return (
    <>
      <h3>{t.noticesTitle}</h3>
      <Loaded request={notices}>
        {(loaded) =>
          loaded.notices.length === 0 ? (
            <p className="muted">{t.noNotices}</p>
          ) : (
            <div className="table-scroll">
              <table data-testid="participant-notices">
                <thead>
                  <tr>
                    <th scope="col">{t.noticeKind}</th>
                    <th scope="col">{t.noticeMilestone}</th>
                    <th scope="col">{t.noticeChannel}</th>
                    <th scope="col">{t.noticeStatus}</th>
                    <th scope="col">{t.noticeSentAt}</th>
                  </tr>
                </thead>
                <tbody>
                  {loaded.notices.map((notice) => (
                    <tr key={notice.milestone}>
                      <th scope="row">
                        {t.noticeKinds[notice.kind]} {isResend(notice) && <Badge tone="info">{t.noticeResentBadge}</Badge>}
                      </th>
                      <td>
                        <code className="small">{notice.milestone}</code>
                      </td>
                      <td>{t.noticeChannels[notice.channel]}</td>
                      <td>
                        <Badge tone={notice.status === 'SENT' ? 'good' : 'warn'}>{t.noticeStatuses[notice.status]}</Badge>
                      </td>
                      <td>{notice.sentAt ? formatDateTime(notice.sentAt) : t.none}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        }
      </Loaded>
    </>
  );
}

/**
 * Picks a notice that went out and sends it again once confirmed. `resend` answers whether the
 * API accepted it; the operator actions show a refusal.
 */
export function NoticeResend({ notices, reason, busy, resend }: { notices: readonly ParticipantNoticeView[]; reason: string; busy: boolean; resend: (milestone: string) => Promise<boolean> }) {
  const { t, formatDateTime } = useI18n();
  const resendable = resendableNotices(notices);
  const [picked, setPicked] = useState<string | null>(null);
  const [asking, setAsking] = useState(false);
  const [resent, setResent] = useState<ParticipantNoticeView | null>(null);
  const chosen = resendable.find((notice) => notice.milestone === picked) ?? resendable[0];

  const confirm = async (notice: ParticipantNoticeView) => {
    const accepted = await resend(notice.milestone);
    setAsking(false);
    if (accepted) setResent(notice);
  };

  return (
    <fieldset data-testid="notice-resend">
      <legend>{t.noticeResendTitle}</legend>
      {chosen === undefined ? (
        <p className="muted">{t.noNoticeToResend}</p>
      ) : (
        <>
          <label>
            {t.noticeToResend}{' '}
            <select value={chosen.milestone} onChange={(event) => setPicked(event.target.value)}>
              {resendable.map((notice) => (
                <option key={notice.milestone} value={notice.milestone}>
                  {describeNotice(notice, t, formatDateTime)}
                </option>
              ))}
            </select>
          </label>{' '}
          <button
            type="button"
            disabled={busy}
            onClick={() => {
              setResent(null);
              setAsking(true);
            }}
          >
            {t.resendNotice}…
          </button>
          <ConfirmDialog open={asking} title={t.resendNoticeTitle} confirmLabel={t.resendNotice} busy={busy} onConfirm={() => void confirm(chosen)} onCancel={() => setAsking(false)}>
            <p>{t.resendNoticeText(describeNotice({ ...chosen, sentAt: null }, t, formatDateTime), chosen.sentAt ? formatDateTime(chosen.sentAt) : t.none, t.noticeChannels[chosen.channel])}</p>
            <p>
              {t.operatorActionReason}: {reason.trim() === '' ? t.none : reason}
            </p>
          </ConfirmDialog>
        </>
      )}
      {resent && (
        <p className="notice" role="status" data-testid="notice-resent">
          {t.noticeResent(describeNotice({ ...resent, sentAt: null }, t, formatDateTime), t.noticeChannels[resent.channel])}
        </p>
      )}
    </fieldset>
  );
}
