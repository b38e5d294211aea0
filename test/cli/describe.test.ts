import { describe, expect, it } from 'vitest';
import { describeOutcome, describeProgress } from '../../src/cli/progress/describe';
import type { ResourceProgress } from '../../src/cli/progress/state';

function progress(overrides: Partial<ResourceProgress>): ResourceProgress {
  return {
    resource: 'courses',
    phase: 'done',
    records: 1,
    total: undefined,
    perSecond: 0,
    pull: 'changes',
    invalid: 0,
    retries: 0,
    serverWaitMs: 0,
    clientWaitMs: 0,
    durationMs: 0,
    skipped: undefined,
    ...overrides,
  };
}

describe('progress words', () => {
  it('names the rate limit when waiting for it is where a small resource spent its time', () => {
    const line = describeOutcome(progress({ durationMs: 834, clientWaitMs: 800, perSecond: 1.2 }));
    expect(line).toContain('1 record (changes) in 834ms');
    expect(line).toContain('paced 800ms by the rate limit');
  });

  it('leaves short pacing out when it was not what the time went on', () => {
    expect(describeOutcome(progress({ durationMs: 5000, clientWaitMs: 300 }))).not.toContain(
      'paced',
    );
    expect(describeOutcome(progress({ durationMs: 80, clientWaitMs: 60 }))).not.toContain('paced');
  });

  it('always names long pacing, server throttling and retries', () => {
    const line = describeProgress(
      progress({
        phase: 'running',
        records: 1234,
        total: 5000,
        perSecond: 410,
        durationMs: 60_000,
        clientWaitMs: 1500,
        serverWaitMs: 2000,
        retries: 2,
      }),
    );
    expect(line).toBe(
      '1,234/5,000 (24%), 410/s, ETA 9.2s, 2 retries, throttled 2.0s by the server, paced 1.5s by the rate limit',
    );
  });
});
