// The notice templates against the renderer: every kind has both languages, every name a template
// uses is a value the renderer gives, and what a participant reads is whole (no leftover tags, no
// "undefined"), in the right order (Bahasa Indonesia first), with rupiah and WIB deadlines as the
// reader's language writes them, each reason in the reader's language, and no personal data.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Mustache from 'mustache';
import { LANGUAGES, NOTICE_KINDS, type Language, type Notice, type NoticeKind, type NoticeReason } from '../../../notices/notice';
import {
  formatDeadline,
  formatRupiah,
  loadTemplate,
  noticeView,
  parseTemplate,
  renderNotice,
  templateFileName,
  TEMPLATES_DIR,
  type NoticeRecipient,
  type RenderedNotice,
} from '../../../notices/render';

const RECIPIENT: NoticeRecipient = { fullName: 'Siti Aminah', participantId: '7a3f3c2e-3b4d-4c55-9e1f-0a1b2c3d4e5f' };

const AGE: NoticeReason = {
  code: 'UNDER_MINIMUM_AGE',
  message: 'Applicants must be 18 or older on the evaluation date.',
  reference: 'Peraturan Presiden Nomor 36 Tahun 2020, Pasal 3 ayat (2) huruf b',
  messages: { id: 'Anda belum berusia 18 tahun pada tanggal penilaian.', en: 'You were not yet 18 on the evaluation date.' },
};
const STUDENT: NoticeReason = {
  code: 'CURRENTLY_STUDENT',
  message: 'Applicants who are currently in school or university cannot join.',
  messages: { id: 'Data Dapodik mencatat Anda sedang mengikuti pendidikan formal.', en: 'The Dapodik education records show you in formal education.' },
};
/** A version that gives no message for the person: the staff description stands in both languages. */
const STAFF_WORDED: NoticeReason = { code: 'ALREADY_PARTICIPATED', message: 'The participation registry records an earlier participation.', reference: 'Permenko 3/2020' };
const REASONS = [AGE, STUDENT, STAFF_WORDED];

const AT = '2020-04-12T09:00:00.000Z';
const DEADLINE = '2020-04-16T09:00:00.000Z'; // 16:00 WIB
const APPEAL_BY = '2020-04-30T10:30:00.000Z';
const APPEAL_ID = 'c0ffee00-1234-4abc-8def-0123456789ab';
/** The reviewer's own words: the same in both languages. */
const REVIEWER_REASON = 'Data Dapodik yang dipakai belum diperbarui saat keputusan diambil.';

type NoticeOf<K extends NoticeKind> = Extract<Notice, { kind: K }>;

