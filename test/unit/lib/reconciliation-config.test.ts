// The reconciliation's midnight grace window as configured: a default, and bad values refused at boot by name.
import { ConfigError, loadConfig } from '../../../lib/config';

describe('RECONCILIATION_MIDNIGHT_GRACE_MINUTES', () => {
  it('defaults to ten minutes, and 0 turns the window off', () => {
    expect(loadConfig({}).reconciliation).toEqual({ midnightGraceMs: 10 * 60_000 });
    expect(loadConfig({ RECONCILIATION_MIDNIGHT_GRACE_MINUTES: '0' }).reconciliation).toEqual({ midnightGraceMs: 0 });
    expect(loadConfig({ RECONCILIATION_MIDNIGHT_GRACE_MINUTES: '360' }).reconciliation).toEqual({ midnightGraceMs: 6 * 3_600_000 });
  });

  it.each(['-1', '361', '2.5', 'ten'])('refuses %s, naming the variable', (value) => {
    expect(() => loadConfig({ RECONCILIATION_MIDNIGHT_GRACE_MINUTES: value })).toThrow(ConfigError);
    expect(() => loadConfig({ RECONCILIATION_MIDNIGHT_GRACE_MINUTES: value })).toThrow(/RECONCILIATION_MIDNIGHT_GRACE_MINUTES/);
  });
});
