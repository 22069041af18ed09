// What a participant reads about themselves, in their language: where they stand, the one thing
// to do next and by when, why they left, their money and their appeal. Pure: the service hands it
// the journey's state and the appeal's row. Every stage label and every text the participant
// reads here is in the tables below, in Bahasa Indonesia and English.
import type { Language } from '../../notices/notice';
import {
  APPEALABLE_STAGES,
  FINAL_STAGES,
  type AppealState,
  type ParticipantState,
  type Stage,
} from '../../workflows/participant-journey.definitions';
import type { ParticipantStatus } from './participant.schema';

export type Texts = Readonly<Record<Language, string>>;

export const STAGE_LABELS: Readonly<Record<Stage, Texts>> = {
  AWAITING_EMAIL_VERIFICATION: { id: 'Menunggu verifikasi email', en: 'Waiting for your email address to be verified' },
  VERIFYING_IDENTITY: { id: 'Memeriksa identitas (NIK)', en: 'Checking your identity (NIK)' },
  AWAITING_IDENTITY_CORRECTION: { id: 'Menunggu perbaikan data identitas', en: 'Waiting for your identity details to be corrected' },
  CHECKING_ELIGIBILITY: { id: 'Memeriksa kelayakan', en: 'Checking your eligibility' },
  ELIGIBLE: { id: 'Memenuhi syarat', en: 'Eligible' },
  APPLIED_TO_WAVE: { id: 'Terdaftar di gelombang, menunggu hasil seleksi', en: 'Applied to a wave, waiting for the selection' },
  SELECTED: { id: 'Terpilih sebagai penerima', en: 'Selected' },
  IN_TRAINING: { id: 'Mengikuti pelatihan', en: 'In training' },
  RECEIVING_INCENTIVES: { id: 'Menerima insentif', en: 'Receiving incentives' },
  TAKING_SURVEYS: { id: 'Mengisi survei evaluasi', en: 'Taking the evaluation surveys' },
  COMPLETED: { id: 'Selesai', en: 'Completed' },
  EXPIRED: { id: 'Kedaluwarsa: email tidak diverifikasi', en: 'Expired: the email address was not verified' },
  REJECTED: { id: 'Ditolak: identitas tidak terverifikasi', en: 'Rejected: the identity could not be verified' },
  INELIGIBLE: { id: 'Tidak memenuhi syarat', en: 'Not eligible' },
  REVOKED: { id: 'Kepesertaan dicabut', en: 'Participation revoked' },
  WITHDRAWN: { id: 'Mengundurkan diri', en: 'Withdrawn' },
  CANCELLED: { id: 'Kepesertaan dibatalkan', en: 'Participation cancelled' },
};

export const NEXT_STEPS = [
  'VERIFY_EMAIL',
  'CORRECT_IDENTITY',
  'APPLY_TO_WAVE',
  'BUY_TRAINING',
  'COMPLETE_TRAINING',
  'GIVE_PAYOUT_ACCOUNT',
  'SUBMIT_SURVEY',
  'APPEAL',
  'WAIT_FOR_APPEAL_DECISION',
] as const;
export type NextStep = (typeof NEXT_STEPS)[number];

export const NEXT_STEP_TEXTS: Readonly<Record<NextStep, Texts>> = {
  VERIFY_EMAIL: {
    id: 'Verifikasi alamat email Anda dengan kode yang kami kirimkan.',
    en: 'Verify your email address with the code we sent you.',
  },
  CORRECT_IDENTITY: {
    id: 'Perbaiki nama lengkap dan tanggal lahir Anda agar sesuai dengan data Dukcapil.',
    en: 'Correct your full name and date of birth so they match Dukcapil\'s records.',
  },
  APPLY_TO_WAVE: {
    id: 'Daftar ke gelombang yang sedang dibuka.',
    en: 'Apply to a wave that is open.',
  },
  BUY_TRAINING: {
    id: 'Beli pelatihan pertama Anda di salah satu platform mitra dengan saldo pelatihan.',
    en: 'Buy your first training on a partner platform with your training balance.',
  },
  COMPLETE_TRAINING: {
    id: 'Selesaikan pelatihan yang Anda beli.',
    en: 'Finish the training you bought.',
  },
  GIVE_PAYOUT_ACCOUNT: {
    id: 'Masukkan rekening bank atau dompet digital yang aktif agar insentif dapat dibayarkan.',
    en: 'Give a bank account or e-wallet that works, so that your incentive can be paid.',
  },
  SUBMIT_SURVEY: {
    id: 'Isi survei evaluasi yang sedang dibuka.',
    en: 'Fill in the evaluation survey that is open.',
  },
  APPEAL: {
    id: 'Jika Anda tidak setuju dengan keputusan ini, Anda dapat mengajukan sanggahan.',
    en: 'If you disagree with this decision, you may appeal it.',
  },
  WAIT_FOR_APPEAL_DECISION: {
    id: 'Sanggahan Anda sedang ditinjau. Kami akan memberi tahu Anda hasilnya.',
    en: 'Your appeal is being reviewed. We will tell you the decision.',
  },
};