/** Per kind: the first sample sets every optional field (and gives non-empty lists); the others cover the variants and absent optional fields. */
const SAMPLES: { [K in NoticeKind]: [NoticeOf<K>, ...NoticeOf<K>[]] } = {
  EMAIL_VERIFIED: [{ kind: 'EMAIL_VERIFIED' }],
  IDENTITY_PROBLEM: [
    { kind: 'IDENTITY_PROBLEM', attempt: 1, problem: 'MISMATCH', correctBy: DEADLINE, attemptsLeft: 2 },
    { kind: 'IDENTITY_PROBLEM', attempt: 2, problem: 'NOT_FOUND', correctBy: DEADLINE, attemptsLeft: 1 },
  ],
  IDENTITY_REJECTED: [
    { kind: 'IDENTITY_REJECTED', problem: 'MISMATCH', at: AT, appealBy: APPEAL_BY },
    { kind: 'IDENTITY_REJECTED', problem: 'NOT_FOUND', at: AT },
    { kind: 'IDENTITY_REJECTED', problem: 'DECEASED', at: AT },
  ],
  ELIGIBLE: [{ kind: 'ELIGIBLE' }],
  INELIGIBLE: [
    { kind: 'INELIGIBLE', reasons: REASONS, ruleSetVersion: 7, evaluatedAt: AT, reevaluation: true, appealBy: APPEAL_BY },
    { kind: 'INELIGIBLE', reasons: [AGE], ruleSetVersion: 3, evaluatedAt: AT, reevaluation: false },
  ],
  APPLIED_TO_WAVE: [
    { kind: 'APPLIED_TO_WAVE', waveId: 'wave-2', waveNumber: 2, carriedOver: true },
    { kind: 'APPLIED_TO_WAVE', waveId: 'wave-1', waveNumber: 1, carriedOver: false },
  ],
  SELECTED: [{ kind: 'SELECTED', waveId: 'wave-1', waveNumber: 1, trainingBalance: 1_000_000, purchaseBy: DEADLINE }],
  NOT_SELECTED: [{ kind: 'NOT_SELECTED', waveId: 'wave-1', waveNumber: 1 }],
  PURCHASE_REMINDER: [{ kind: 'PURCHASE_REMINDER', purchaseBy: DEADLINE, trainingBalance: 1_000_000 }],
  TRAINING_COMPLETED: [{ kind: 'TRAINING_COMPLETED' }],
  PAYMENT: [
    { kind: 'PAYMENT', payment: 'INCENTIVE', sequence: 1, of: 4, amount: 600_000 },
    { kind: 'PAYMENT', payment: 'SURVEY', sequence: 2, of: 3, amount: 50_000 },
  ],
  SURVEY_OPEN: [{ kind: 'SURVEY_OPEN', sequence: 1, of: 3, closesAt: DEADLINE, amount: 50_000 }],
  REVOKED: [
    { kind: 'REVOKED', reason: 'REEVALUATED_INELIGIBLE', reasons: REASONS, at: AT, repayment: { amount: 2_400_000, dueAt: DEADLINE }, appealBy: APPEAL_BY },
    { kind: 'REVOKED', reason: 'TRAINING_NOT_PURCHASED_IN_TIME', reasons: [], at: AT },
    { kind: 'REVOKED', reason: 'REEVALUATED_INELIGIBLE', reasons: [STUDENT], at: AT },
    { kind: 'REVOKED', reason: 'OPERATOR_REVOKED', reasons: [], at: AT, repayment: { amount: 600_000, dueAt: DEADLINE } },
  ],
  EXPIRED: [{ kind: 'EXPIRED' }],
  WITHDRAWN: [{ kind: 'WITHDRAWN' }],
  CANCELLED: [{ kind: 'CANCELLED' }],
  COMPLETED: [{ kind: 'COMPLETED', totalPaid: 2_550_000 }],
  APPEAL_RECEIVED: [{ kind: 'APPEAL_RECEIVED', appealId: APPEAL_ID }],
  APPEAL_DECIDED: [
    { kind: 'APPEAL_DECIDED', appealId: APPEAL_ID, outcome: 'OVERTURNED', reason: REVIEWER_REASON, result: 'NOT_ELIGIBLE_ON_RECHECK', reasons: REASONS },
    { kind: 'APPEAL_DECIDED', appealId: APPEAL_ID, outcome: 'OVERTURNED', reason: REVIEWER_REASON, result: 'REINSTATED', reasons: [] },
    { kind: 'APPEAL_DECIDED', appealId: APPEAL_ID, outcome: 'OVERTURNED', reason: REVIEWER_REASON, result: 'IDENTITY_NOT_CONFIRMED', reasons: [] },
    { kind: 'APPEAL_DECIDED', appealId: APPEAL_ID, outcome: 'UPHELD', reason: 'Keputusan sudah sesuai dengan data dan aturan yang berlaku saat itu.', reasons: [] },
    { kind: 'APPEAL_DECIDED', appealId: APPEAL_ID, outcome: 'OVERTURNED', reason: REVIEWER_REASON, result: 'NOT_ELIGIBLE_ON_RECHECK', reasons: [] },
  ],
};

/** Every sample, named by its kind and place ("REVOKED 2/4"): the first of each kind is the full one. */
const samples = (): (readonly [string, Notice])[] =>
  NOTICE_KINDS.flatMap((kind) => SAMPLES[kind].map((notice: Notice, index, all) => [`${kind} ${index + 1}/${all.length}`, notice] as const));

/** The rupiah amounts a notice carries: each must appear formatted in both parts. */
function amountsOf(notice: Notice): number[] {
  switch (notice.kind) {
    case 'SELECTED':
    case 'PURCHASE_REMINDER':
      return [notice.trainingBalance];
    case 'PAYMENT':
    case 'SURVEY_OPEN':
      return [notice.amount];
    case 'REVOKED':
      return notice.repayment ? [notice.repayment.amount] : [];
    case 'COMPLETED':
      return [notice.totalPaid];
    default:
      return [];
  }
}

