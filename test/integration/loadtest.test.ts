/**
 * npm run loadtest against the dev server (build/server.js, a real HTTP server on the real clock) and
 * against a scripted /exec for its retry rules. Only correctness is asserted, never timings: how many
 * requests the dev server refuses depends on the machine's speed, so a refused request must simply
 * end as "refused" with nothing written, and every other answer must match the sheet.
 */
import { ChildProcess, execFile, spawn } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import * as os from 'os';
import * as path from 'path';
import type { AddressInfo } from 'net';
import type { Answer } from '../../scripts/loadtest';
import { records } from '../../scripts/sim/sheet';

const ROOT = path.join(__dirname, '../..');
const LOADTEST = path.join(ROOT, 'build/loadtest.js');

function loadtest(args: string[]): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [LOADTEST, ...args], { cwd: ROOT }, (err, stdout, stderr) =>
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, out: stdout + stderr }),
    );
  });
}

async function devServer(extra: string[]): Promise<{ url: string; proc: ChildProcess; dir: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rsvp-loadtest-'));
  const proc = spawn(
    process.execPath,
    [path.join(ROOT, 'build/server.js'), '--port', '0', '--fresh', '--data', dir, ...extra],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /sign-up form\s+(http:\/\/localhost:\d+)\/exec/.exec(out);
      if (m) resolve(m[1]);
    });
    proc.on('exit', (code) => reject(new Error(`dev server exited (${code}): ${out}`)));
  });
  return { url, proc, dir };
}

