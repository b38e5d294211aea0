/**
 * The mock IdP's RS256 signing keys, made with node:crypto (no JOSE dependency for `./testing`).
 * Keys rotate like a real IdP's: a new `kid` signs from now on while the old public key can stay
 * in the JWKS for tokens already issued.
 *
 * @module
 */
import { generateKeyPairSync, type KeyObject, sign } from 'node:crypto';

/** A public key as published in the JWKS. */
export interface PublicJwk {
  kty: string;
  kid: string;
  use: 'sig';
  alg: 'RS256';
  n: string;
  e: string;
}

interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  jwk: PublicJwk;
}

/** How the next ID token is signed; the non-default modes exist for security tests. */
export type SignMode =
  /** With the current key, as published. */
  | 'current'
  /** With a key that is not in the JWKS but claims the current `kid` (a forged signature). */
  | 'forged'
  /** With a key whose `kid` is not in the JWKS. */
  | 'unknown-key'
  /** Unsigned (`alg: none`), the oldest JWT attack. */
  | 'none';

let generation = 0;

function makeKey(prefix: string): SigningKey {
  // 2048 bits: the floor openid-client accepts for RSA.
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  generation += 1;
  const kid = `${prefix}-${Date.now().toString(36)}-${generation}`;
  const exported = publicKey.export({ format: 'jwk' });
  const jwk: PublicJwk = {
    kty: String(exported.kty),
    kid,
    use: 'sig',
    alg: 'RS256',
    n: String(exported.n),
    e: String(exported.e),
  };
  return { kid, privateKey, jwk };
}

function base64url(data: string | Buffer): string {
  return Buffer.from(data).toString('base64url');
}

/**
 * The key ring of one mock IdP. The first key is made on first use (the JWKS or a token), not in
 * the constructor: RSA generation costs tens of milliseconds, and most mocks in a test suite
 * never sign anything.
 */
export class SigningKeys {
  #ring: { current: SigningKey; published: SigningKey[] } | undefined;
  #stranger: SigningKey | undefined;

  #keys(): { current: SigningKey; published: SigningKey[] } {
    if (!this.#ring) {
      const first = makeKey('mock-classlink');
      this.#ring = { current: first, published: [first] };
    }
    return this.#ring;
  }

  /** The `kid` new tokens are signed with. */
  get currentKid(): string {
    return this.#keys().current.kid;
  }

  /** The JWKS document. */
  jwks(): { keys: PublicJwk[] } {
    return { keys: this.#keys().published.map((key) => key.jwk) };
  }

  /**
   * Start signing with a new key. With `keepPrevious` (the default) the old public key stays
   * published, as IdPs do during a rotation; without it, tokens signed earlier stop verifying.
   */
  rotate(options: { keepPrevious?: boolean } = {}): string {
    const ring = this.#keys();
    const next = makeKey('mock-classlink');
    ring.published = options.keepPrevious === false ? [next] : [next, ...ring.published];
    ring.current = next;
    return next.kid;
  }

  /** Sign a JWT with RS256. */
  sign(payload: Record<string, unknown>, mode: SignMode = 'current'): string {
    if (mode === 'none') {
      const header = base64url(JSON.stringify({ alg: 'none', typ: 'JWT' }));
      return `${header}.${base64url(JSON.stringify(payload))}.`;
    }
    const current = this.#keys().current;
    let key = current;
    let kid = key.kid;
    if (mode !== 'current') {
      this.#stranger ??= makeKey('stranger');
      key = this.#stranger;
      kid = mode === 'forged' ? current.kid : key.kid;
    }
    const header = base64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid }));
    const body = base64url(JSON.stringify(payload));
    const signature = sign('sha256', Buffer.from(`${header}.${body}`), key.privateKey);
    return `${header}.${body}.${base64url(signature)}`;
  }
}