/** The deadlines a notice carries: each must appear in Jakarta time, named WIB. */
function deadlinesOf(notice: Notice): string[] {
  switch (notice.kind) {
    case 'IDENTITY_PROBLEM':
      return [notice.correctBy];
    case 'IDENTITY_REJECTED':
    case 'INELIGIBLE':
      return notice.appealBy ? [notice.appealBy] : [];
    case 'SELECTED':
    case 'PURCHASE_REMINDER':
      return [notice.purchaseBy];
    case 'SURVEY_OPEN':
      return [notice.closesAt];
    case 'REVOKED':
      return [...(notice.repayment ? [notice.repayment.dueAt] : []), ...(notice.appealBy ? [notice.appealBy] : [])];
    default:
      return [];
  }
}

/** The counts a participant must read: the wave, the checks left, which payment or survey of how many. */
function countsOf(notice: Notice): number[] {
  switch (notice.kind) {
    case 'IDENTITY_PROBLEM':
      return [notice.attemptsLeft];
    case 'INELIGIBLE':
      return notice.reevaluation ? [notice.ruleSetVersion] : [];
    case 'APPLIED_TO_WAVE':
    case 'SELECTED':
    case 'NOT_SELECTED':
      return [notice.waveNumber];
    case 'PAYMENT':
    case 'SURVEY_OPEN':
      return [notice.sequence, notice.of];
    default:
      return [];
  }
}

const reasonsOf = (notice: Notice): NoticeReason[] =>
  notice.kind === 'INELIGIBLE' ||
  (notice.kind === 'REVOKED' && notice.reason !== 'TRAINING_NOT_PURCHASED_IN_TIME') ||
  (notice.kind === 'APPEAL_DECIDED' && notice.result === 'NOT_ELIGIBLE_ON_RECHECK')
    ? notice.reasons
    : [];
const appealOf = (notice: Notice): string | undefined => ('appealBy' in notice ? notice.appealBy : undefined);
/** A notice about an appeal already made: it names the appeal, and offers none. */
const aboutAnAppeal = (notice: Notice): boolean => notice.kind === 'APPEAL_RECEIVED' || notice.kind === 'APPEAL_DECIDED';
const reviewerReasonOf = (notice: Notice): string | undefined => (notice.kind === 'APPEAL_DECIDED' ? notice.reason : undefined);

const ENGLISH_DIVIDER = '— English —';

/** The Indonesian and the English part of a rendered message (the participant number line cut off). */
function parts(text: string): { id: string; en: string } {
  const pieces = text.split(ENGLISH_DIVIDER);
  expect(pieces).toHaveLength(2);
  const [id, rest] = pieces as [string, string];
  const footer = rest.lastIndexOf('\nNomor peserta / Participant number:');
  expect(footer).toBeGreaterThan(0);
  return { id, en: rest.slice(0, footer) };
}

const PLAIN_TEXT = { escape: (value: unknown) => String(value) };
const renderSubject = (notice: Notice, language: Language) => Mustache.render(loadTemplate(notice.kind, language).subject, noticeView(notice, RECIPIENT, language), {}, PLAIN_TEXT);

const readTemplate = (kind: NoticeKind, language: Language) => {
  const file = templateFileName(kind, language);
  return parseTemplate(readFileSync(path.join(TEMPLATES_DIR, file), 'utf8'), file);
};

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

/**
 * Resolves a name as Mustache does: the innermost context that has its first segment, then the
 * rest of a dotted name inside it. Undefined where no context has it (a typo in the template).
 */
function resolve(name: string, stack: unknown[]): { found: boolean; value?: unknown } {
  if (name === '.') return { found: true, value: stack[stack.length - 1] };
  const [first, ...rest] = name.split('.') as [string, ...string[]];
  for (let i = stack.length - 1; i >= 0; i -= 1) {
    const context = stack[i];
    if (!isRecord(context) || !(first in context)) continue;
    let value: unknown = context[first];
    for (const segment of rest) {
      if (!isRecord(value) || !(segment in value)) return { found: false };
      value = value[segment];
    }
    return { found: true, value };
  }
  return { found: false };
}

type Token = ReturnType<typeof Mustache.parse>[number];

