/** The dev server's HTTP plumbing: request bodies and parameters, answers and redirects. */
import * as http from 'http';
import type { WebParams } from './runtime';

const MAX_BODY = 1024 * 1024;

export function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(Object.assign(new Error('body too large'), { status: 413 }));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export function queryParams(u: URL): WebParams {
  // No prototype: a parameter named __proto__ or constructor is an ordinary parameter.
  const out: Record<string, string | string[]> = Object.create(null);
  for (const [k, v] of u.searchParams) {
    const prev = out[k];
    out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return out;
}

export function send(
  res: http.ServerResponse,
  status: number,
  type: string,
  body: string,
  headers: Record<string, string> = {},
) {
  res.writeHead(status, {
    'Content-Type': `${type}; charset=utf-8`,
    'Cache-Control': 'no-store',
    ...headers,
  });
  res.end(body);
}

export const json = (res: http.ServerResponse, status: number, value: unknown) =>
  send(res, status, 'application/json', JSON.stringify(value, null, 1));

export const redirect = (res: http.ServerResponse, to: string) => {
  res.writeHead(303, { Location: to });
  res.end();
};

/** An error the dev server answers with 400 and its message: the request was wrong, not the server. */
export function badRequest(message: string): Error & { status: number } {
  return Object.assign(new Error(message), { status: 400 });
}
