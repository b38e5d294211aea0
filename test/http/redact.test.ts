import { describe, expect, it } from 'vitest';
import { createRedactor, REDACTED } from '../../src/http/redact';

describe('createRedactor', () => {
  let secrets = ['consumer-secret-value', 'tok'];
  const redactor = createRedactor(() => secrets);

  it('removes every known secret, also percent-encoded', () => {
    expect(redactor.text('x consumer-secret-value y')).toBe(`x ${REDACTED} y`);
    secrets = ['s3cret/with+chars'];
    expect(redactor.text(`k=${encodeURIComponent('s3cret/with+chars')}`)).toBe(`k=${REDACTED}`);
  });

  it('reads secrets at call time (rotating tokens)', () => {
    secrets = ['first-token-aaaa'];
    expect(redactor.text('first-token-aaaa')).toBe(REDACTED);
    secrets = ['second-token-bbbb'];
    expect(redactor.text('second-token-bbbb')).toBe(REDACTED);
  });

  it('does not redact very short strings (would mangle logs)', () => {
    secrets = ['ab'];
    expect(redactor.text('abab')).toBe('abab');
  });

  it('removes credential shapes it was not told about', () => {
    secrets = [];
    const out = redactor.text(
      'Authorization: Bearer eyJhbGciOi.J9.abc oauth_signature="a%2Bb" access_token=xyz123&client_secret=zzz',
    );
    expect(out).not.toMatch(/eyJhbGciOi|a%2Bb|xyz123|zzz/);
    expect(redactor.text('Check the bearer token is current')).toBe(
      'Check the bearer token is current',
    );
  });

  it('scrubs log objects: secret-named keys, URLs, nested strings', () => {
    secrets = ['tokentoken'];
    const input = {
      url: 'https://u:p@x.test/a?access_token=q1w2e3&limit=5',
      headers: { authorization: 'Bearer tokentoken', accept: 'application/json' },
      reason: 'echo tokentoken',
      attempt: 2,
    };
    const out = redactor.fields(input);
    expect(out).toEqual({
      url: `https://x.test/a?access_token=${REDACTED}&limit=5`,
      headers: { authorization: REDACTED, accept: 'application/json' },
      reason: `echo ${REDACTED}`,
      attempt: 2,
    });
    expect(input.headers.authorization).toBe('Bearer tokentoken');
  });
});
