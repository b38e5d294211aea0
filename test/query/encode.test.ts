import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../src/errors';
import { decodeRfc3986, encodeRfc3986 } from '../../src/query/encode';

describe('encodeRfc3986', () => {
  it.each([
    ['space', ' ', '%20'],
    ['plus', '+', '%2B'],
    ['percent', '%', '%25'],
    ['single quote', "'", '%27'],
    ['equals', '=', '%3D'],
    ['ampersand', '&', '%26'],
    ['comma', ',', '%2C'],
    ['exclamation', '!', '%21'],
    ['asterisk', '*', '%2A'],
    ['parentheses', '()', '%28%29'],
    ['tilde kept', '~', '~'],
    ['unreserved kept', 'AZaz09-._~', 'AZaz09-._~'],
    ['slash', '/', '%2F'],
    ['colon', ':', '%3A'],
    ['greater-equal', '>=', '%3E%3D'],
    ['e acute (2 UTF-8 bytes)', 'é', '%C3%A9'],
    ['euro (3 bytes)', '€', '%E2%82%AC'],
    ['emoji (4 bytes, surrogate pair)', '🎒', '%F0%9F%8E%92'],
    ['empty', '', ''],
  ])('%s', (_name, input, expected) => {
    expect(encodeRfc3986(input)).toBe(expected);
  });

  it('uses upper-case hex digits only', () => {
    const all = Array.from({ length: 128 }, (_, i) => String.fromCharCode(i)).join('');
    const encoded = encodeRfc3986(all);
    expect(encoded).not.toMatch(/%[0-9A-F]?[a-f]/);
    // Everything outside the unreserved set is escaped: no raw reserved characters remain.
    expect(encoded.replace(/%[0-9A-F]{2}/g, '')).toMatch(/^[A-Za-z0-9\-._~]*$/);
  });

  it('round-trips through decodeRfc3986', () => {
    const value = "O'Brien & Sons = 100% +1 (née) 🎒";
    expect(decodeRfc3986(encodeRfc3986(value))).toBe(value);
  });

  it('rejects a lone surrogate with a ConfigurationError instead of sending U+FFFD', () => {
    expect(() => encodeRfc3986('a\uD800b')).toThrow(ConfigurationError);
  });
});

describe('decodeRfc3986', () => {
  it('keeps + as a literal plus (not a space)', () => {
    expect(decodeRfc3986('a+b%20c')).toBe('a+b c');
  });
  it('returns undefined for malformed escapes', () => {
    expect(decodeRfc3986('100%')).toBeUndefined();
    expect(decodeRfc3986('%E2%82')).toBeUndefined();
  });
});