/**
 * Ways out whose reason is a code the participant should read in words (the journey's own, not a
 * rule's: a rule's reasons carry their own messages). Other exit reasons are free text written by
 * staff or the participant and are not shown.
 */
export const EXIT_REASON_TEXTS: Readonly<Record<string, Texts>> = {
  TRAINING_NOT_PURCHASED_IN_TIME: {
    id: 'Anda tidak membeli pelatihan sebelum batas waktu, sehingga saldo pelatihan hangus dan kepesertaan Anda dicabut.',
    en: 'You did not buy a training before the deadline, so the training balance lapsed and your participation was revoked.',
  },
  IDENTITY_MISMATCH: {
    id: 'Nama atau tanggal lahir Anda tidak sesuai dengan data Dukcapil untuk NIK Anda.',
    en: 'Your name or date of birth does not match Dukcapil\'s records for your NIK.',
  },
  IDENTITY_NOT_FOUND: {
    id: 'NIK Anda tidak ditemukan dalam data Dukcapil.',
    en: 'Your NIK was not found in Dukcapil\'s records.',
  },
  IDENTITY_MISMATCH_NOT_CORRECTED: {
    id: 'Data identitas yang tidak sesuai dengan data Dukcapil tidak diperbaiki sebelum batas waktu.',
    en: 'The identity details that did not match Dukcapil\'s records were not corrected before the deadline.',
  },
  IDENTITY_NOT_FOUND_NOT_CORRECTED: {
    id: 'NIK yang tidak ditemukan dalam data Dukcapil tidak diperbaiki sebelum batas waktu.',
    en: 'The NIK that Dukcapil could not find was not corrected before the deadline.',
  },
  IDENTITY_DECEASED: {
    id: 'Menurut data Dukcapil, pemilik NIK ini telah meninggal dunia.',
    en: 'According to Dukcapil\'s records, the holder of this NIK has died.',
  },
};

/** The appeal's row, for what the journey's state does not keep: the reviewer's reason. */
export interface AppealRecordForStatus {
  decisionReason: string | null;
}

/** What the status reads of the journey's state; a journey not started yet has only the required ones. */
export type StatusState = Pick<ParticipantState, 'participantId' | 'stage' | 'stageChangedAt' | 'deadlines' | 'surveys' | 'payments' | 'trainingBalance'> &
  Partial<Pick<ParticipantState, 'eligibility' | 'training' | 'payoutBlocked' | 'exit' | 'appealableUntil' | 'appeal'>>;

export interface StatusSources {
  state: StatusState;
  appealRecord: AppealRecordForStatus | null;
  language: Language;
  noticeChannel: ParticipantStatus['noticeChannel'];
  now: Date;
}