/** Every name the tokens use that the view does not give, with where it was used. */
function unknownNames(tokens: Token[], stack: unknown[], where: string): string[] {
  const problems: string[] = [];
  for (const token of tokens) {
    const [type, name] = token;
    if (type === '>') problems.push(`${where}: partial {{>${name}}} (the renderer gives no partials)`);
    if (type !== 'name' && type !== '&' && type !== '#' && type !== '^') continue;
    const { found, value } = resolve(name, stack);
    if (!found) {
      problems.push(`${where}: {{${type === 'name' ? '' : type}${name}}}`);
      continue;
    }
    if (type !== '#' && type !== '^') continue;
    const children = token[4] as Token[];
    if (type === '#' && Array.isArray(value)) {
      if (value.length === 0) problems.push(`${where}: the full sample gives an empty list for {{#${name}}}`);
      problems.push(...unknownNames(children, value.length > 0 ? [...stack, value[0]] : stack, `${where} > ${name}`));
    } else if (type === '#' && isRecord(value)) {
      problems.push(...unknownNames(children, [...stack, value], `${where} > ${name}`));
    } else if (type === '#' && (value === null || value === undefined)) {
      problems.push(`${where}: the full sample leaves {{#${name}}} empty`);
      problems.push(...unknownNames(children, stack, `${where} > ${name}`));
    } else {
      problems.push(...unknownNames(children, type === '#' && value ? [...stack, value] : stack, `${where} > ${name}`));
    }
  }
  return problems;
}

const EXPECTED_FILES = NOTICE_KINDS.flatMap((kind) => LANGUAGES.map((language) => templateFileName(kind, language))).sort();

