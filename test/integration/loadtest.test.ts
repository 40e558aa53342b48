/**
 * npm run loadtest (issue 14) against the dev server: the answers alone prove no oversell and a
 * gap-free waitlist, also when the server refuses past 30 executions at once (--refuse). Only
 * correctness is asserted, never timings; the retry base is tiny so the run stays short.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { startServer } from '../../emulator/server';
import { Answer, checkAnswers } from '../../scripts/loadtest/check';
import { loadTest, parseArgs } from '../../scripts/loadtest';

const ROOT = path.join(__dirname, '..', '..');

function run(
  cmd: string,
  args: string[],
  onLine?: (line: string) => void,
): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    const p = spawn(cmd, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      onLine?.(out);
    });
    p.stderr.on('data', (d: Buffer) => (out += d.toString()));
    p.on('close', (code) => resolve({ code: code ?? -1, out }));
  });
}

async function setCapacity(base: string, capacity: number) {
  const rows = ((await (await fetch(`${base}/api/sheets/Settings`)).json()) as { values: string[][] }).values;
  const row = rows.findIndex((r) => r[0] === 'Capacity') + 1;
  const r = await fetch(`${base}/api/sheets/Settings`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ a1: `B${row}`, values: [[capacity]] }),
  });
  expect(r.status).toBe(200);
}

const answer = (i: number, status: string, position: number | null = null): Answer => ({
  i,
  status,
  position,
  tries: 1,
  ms: 10 * (i + 1),
  refusals: 0,
});

describe('the load test checker (negative controls: it catches what it must)', () => {
  test('a clean run passes', () => {
    const v = checkAnswers(
      4,
      [
        answer(0, 'confirmed'),
        answer(1, 'confirmed'),
        answer(2, 'waitlisted', 1),
        answer(3, 'waitlisted', 2),
      ],
      2,
    );
    expect(v.violations).toEqual([]);
    expect([v.p50, v.p95, v.max]).toEqual([20, 40, 40]);
  });
  test('an oversell, a repeated position, a gap, a lost answer and a doubled one are each caught', () => {
    expect(
      checkAnswers(3, [answer(0, 'confirmed'), answer(1, 'confirmed'), answer(2, 'confirmed')], 2).violations,
    ).toEqual(['oversold: 3 guests were told "confirmed" for 2 seats']);
    expect(checkAnswers(2, [answer(0, 'waitlisted', 1), answer(1, 'waitlisted', 1)], 0).violations).toContain(
      'waitlist position 1 was given twice',
    );
    expect(checkAnswers(2, [answer(0, 'waitlisted', 1), answer(1, 'waitlisted', 3)], 0).violations).toContain(
      'waitlist positions have gaps: 2 missing',
    );
    // A "queued" answer (told by email) may hold the missing place.
    expect(
      checkAnswers(3, [answer(0, 'waitlisted', 1), answer(1, 'waitlisted', 3), answer(2, 'queued')], 0)
        .violations,
    ).toEqual([]);
    expect(checkAnswers(2, [answer(0, 'confirmed')], 5).violations).toEqual([
      'request 1 got 0 final answers (expected exactly 1)',
    ]);
    expect(checkAnswers(1, [answer(0, 'confirmed'), answer(0, 'confirmed')], 5).violations).toEqual([
      'request 0 got 2 final answers (expected exactly 1)',
    ]);
  });
  test('arguments: friendly errors, test addresses only', () => {
    expect(parseArgs([])).toMatch(/^usage: npm run loadtest/);
    expect(parseArgs(['http://x/exec', '--n', '0'])).toMatch(/whole numbers above 0/);
    expect(parseArgs(['http://x/exec', '--domain', 'not a domain'])).toMatch(/is not a domain/);
    expect(parseArgs(['http://x/exec', '--event-capacity', '7', '--run', 'r1'])).toMatchObject({
      n: 100,
      concurrency: 30,
      capacity: 7,
      run: 'r1',
    });
  });
});

describe('npm run loadtest against the dev server', () => {
  test('60 sign-ups, 30 at a time, for 10 seats: the answers and the sheet agree', async () => {
    const s = await startServer({ port: 0, dataDir: null, quiet: true });
    try {
      await setCapacity(s.url, 10);
      const o = {
        url: `${s.url}/exec`,
        n: 60,
        concurrency: 30,
        capacity: 10,
        domain: 'example.com',
        retryMs: 5,
        run: 't1',
      };
      const { verdict } = await loadTest(o);
      expect(verdict.violations).toEqual([]);
      expect(verdict.counts).toEqual({ confirmed: 10, waitlisted: 50 });
      const rows = s.runtime.backend.sheetRaw('Guests').slice(1);
      expect(rows.filter((r) => r[2] === 'confirmed')).toHaveLength(10);
      expect(rows.every((r) => /^loadtest-t1-\d+@example\.com$/.test(String(r[0])))).toBe(true);
    } finally {
      await s.close();
    }
  });

  test('the CLI against a server that refuses past 30 at once (--refuse): what was answered is consistent with the sheet', async () => {
    const data = fs.mkdtempSync(path.join(os.tmpdir(), 'rsvp-load-'));
    let base = '';
    const server = spawn('node', ['build/server.js', '--port', '0', '--data', data, '--fresh', '--refuse'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      base = await new Promise<string>((resolve, reject) => {
        let out = '';
        server.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          const m = /sign-up form\s+(http:\/\/\S+)\/exec/.exec(out);
          if (m) resolve(m[1]);
        });
        server.on('exit', (c) => reject(new Error(`server exited ${c}: ${out}`)));
      });
      await setCapacity(base, 10);
      // 80 at once against 30 allowed: many are refused (503) and retried; some may give up. Whatever the
      // machine's speed, what was answered must be consistent: at most 10 told "confirmed", no gaps.
      const ok = await run('node', [
        'build/loadtest.js',
        `${base}/exec`,
        '--n',
        '80',
        '--concurrency',
        '80',
        '--event-capacity',
        '10',
        '--retry-ms',
        '200',
        '--run',
        'cli',
      ]);
      expect(ok.out).toMatch(/refusals \d+, retries \d+/);
      expect(ok.out).toContain('no violations');
      expect(ok.code).toBe(0);
      const told = Number(/confirmed (\d+)/.exec(ok.out)?.[1] ?? 0);
      expect(told).toBeLessThanOrEqual(10);
      const rows = (
        (await (await fetch(`${base}/api/sheets/Guests`)).json()) as { values: string[][] }
      ).values.slice(1);
      expect(rows.filter((r) => r[2] === 'confirmed').length).toBe(told);
    } finally {
      // The server saves its state as it stops: remove its folder once it has exited.
      const exited = new Promise((r) => (server.exitCode !== null ? r(null) : server.once('exit', r)));
      server.kill('SIGTERM');
      await exited;
      fs.rmSync(data, { recursive: true, force: true });
    }
  });

  test('negative control: told fewer seats than the event has, the CLI reports an oversell and exits 1', async () => {
    const s2 = await startServer({ port: 0, dataDir: null, quiet: true });
    try {
      await setCapacity(s2.url, 10);
      const r = await run('node', [
        'build/loadtest.js',
        `${s2.url}/exec`,
        '--n',
        '20',
        '--concurrency',
        '20',
        '--event-capacity',
        '3',
        '--retry-ms',
        '10',
        '--run',
        'neg',
      ]);
      expect(r.out).toMatch(/oversold: 10 guests were told "confirmed" for 3 seats/);
      expect(r.code).toBe(1);
    } finally {
      await s2.close();
    }
  });
});