export function participantStatusOf({ state, appealRecord, language, noticeChannel, now }: StatusSources): ParticipantStatus {
  const nextStep = nextStepOf(state, now);
  const ended = FINAL_STAGES.has(state.stage);
  const { appeal, exit } = state;
  return {
    participantId: state.participantId,
    language,
    stage: state.stage,
    stageLabel: STAGE_LABELS[state.stage][language],
    since: state.stageChangedAt,
    nextStep: nextStep ? { code: nextStep.code, text: NEXT_STEP_TEXTS[nextStep.code][language], dueBy: nextStep.dueBy } : null,
    reasons: reasonsOf(state, language),
    exit: ended && exit ? { stage: state.stage, at: exit.at, repayment: exit.repayment ?? null } : null,
    trainingBalance: state.trainingBalance,
    payments: state.payments.map(({ kind, sequence, amount, paidAt }) => ({ kind, sequence, amount, paidAt })),
    totalPaid: state.payments.reduce((sum, payment) => sum + payment.amount, 0),
    appeal: appeal
      ? {
          appealId: appeal.appealId,
          status: appeal.status,
          filedAt: appeal.filedAt,
          decidedAt: appeal.decidedAt ?? null,
          result: appeal.result ?? null,
          reviewerReason: appeal.status === 'OPEN' ? null : (appealRecord?.decisionReason ?? null),
        }
      : null,
    appealableUntil: ended ? (state.appealableUntil ?? null) : null,
    noticeChannel,
  };
}

/** The one thing the participant should do now (or wait for), and by when. */
export function nextStepOf(state: StatusState, now: Date): { code: NextStep; dueBy: string | null } | null {
  const { deadlines } = state;
  switch (state.stage) {
    case 'AWAITING_EMAIL_VERIFICATION':
      return { code: 'VERIFY_EMAIL', dueBy: deadlines.emailVerificationBy ?? null };
    case 'AWAITING_IDENTITY_CORRECTION':
      return { code: 'CORRECT_IDENTITY', dueBy: deadlines.identityCorrectionBy ?? null };
    case 'ELIGIBLE':
      return { code: 'APPLY_TO_WAVE', dueBy: null };
    case 'SELECTED':
      return { code: 'BUY_TRAINING', dueBy: deadlines.trainingPurchaseBy ?? null };
    case 'IN_TRAINING':
      if (!state.training?.completedAt) return { code: 'COMPLETE_TRAINING', dueBy: null };
      break;
  }
  if (!FINAL_STAGES.has(state.stage)) {
    if (state.payoutBlocked) return { code: 'GIVE_PAYOUT_ACCOUNT', dueBy: null };
    const openSurvey = state.surveys.find((survey) => survey.status === 'OPEN');
    if (openSurvey) return { code: 'SUBMIT_SURVEY', dueBy: openSurvey.closesAt ?? null };
    return null;
  }
  const appeal = appealOfCurrentExit(state);
  if (appeal?.status === 'OPEN') return { code: 'WAIT_FOR_APPEAL_DECISION', dueBy: null };
  const { appealableUntil } = state;
  const appealable = (APPEALABLE_STAGES as readonly Stage[]).includes(state.stage);
  if (appealable && !appeal && appealableUntil !== undefined && Date.parse(appealableUntil) > now.getTime()) return { code: 'APPEAL', dueBy: appealableUntil };
  return null;
}

/** The appeal of the exit the participant is in; an appeal that reinstated them before a later exit is not it. */
function appealOfCurrentExit(state: StatusState): AppealState | undefined {
  const { appeal, exit } = state;
  if (!appeal) return undefined;
  return exit && Date.parse(appeal.filedAt) < Date.parse(exit.at) ? undefined : appeal;
}

/** Why: every failed criterion of the latest decision, in the rule's words for the person, and a way out's own reason code. */
function reasonsOf(state: StatusState, language: Language): ParticipantStatus['reasons'] {
  const reasons: ParticipantStatus['reasons'] =
    state.eligibility?.outcome === 'INELIGIBLE'
      ? state.eligibility.reasons.map((reason) => ({ code: reason.code, text: reason.messages?.[language] ?? reason.message, reference: reason.reference ?? null }))
      : [];
  const exitReason = FINAL_STAGES.has(state.stage) ? state.exit?.reason : undefined;
  const exitText = exitReason !== undefined && Object.hasOwn(EXIT_REASON_TEXTS, exitReason) ? EXIT_REASON_TEXTS[exitReason] : undefined;
  if (exitReason !== undefined && exitText) reasons.push({ code: exitReason, text: exitText[language], reference: null });
  return reasons;
}
