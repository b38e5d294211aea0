/**
 * Compare two strings by Unicode code point, which is the order of their UTF-8 bytes: the order
 * SQLite (`BINARY`) and PostgreSQL (`COLLATE "C"`) use for `sourcedId`. JavaScript's `<`
 * compares UTF-16 code units, which disagrees for characters above U+FFFF against U+E000-U+FFFF,
 * so every adapter would list such ids in a different order.
 */
export function compareCodePoints(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // A surrogate (D800-DFFF) starts a code point above FFFF, which sorts after every BMP
    // character, including E000-FFFF that compare higher as code units.
    const surrogateX = x >= 0xd800 && x <= 0xdfff;
    const surrogateY = y >= 0xd800 && y <= 0xdfff;
    if (surrogateX !== surrogateY) return surrogateX ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}
