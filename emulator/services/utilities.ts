/** Utilities: uuids, dates, digests, base64 and blobs run in the execution; sleep is a backend call. */
import * as crypto from 'crypto';
import { formatDate, parseDate } from '../dates';
import { ServiceEnv, strict } from './env';

export function utilities(env: ServiceEnv) {
  const { rpc } = env;
  class Blob {
    constructor(
      private bytes: Buffer,
      private contentType: string,
      private name: string,
    ) {}
    getDataAsString = () => this.bytes.toString('utf8');
    getBytes = () => env.toRealm([...this.bytes].map((b) => (b > 127 ? b - 256 : b)));
    getContentType = () => this.contentType;
    getName = () => this.name;
    setName = (n: string) => ((this.name = n), this);
    toWire = () => ({ name: this.name, contentType: this.contentType, data: this.bytes.toString('base64') });
  }
  const toBuf = (v: unknown, charset?: string) =>
    Array.isArray(v)
      ? Buffer.from(v.map((b: number) => b & 255))
      : Buffer.from(String(v), charset === 'US_ASCII' ? 'ascii' : 'utf8');
  const signed = (b: Buffer) => [...b].map((x) => (x > 127 ? x - 256 : x));
  const DigestAlgorithm = { MD5: 'md5', SHA_1: 'sha1', SHA_256: 'sha256', SHA_512: 'sha512' };
  return strict('Utilities', {
    getUuid: () => (env.uuid ? env.uuid() : crypto.randomUUID()),
    formatDate: (d: Date, tz: string, pattern: string) => formatDate(new Date(d.getTime()), tz, pattern),
    parseDate: (s: string, tz: string, pattern: string) => env.toRealm(parseDate(s, tz, pattern)),
    sleep: (ms: number) => void rpc('utilities.sleep', ms),
    computeDigest: (alg: string, value: unknown) =>
      env.toRealm(signed(crypto.createHash(alg).update(toBuf(value)).digest())),
    computeHmacSha256Signature: (value: unknown, key: unknown) =>
      env.toRealm(signed(crypto.createHmac('sha256', toBuf(key)).update(toBuf(value)).digest())),
    base64Encode: (v: unknown) => toBuf(v).toString('base64'),
    base64EncodeWebSafe: (v: unknown) => toBuf(v).toString('base64').replace(/\+/g, '-').replace(/\//g, '_'),
    base64Decode: (s: string) => env.toRealm(signed(Buffer.from(s, 'base64'))),
    newBlob: (data: unknown, contentType?: string, name?: string) =>
      new Blob(toBuf(data), contentType ?? 'application/octet-stream', name ?? ''),
    DigestAlgorithm,
    Charset: { UTF_8: 'UTF_8', US_ASCII: 'US_ASCII' },
  });
}
