import { HttpError } from '../../../api/errors';
import { assertMayApprove, assertMayPublishDirectly, authorsOf, effectiveFromAtApproval } from '../../../api/rule-sets/rule-set-review';
import { loadConfig } from '../../../lib/config';
import { testEnvironment } from './app-under-test';

const FOUR_EYES = { fourEyes: true };
const ONE_PERSON = { fourEyes: false };
const inReview = { status: 'IN_REVIEW', createdBy: 'ana' };

function refusal(action: () => unknown): { status: number; code: string } | undefined {
  try {
    action();
    return undefined;
  } catch (error) {
    if (!(error instanceof HttpError)) throw error;
    return { status: error.status, code: error.code };
  }
}

describe('rule-set review: who may approve', () => {
  it('counts as authors the creator and whoever saved or submitted the version, not those who only read, retired or re-evaluated', () => {
    const authors = authorsOf('ana', [
      { action: 'CREATED', actor: 'ana' },
      { action: 'UPDATED', actor: 'budi' },
      { action: 'SUBMITTED', actor: 'citra' },
      { action: 'SENT_BACK', actor: 'dewi' },
      { action: 'REEVALUATION_REQUESTED', actor: 'eka' },
    ]);
    expect([...authors].sort()).toEqual(['ana', 'budi', 'citra']);
  });

  it('refuses the creator, an editor and the submitter with 403 SELF_APPROVAL, and lets anyone else approve', () => {
    const trail = [
      { action: 'UPDATED', actor: 'budi' },
      { action: 'SUBMITTED', actor: 'citra' },
      { action: 'SENT_BACK', actor: 'dewi' },
    ];
    for (const author of ['ana', 'budi', 'citra']) expect(refusal(() => assertMayApprove(inReview, trail, author, FOUR_EYES))).toEqual({ status: 403, code: 'SELF_APPROVAL' });
    expect(refusal(() => assertMayApprove(inReview, trail, 'dewi', FOUR_EYES))).toBeUndefined();
  });

  it('lets the author approve only where the program waives four eyes', () => {
    expect(refusal(() => assertMayApprove(inReview, [], 'ana', ONE_PERSON))).toBeUndefined();
  });

  it('approves only a version in review (409 RULE_SET_NOT_IN_REVIEW), whoever asks', () => {
    for (const status of ['DRAFT', 'PUBLISHED', 'RETIRED']) {
      expect(refusal(() => assertMayApprove({ status, createdBy: 'ana' }, [], 'dewi', FOUR_EYES))).toEqual({ status: 409, code: 'RULE_SET_NOT_IN_REVIEW' });
    }
  });

  it('publishes at once without review only where four eyes are waived (409 REVIEW_REQUIRED otherwise)', () => {
    expect(refusal(() => assertMayPublishDirectly(FOUR_EYES))).toEqual({ status: 409, code: 'REVIEW_REQUIRED' });
    expect(refusal(() => assertMayPublishDirectly(ONE_PERSON))).toBeUndefined();
  });
});

describe('rule-set review: when an approved version takes effect', () => {
  const now = new Date('2020-04-20T03:00:00Z');

  it('at approval when the author left it open, else at the date asked for', () => {
    expect(effectiveFromAtApproval(null, now)).toEqual(now);
    const later = new Date('2020-05-01T00:00:00+07:00');
    expect(effectiveFromAtApproval(later, now)).toEqual(later);
  });

  it('tolerates a minute of clock skew, and refuses a date that passed while the version waited (409 EFFECTIVE_FROM_PASSED)', () => {
    const justNow = new Date(now.getTime() - 59_000);
    expect(effectiveFromAtApproval(justNow, now)).toEqual(justNow);
    expect(refusal(() => effectiveFromAtApproval(new Date(now.getTime() - 61_000), now))).toEqual({ status: 409, code: 'EFFECTIVE_FROM_PASSED' });
  });
});

describe('rule-set review: the setting', () => {
  it('takes two program managers by default; a local demo may waive it, production may not', () => {
    expect(loadConfig(testEnvironment()).ruleSetReview.fourEyes).toBe(true);
    expect(loadConfig(testEnvironment({ RULE_SET_FOUR_EYES: 'false' })).ruleSetReview.fourEyes).toBe(false);
    expect(loadConfig(testEnvironment({ NODE_ENV: 'production' })).ruleSetReview.fourEyes).toBe(true);
    expect(() => loadConfig(testEnvironment({ NODE_ENV: 'production', RULE_SET_FOUR_EYES: 'false' }))).toThrow(/RULE_SET_FOUR_EYES: must be true when NODE_ENV=production/);
  });
});