describe('notice templates', () => {
  it('are exactly one per kind and language: no stray files', () => {
    expect(EXPECTED_FILES).toHaveLength(38);
    expect(readdirSync(TEMPLATES_DIR).sort()).toEqual(EXPECTED_FILES);
  });

  it('cover every kind: NOTICE_KINDS lists each kind of Notice once', () => {
    expect(new Set(NOTICE_KINDS).size).toBe(NOTICE_KINDS.length);
    expect([...NOTICE_KINDS].sort()).toEqual(Object.keys(SAMPLES).sort());
    expect(NOTICE_KINDS).toEqual(expect.arrayContaining(['APPEAL_RECEIVED', 'APPEAL_DECIDED']));
  });

  describe.each(NOTICE_KINDS.flatMap((kind) => LANGUAGES.map((language) => [templateFileName(kind, language), kind, language] as const)))('%s', (_file, kind, language) => {
    it('parses, and uses only names the renderer gives for a full sample', () => {
      const template = readTemplate(kind, language);
      expect(template.subject).not.toBe('');
      expect(template.body).not.toBe('');
      const view = noticeView(SAMPLES[kind][0], RECIPIENT, language);
      const problems = [...unknownNames(Mustache.parse(template.subject), [view], 'subject'), ...unknownNames(Mustache.parse(template.body), [view], 'body')];
      expect(problems).toEqual([]);
    });

    it('greets by name, leaves the program name and participant number to the renderer, and names the program Jalur', () => {
      const template = readTemplate(kind, language);
      expect(template.body.startsWith(language === 'id' ? 'Halo {{fullName}},\n\n' : 'Hello {{fullName}},\n\n')).toBe(true);
      expect(template.subject).not.toMatch(/^Jalur\b/);
      const source = `${template.subject}\n${template.body}`;
      expect(source).not.toMatch(/participantId/);
      expect(source).not.toMatch(/Prakerja/i);
      expect(source).not.toMatch(/\{\{\{|\{\{&|\{\{>/);
    });
  });
});

describe('renderNotice', () => {
  const cases = samples();

  describe.each(cases)('%s', (_name, notice) => {
    let rendered: RenderedNotice;
    let id: string;
    let en: string;
    beforeAll(() => {
      rendered = renderNotice(notice, RECIPIENT);
      ({ id, en } = parts(rendered.text));
    });

    it('leaves no tag and no missing value behind', () => {
      for (const text of [rendered.subject, rendered.text]) {
        expect(text).not.toMatch(/\{\{|\}\}/);
        expect(text).not.toMatch(/undefined|null|\[object Object\]|NaN/);
      }
    });

    it('gives Bahasa Indonesia first, English after, and the participant number once at the end', () => {
      expect(id).toContain(`Halo ${RECIPIENT.fullName},`);
      expect(id).not.toContain('Hello ');
      expect(en).toContain(`Hello ${RECIPIENT.fullName},`);
      expect(en).not.toContain('Halo ');
      expect(rendered.text.endsWith(`Nomor peserta / Participant number: ${RECIPIENT.participantId}`)).toBe(true);
      expect(rendered.text.split(RECIPIENT.participantId)).toHaveLength(2);
    });

    it('has the subject "Jalur: <Indonesian> / <English>"', () => {
      expect(rendered.subject).toBe(`Jalur: ${renderSubject(notice, 'id')} / ${renderSubject(notice, 'en')}`);
      expect(rendered.subject).not.toMatch(/\n/);
    });

    it('writes amounts in rupiah as each language does', () => {
      for (const amount of amountsOf(notice)) {
        expect(id).toContain(formatRupiah(amount, 'id'));
        expect(en).toContain(formatRupiah(amount, 'en'));
      }
    });

    it('writes deadlines in WIB as each language does', () => {
      for (const deadline of deadlinesOf(notice)) {
        expect(id).toContain(formatDeadline(deadline, 'id'));
        expect(en).toContain(formatDeadline(deadline, 'en'));
      }
      if (deadlinesOf(notice).length > 0) {
        expect(id).toMatch(/WIB/);
        expect(en).toMatch(/WIB/);
      }
    });

    it('gives the counts the participant needs', () => {
      for (const count of countsOf(notice)) {
        expect(id).toMatch(new RegExp(`\\b${count}\\b`));
        expect(en).toMatch(new RegExp(`\\b${count}\\b`));
      }
    });

    it("lists every reason in the reader's language, with its legal reference", () => {
      for (const reason of reasonsOf(notice)) {
        const reference = reason.reference ? ` (${reason.reference})` : '';
        expect(id).toContain(`- ${reason.messages?.id ?? reason.message}${reference}`);
        expect(en).toContain(`- ${reason.messages?.en ?? reason.message}${reference}`);
        if (reason.messages) {
          expect(id).not.toContain(reason.messages.en);
          expect(en).not.toContain(reason.messages.id);
        }
      }
      if (reasonsOf(notice).length === 0) {
        expect(rendered.text).not.toMatch(/^- /m);
        expect(id).not.toContain('Alasannya:');
        expect(en).not.toContain('The reasons:');
      }
    });

    it('offers an appeal exactly where the notice gives an appeal deadline', () => {
      const appealBy = appealOf(notice);
      if (aboutAnAppeal(notice)) {
        expect(appealBy).toBeUndefined();
        expect(id).toMatch(/sanggahan/i);
        expect(en).toMatch(/appeal/i);
      } else {
        expect(id.includes('sanggahan')).toBe(appealBy !== undefined);
        expect(en.includes('appeal')).toBe(appealBy !== undefined);
      }
      expect(id.includes('Anda dapat mengajukan sanggahan')).toBe(appealBy !== undefined);
      expect(en.includes('you may appeal')).toBe(appealBy !== undefined);
    });

    it("quotes the reviewer's own words exactly where the notice gives them", () => {
      const reason = reviewerReasonOf(notice);
      if (reason === undefined) {
        expect(id).not.toContain('Alasan peninjau');
        expect(en).not.toContain("reviewer's reason");
      } else {
        expect(id).toContain(`Alasan peninjau: ${reason}`);
        expect(en).toContain(`The reviewer's reason: ${reason}`);
        expect(id.split(reason)).toHaveLength(2);
        expect(en.split(reason)).toHaveLength(2);
      }
    });
  });

  it('formats a PAYMENT of 600000 as Rp 600.000 in Bahasa Indonesia and Rp 600,000 in English', () => {
    const { id, en } = parts(renderNotice({ kind: 'PAYMENT', payment: 'INCENTIVE', sequence: 1, of: 4, amount: 600_000 }, RECIPIENT).text);
    expect(id).toContain('Rp 600.000');
    expect(id).not.toContain('Rp 600,000');
    expect(en).toContain('Rp 600,000');
    expect(en).not.toContain('Rp 600.000');
  });

  it('gives a deadline in Jakarta time with WIB', () => {
    const { id, en } = parts(renderNotice({ kind: 'SELECTED', waveId: 'wave-1', waveNumber: 1, trainingBalance: 1_000_000, purchaseBy: DEADLINE }, RECIPIENT).text);
    expect(id).toContain('16 April 2020 pukul 16.00 WIB');
    expect(id).toContain('Rp 1.000.000');
    expect(en).toContain('16 April 2020 at 16:00 WIB');
    expect(en).toContain('Rp 1,000,000');
  });

  it('says which identity problem it is', () => {
    const text = (problem: 'MISMATCH' | 'NOT_FOUND' | 'DECEASED') => renderNotice({ kind: 'IDENTITY_REJECTED', problem, at: AT }, RECIPIENT).text;
    expect(text('DECEASED')).toMatch(/meninggal dunia[\s\S]*has died/);
    expect(text('MISMATCH')).not.toMatch(/meninggal|died/);
    expect(text('NOT_FOUND')).toMatch(/tidak ditemukan[\s\S]*not found/);
    const problem = (kind: 'MISMATCH' | 'NOT_FOUND') => renderNotice({ kind: 'IDENTITY_PROBLEM', attempt: 1, problem: kind, correctBy: DEADLINE, attemptsLeft: 2 }, RECIPIENT).text;
    expect(problem('MISMATCH')).toMatch(/tidak sesuai[\s\S]*does not match/);
    expect(problem('MISMATCH')).not.toMatch(/tidak ditemukan|not found/);
    expect(problem('NOT_FOUND')).toMatch(/tidak ditemukan[\s\S]*not found/);
  });

  it('says a carried-over application was carried over, and which payment was made', () => {
    expect(renderNotice({ kind: 'APPLIED_TO_WAVE', waveId: 'wave-2', waveNumber: 2, carriedOver: true }, RECIPIENT).text).toMatch(/otomatis[\s\S]*automatically/);
    expect(renderNotice({ kind: 'APPLIED_TO_WAVE', waveId: 'wave-1', waveNumber: 1, carriedOver: false }, RECIPIENT).text).not.toMatch(/otomatis|automatically/);
    const survey = renderNotice({ kind: 'PAYMENT', payment: 'SURVEY', sequence: 2, of: 3, amount: 50_000 }, RECIPIENT);
    expect(survey.text).toMatch(/survei ke-2 dari 3[\s\S]*survey 2 of 3/);
    expect(survey.subject).toMatch(/survei.*\/.*Survey/);
  });

  it('says a card revoked for no purchase was revoked for that, and what must be repaid by when', () => {
    const notPurchased = parts(renderNotice(SAMPLES.REVOKED[1]!, RECIPIENT).text);
    expect(notPurchased.id).toContain('belum membeli pelatihan pertama');
    expect(notPurchased.en).toContain('did not buy a first training');
    const repay = parts(renderNotice(SAMPLES.REVOKED[3]!, RECIPIENT).text);
    expect(repay.id).toContain(`mengembalikan dana sebesar Rp 600.000 paling lambat ${formatDeadline(DEADLINE, 'id')}`);
    expect(repay.en).toContain(`repay Rp 600,000 by ${formatDeadline(DEADLINE, 'en')}`);
    const noRepayment = parts(renderNotice(SAMPLES.REVOKED[2]!, RECIPIENT).text);
    expect(noRepayment.id).not.toContain('mengembalikan');
    expect(noRepayment.en).not.toContain('repay');
  });

  it('acknowledges an appeal: an uninvolved reviewer, the outcome by the same channel, its status on the website', () => {
    const { id, en } = parts(renderNotice(SAMPLES.APPEAL_RECEIVED[0], RECIPIENT).text);
    expect(id).toContain('sanggahan Anda telah kami terima');
    expect(id).toContain('peninjau yang tidak terlibat dalam keputusan');
    expect(id).toContain('memberi tahu hasilnya kepada Anda melalui saluran yang sama dengan pesan ini');
    expect(id).toContain('status sanggahan Anda melalui situs resmi program Jalur');
    expect(en).toContain('we have received your appeal');
    expect(en).toContain('a reviewer who took no part in the decision');
    expect(en).toContain('let you know the outcome the same way as this message');
    expect(en).toContain('status of your appeal on the official Jalur website');
  });

  /** What each part of an appeal decision says, in each language: a part shows exactly where the decision calls for it. */
  const DECISION_PARTS = {
    upheld: { id: ['keputusan sebelumnya tetap berlaku', 'bersifat final di program Jalur', 'layanan bantuan program Jalur'], en: ['the earlier decision stands', 'final within the Jalur program', 'Jalur help desk'] },
    overturned: { id: ['keputusan sebelumnya perlu diperiksa ulang'], en: ['the earlier decision should be looked at again'] },
    REINSTATED: {
      id: ['Anda kembali menjadi peserta program Jalur', 'mendaftar ke gelombang', 'saldo pelatihan Anda dipulihkan', 'kewajiban pengembalian dana, jika ada, dibatalkan'],
      en: ['You are a participant of the Jalur program again', 'apply to a wave', 'your training balance is restored', 'any repayment you were asked to make is cancelled'],
    },
    NOT_ELIGIBLE_ON_RECHECK: {
      id: ['memeriksa kembali data Anda', 'Anda tetap belum memenuhi syarat'],
      en: ['checked your details again with the official registries', 'you still do not meet the requirements'],
    },
    IDENTITY_NOT_CONFIRMED: {
      id: ['data identitas Anda tetap belum dapat dikonfirmasi oleh Dukcapil', 'Disdukcapil'],
      en: ['Dukcapil, the civil registry, still could not confirm your identity details', 'Disdukcapil'],
    },
  } as const;

  it.each(SAMPLES.APPEAL_DECIDED.map((notice, index, all) => [`${notice.outcome} ${notice.result ?? 'with no result'} (${index + 1}/${all.length})`, notice] as const))(
    'says what an appeal decision %s decided, and nothing else',
    (_name, notice) => {
      const { id, en } = parts(renderNotice(notice, RECIPIENT).text);
      const shown = new Set<string>([notice.outcome === 'UPHELD' ? 'upheld' : 'overturned', ...(notice.outcome === 'OVERTURNED' && notice.result ? [notice.result] : [])]);
      for (const [part, phrases] of Object.entries(DECISION_PARTS)) {
        for (const phrase of phrases.id) expect({ part, phrase, shown: id.includes(phrase) }).toEqual({ part, phrase, shown: shown.has(part) });
        for (const phrase of phrases.en) expect({ part, phrase, shown: en.includes(phrase) }).toEqual({ part, phrase, shown: shown.has(part) });
      }
    },
  );

  it('covers every appeal decision: upheld, and each result of deciding again, the recheck with reasons in both languages and a reference', () => {
    const decisions = SAMPLES.APPEAL_DECIDED;
    expect(decisions.some((notice) => notice.outcome === 'UPHELD' && notice.result === undefined)).toBe(true);
    for (const result of ['REINSTATED', 'NOT_ELIGIBLE_ON_RECHECK', 'IDENTITY_NOT_CONFIRMED'] as const) {
      expect(decisions.some((notice) => notice.outcome === 'OVERTURNED' && notice.result === result)).toBe(true);
    }
    const recheck = decisions.find((notice) => notice.result === 'NOT_ELIGIBLE_ON_RECHECK' && notice.reasons.length > 0)!;
    expect(recheck.reasons.some((reason) => reason.messages !== undefined && reason.reference !== undefined)).toBe(true);
    const { id, en } = parts(renderNotice(recheck, RECIPIENT).text);
    expect(id).toContain(`Alasannya:\n- ${AGE.messages!.id} (${AGE.reference!})`);
    expect(en).toContain(`The reasons:\n- ${AGE.messages!.en} (${AGE.reference!})`);
  });
});

describe('personal data', () => {
  const NIK = /\d(?:[ .-]?\d){15}/;
  const EMAIL = /[^\s@]+@[^\s@]+\.[^\s@]+/;
  const MOBILE = /(?:\+62|(?<!\d)0)8\d{2}[\s-]?\d{3,4}[\s-]?\d{3,5}/;

  it.each(samples())('%s carries no NIK, email address or phone number', (_name, notice) => {
    const { subject, text } = renderNotice(notice, RECIPIENT);
    for (const value of [subject, text]) {
      expect(value).not.toMatch(NIK);
      expect(value).not.toMatch(EMAIL);
      expect(value).not.toMatch(MOBILE);
    }
  });

  it('the patterns catch what they are for', () => {
    expect('NIK 3201014107900001').toMatch(NIK);
    expect('tulis ke siti.aminah@example.id').toMatch(EMAIL);
    expect('hubungi 0812-3456-7890').toMatch(MOBILE);
    expect('hubungi +6281234567890').toMatch(MOBILE);
  });
});
