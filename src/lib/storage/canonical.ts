/**
 * Canonical JSON and hashing for checksummed files. Canonical means object keys sorted
 * (by UTF-16 code unit, recursively), no whitespace, and `undefined` members dropped as
 * JSON.stringify drops them, so the same data always hashes the same whatever order its
 * keys were written in.
 */

/** Serializes `value` as canonical JSON (see the file comment). */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    // Non-finite numbers become null, as in JSON.stringify.
    return JSON.stringify(value) ?? 'null';
  }
  if (Array.isArray(value)) {
    return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  }
  const entries = Object.keys(value)
    .sort()
    .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
    .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
  return `{${entries.join(',')}}`;
}

/** SHA-256 of the UTF-8 bytes of `text`, as 64 lowercase hex digits (Web Crypto). */
export function sha256Hex(text: string): Promise<string> {
  return bytesSha256Hex(new TextEncoder().encode(text));
}

/** SHA-256 of `bytes` (exactly the view, not its whole buffer), as 64 lowercase hex digits. */
export async function bytesSha256Hex(bytes: Uint8Array): Promise<string> {
  // A copy: Web Crypto wants an ArrayBuffer-backed view, and a copy is one whatever backs `bytes`.
  const digest = await globalThis.crypto.subtle.digest('SHA-256', bytes.slice());
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}
