import { createHash } from 'node:crypto';
import { lotteryTicket, rankApplicants } from '../../../lib/wave-lottery';

const SEED = '0f'.repeat(32);
const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

describe('wave lottery', () => {
  it('is the SHA-256 of "<seed>:<participantId>" in hex, as the database computes it', () => {
    expect(lotteryTicket(SEED, id(1))).toBe(createHash('sha256').update(`${SEED}:${id(1)}`).digest('hex'));
    expect(lotteryTicket(SEED, id(1))).toMatch(/^[0-9a-f]{64}$/);
  });

  it('ranks by priority first, then by ticket, and selects up to the quota', () => {
    const applicants = [10, 50, 30, 50, 0, 30].map((priorityPoints, n) => ({ participantId: id(n), priorityPoints }));
    const ranked = rankApplicants(SEED, applicants, 3);
    expect(ranked.map((a) => a.rank)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(ranked.map((a) => a.priorityPoints)).toEqual([50, 50, 30, 30, 10, 0]);
    const fifties = ranked.slice(0, 2).map((a) => a.lotteryTicket);
    expect(fifties).toEqual([...fifties].sort());
    expect(ranked.filter((a) => a.selected)).toHaveLength(3);
  });

  it('gives the same ranking for the same seed, whatever the input order, and another for another seed', () => {
    const applicants = Array.from({ length: 200 }, (_, n) => ({ participantId: id(n), priorityPoints: n % 2 === 0 ? 20 : 0 }));
    const once = rankApplicants(SEED, applicants, 50).map((a) => a.participantId);
    expect(rankApplicants(SEED, [...applicants].reverse(), 50).map((a) => a.participantId)).toEqual(once);
    expect(rankApplicants('aa'.repeat(32), applicants, 50).map((a) => a.participantId)).not.toEqual(once);
  });

  it('selects everyone when the quota exceeds the applicants', () => {
    expect(rankApplicants(SEED, [{ participantId: id(1), priorityPoints: 0 }], 5)).toEqual([
      expect.objectContaining({ rank: 1, selected: true }),
    ]);
  });
});