async function api(base: string, p: string, body?: unknown): Promise<{ values: string[][] }> {
  const r = await fetch(`${base}${p}`, {
    method: body ? 'POST' : 'GET',
    headers: body ? { 'Content-Type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  return (await r.json()) as { values: string[][] };
}

async function setCapacity(base: string, k: number): Promise<void> {
  const { values } = await api(base, '/api/sheets/Settings');
  const row = values.findIndex((r) => r[0] === 'Capacity') + 1;
  expect(row).toBeGreaterThan(0);
  await api(base, '/api/sheets/Settings', { a1: `B${row}`, values: [[k]] });
}

/** Every answer against the Guests sheet: what each was told is what its row says. */
async function answersMatchSheet(base: string, answers: Answer[], k: number) {
  const { values } = await api(base, '/api/sheets/Guests');
  const rows = new Map(
    records(values).map((r) => [r.Email, { status: r.Status, position: r['Waitlist #'] }]),
  );
  for (const a of answers) {
    const row = rows.get(a.email);
    if (a.status === 'refused') expect([a.email, row]).toEqual([a.email, undefined]);
    else if (a.status === 'confirmed') expect([a.email, row?.status]).toEqual([a.email, 'confirmed']);
    else if (a.status === 'waitlisted')
      expect([a.email, row?.status, row?.position]).toEqual([a.email, 'waitlisted', String(a.position)]);
    else throw new Error(`unexpected answer ${JSON.stringify(a)}`);
  }
  expect([...rows.values()].filter((r) => r.status === 'confirmed').length).toBe(
    Math.min(k, answers.filter((a) => a.status !== 'refused').length),
  );
}

describe('npm run loadtest against the dev server', () => {
  let server: { url: string; proc: ChildProcess; dir: string } | null = null;
  afterEach(async () => {
    if (!server) return;
    const { proc, dir } = server;
    server = null;
    // It saves its state as it stops: remove the directory once it has exited.
    await new Promise<void>((r) =>
      proc.exitCode !== null ? r() : (proc.once('exit', () => r()), proc.kill()),
    );
    fs.rmSync(dir, { recursive: true, force: true });
  });

  for (const [name, extra, concurrency] of [
    ['queueing past 30 (the default)', [] as string[], 30],
    ['refusing past 30 with 503 (--refuse), 45 at once', ['--refuse'], 45],
  ] as const) {
    test(`${name}: no oversell, positions 1..W, one final answer each, and each answer is what the sheet says`, async () => {
      server = await devServer([...extra]);
      const k = 20;
      await setCapacity(server.url, k);
      const save = path.join(server.dir, 'answers.json');
      const r = await loadtest([
        `${server.url}/exec`,
        '--n',
        '60',
        '--concurrency',
        String(concurrency),
        '--retry-ms',
        '5',
        '--save',
        save,
        '--run',
        't1',
      ]);
      expect(r.out).toMatch(/no violations/);
      expect(r.code).toBe(0);
      // K was read from the web app's state (seats left before the run).
      expect(r.out).toMatch(/capacity checked: 20/);
      const answers = JSON.parse(fs.readFileSync(save, 'utf8')) as Answer[];
      expect(answers).toHaveLength(60);
      expect(new Set(answers.map((a) => a.email)).size).toBe(60);
      expect(answers[7].email).toBe('loadtest-t1-7@example.com');
      await answersMatchSheet(server.url, answers, k);
    });
  }
});

describe("the load test's checker and retry rules", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rsvp-loadtest-check-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const a = (i: number, status: string | null, position?: number) => ({
    i,
    email: `x${i}@e.com`,
    status,
    position,
    tries: 1,
    refused: 0,
    ms: 1,
  });
  const check = async (answers: unknown[], k: number) => {
    const f = path.join(dir, `set-${Math.random().toString(36).slice(2)}.json`);
    fs.writeFileSync(f, JSON.stringify(answers));
    return loadtest(['--answers', f, '--event-capacity', String(k)]);
  };

  test('negative controls: an oversell, a gap, a repeat, a request without answer each exit non-zero; a clean set exits 0', async () => {
    const clean = [
      a(0, 'confirmed'),
      a(1, 'confirmed'),
      a(2, 'waitlisted', 1),
      a(3, 'waitlisted', 2),
      a(4, 'refused'),
    ];
    expect(await check(clean, 2)).toMatchObject({ code: 0, out: expect.stringMatching(/no violations/) });
    const oversold = await check([...clean, a(5, 'confirmed')], 2);
    expect(oversold).toMatchObject({
      code: 1,
      out: expect.stringMatching(/oversold: 3 told "confirmed", capacity 2/),
    });
    const gap = await check([...clean, a(5, 'waitlisted', 4)], 2);
    expect(gap).toMatchObject({ code: 1, out: expect.stringMatching(/gap: 3 missing of 1\.\.3/) });
    const repeat = await check([...clean, a(5, 'already-waitlisted', 2)], 2);
    expect(repeat).toMatchObject({ code: 1, out: expect.stringMatching(/position 2 given twice/) });
    const silent = await check([...clean, a(5, null)], 2);
    expect(silent).toMatchObject({
      code: 1,
      out: expect.stringMatching(/request 5 \(x5@e\.com\) got no answer/),
    });
  });

  test('retries as the form does: 503, 429, busy then an answer; four refusals end as refused; four dropped connections are no answer', async () => {
    const seen = new Map<string, number>();
    const srv = http.createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        const email = new URLSearchParams(body).get('email') ?? '';
        const n = (seen.get(email) ?? 0) + 1;
        seen.set(email, n);
        const i = Number(/-(\d+)@/.exec(email)?.[1]);
        if (i === 2)
          req.socket.destroy(); // a dropped connection, every time
        else if (i === 1 || n === 1) res.writeHead(503).end('Busy');
        else if (n === 2) res.writeHead(429).end('Slow down');
        else if (n === 3) res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"status":"busy"}');
        else
          res
            .writeHead(200, { 'Content-Type': 'application/json' })
            .end('{"status":"confirmed","message":"You\'re in"}');
      });
    });
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const port = (srv.address() as AddressInfo).port;
    const save = path.join(dir, 'retry.json');
    try {
      const r = await loadtest([
        `http://127.0.0.1:${port}/exec`,
        '--n',
        '3',
        '--event-capacity',
        '5',
        '--retry-ms',
        '1',
        '--save',
        save,
        '--run',
        'r',
      ]);
      const answers = JSON.parse(fs.readFileSync(save, 'utf8')) as Answer[];
      expect(answers.map((x) => [x.status, x.tries, x.refused])).toEqual([
        ['confirmed', 4, 3],
        ['refused', 4, 4],
        [null, 4, 4],
      ]);
      expect(seen.get('loadtest-r-0@example.com')).toBe(4);
      expect(r.code).toBe(1);
      expect(r.out).toMatch(/request 2 .* got no answer: dropped/);
      expect(r.out).toMatch(/refusals \(busy, 429, 503, dropped\): 11; retries: 9/);
    } finally {
      srv.close();
    }
  });
});
