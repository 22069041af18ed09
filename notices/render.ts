// Renders a notice from its template files: notices/templates/<kind>.<language>.txt, the first
// line "Subject: …", the body after the blank line. Mustache keeps templates logic-less: every
// word is in the file a reviewer reads; this module only formats the values (rupiah, dates in
// WIB, reasons in the reader's language). One message carries Bahasa Indonesia, then English.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import Mustache from 'mustache';
import { type Language, type Notice, type NoticeKind, type NoticeReason } from './notice';

export const TEMPLATES_DIR = path.join(__dirname, 'templates');

export interface RenderedNotice {
  subject: string;
  text: string;
}

/** Who the notice is for, as the activity reads it from the sealed personal data: no NIK, no number. */
export interface NoticeRecipient {
  fullName: string;
  participantId: string;
}

interface Template {
  subject: string;
  body: string;
}

export const templateFileName = (kind: NoticeKind, language: Language) => `${kind.toLowerCase().replaceAll('_', '-')}.${language}.txt`;

const SUBJECT_LINE = /^Subject: (.+)\n\n/;

export function parseTemplate(source: string, file: string): Template {
  const match = SUBJECT_LINE.exec(source);
  if (!match) throw new Error(`${file}: the first line must be "Subject: …", then a blank line, then the body`);
  return { subject: match[1]!.trim(), body: source.slice(match[0].length).trimEnd() };
}

const templates = new Map<string, Template>();

export function loadTemplate(kind: NoticeKind, language: Language): Template {
  const file = templateFileName(kind, language);
  let template = templates.get(file);
  if (!template) {
    template = parseTemplate(readFileSync(path.join(TEMPLATES_DIR, file), 'utf8'), file);
    templates.set(file, template);
  }
  return template;
}

const LOCALES: Record<Language, string> = { id: 'id-ID', en: 'en-GB' };

/** "Rp 600.000" / "Rp 600,000". */
export function formatRupiah(amount: number, language: Language): string {
  return `Rp ${new Intl.NumberFormat(LOCALES[language], { maximumFractionDigits: 0 }).format(amount)}`;
}

/** A deadline as the participant reads it: Jakarta time, named WIB. */
export function formatDeadline(iso: string, language: Language): string {
  const formatted = new Intl.DateTimeFormat(LOCALES[language], { timeZone: 'Asia/Jakarta', dateStyle: 'long', timeStyle: 'short' }).format(new Date(iso));
  return `${formatted} WIB`;
}

const reasonView = (reason: NoticeReason, language: Language) => ({
  text: reason.messages?.[language] ?? reason.message,
  reference: reason.reference ?? null,
});

/** The values a template may use, formatted for its language. Absent optional values are null, so `{{#x}}` sections skip them. */
export function noticeView(notice: Notice, recipient: NoticeRecipient, language: Language): Record<string, unknown> {
  const money = (amount: number) => formatRupiah(amount, language);
  const date = (iso: string) => formatDeadline(iso, language);
  const optionalDate = (iso: string | undefined) => (iso === undefined ? null : date(iso));
  const common = { fullName: recipient.fullName, participantId: recipient.participantId };
  switch (notice.kind) {
    case 'IDENTITY_PROBLEM':
      return { ...common, mismatch: notice.problem === 'MISMATCH', notFound: notice.problem === 'NOT_FOUND', correctBy: date(notice.correctBy), attemptsLeft: notice.attemptsLeft };
    case 'IDENTITY_REJECTED':
      return { ...common, mismatch: notice.problem === 'MISMATCH', notFound: notice.problem === 'NOT_FOUND', deceased: notice.problem === 'DECEASED', appealBy: optionalDate(notice.appealBy) };
    case 'INELIGIBLE':
      return {
        ...common,
        reasons: notice.reasons.map((reason) => reasonView(reason, language)),
        ruleSetVersion: notice.ruleSetVersion,
        reevaluation: notice.reevaluation,
        appealBy: optionalDate(notice.appealBy),
      };
    case 'APPLIED_TO_WAVE':
      return { ...common, waveNumber: notice.waveNumber, carriedOver: notice.carriedOver };
    case 'SELECTED':
      return { ...common, waveNumber: notice.waveNumber, trainingBalance: money(notice.trainingBalance), purchaseBy: date(notice.purchaseBy) };
    case 'NOT_SELECTED':
      return { ...common, waveNumber: notice.waveNumber };
    case 'PURCHASE_REMINDER':
      return { ...common, purchaseBy: date(notice.purchaseBy), trainingBalance: money(notice.trainingBalance) };
    case 'PAYMENT':
      return { ...common, incentive: notice.payment === 'INCENTIVE', survey: notice.payment === 'SURVEY', sequence: notice.sequence, of: notice.of, amount: money(notice.amount) };
    case 'SURVEY_OPEN':
      return { ...common, sequence: notice.sequence, of: notice.of, closesAt: date(notice.closesAt), amount: money(notice.amount) };
    case 'REVOKED':
      return {
        ...common,
        notPurchasedInTime: notice.reason === 'TRAINING_NOT_PURCHASED_IN_TIME',
        reasons: notice.reasons.map((reason) => reasonView(reason, language)),
        hasReasons: notice.reasons.length > 0,
        repayment: notice.repayment ? { amount: money(notice.repayment.amount), dueAt: date(notice.repayment.dueAt) } : null,
        appealBy: optionalDate(notice.appealBy),
      };
    case 'COMPLETED':
      return { ...common, totalPaid: money(notice.totalPaid) };
    case 'APPEAL_RECEIVED':
      return common;
    case 'APPEAL_DECIDED':
      return {
        ...common,
        upheld: notice.outcome === 'UPHELD',
        overturned: notice.outcome === 'OVERTURNED',
        reviewerReason: notice.reason,
        reinstated: notice.result === 'REINSTATED',
        notEligibleOnRecheck: notice.result === 'NOT_ELIGIBLE_ON_RECHECK',
        identityNotConfirmed: notice.result === 'IDENTITY_NOT_CONFIRMED',
        reasons: notice.reasons.map((reason) => reasonView(reason, language)),
        hasReasons: notice.reasons.length > 0,
      };
    case 'EMAIL_VERIFIED':
    case 'ELIGIBLE':
    case 'TRAINING_COMPLETED':
    case 'EXPIRED':
    case 'WITHDRAWN':
    case 'CANCELLED':
      return common;
  }
}

/** Plain text: nothing is HTML-escaped. */
const PLAIN_TEXT = { escape: (value: unknown) => String(value) };

/** Both languages in one message: the Indonesian subject and body first, the English below. */
export function renderNotice(notice: Notice, recipient: NoticeRecipient): RenderedNotice {
  const [id, en] = (['id', 'en'] as const).map((language) => {
    const template = loadTemplate(notice.kind, language);
    const view = noticeView(notice, recipient, language);
    return { subject: Mustache.render(template.subject, view, {}, PLAIN_TEXT), body: Mustache.render(template.body, view, {}, PLAIN_TEXT).trimEnd() };
  }) as [{ subject: string; body: string }, { subject: string; body: string }];
  return {
    subject: `Jalur: ${id.subject} / ${en.subject}`,
    text: [id.body, '', '— English —', '', en.body, '', `Nomor peserta / Participant number: ${recipient.participantId}`].join('\n'),
  };
}
