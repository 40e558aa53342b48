/**
 * `npm run -s snippet -- <URL> > file`, as the README tells a host: stdout is exactly the snippet,
 * nothing else (npm's own banner is silenced by -s; anything the build says goes to stderr).
 */
import { execFile } from 'child_process';
import * as path from 'path';
import { snippet, webAppUrl } from '../../scripts/snippet';

const root = path.join(__dirname, '..', '..');

function npmRun(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('npm', ['run', ...args], { cwd: root, encoding: 'utf8' }, (err, stdout, stderr) =>
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('npm run -s snippet', () => {
  test('prints exactly the snippet on stdout', async () => {
    const url = 'https://script.google.com/macros/s/AKfy-abc_123/exec';
    const r = await npmRun(['-s', 'snippet', '--', url]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(snippet(url));
    expect(r.stdout.startsWith('<!-- RSVP form')).toBe(true);
    expect(r.stdout).toContain(`action="${url}"`);
    expect(r.stdout).toContain('<script>');
  }, 60000);

  test('no URL or not an http(s) URL: usage on stderr, nothing on stdout, exit 2', async () => {
    for (const args of [[], ['javascript:alert(1)'], ['not a url']]) {
      const r = await npmRun(['-s', 'snippet', '--', ...args]);
      expect({ args, code: r.code, stdout: r.stdout }).toEqual({ args, code: 2, stdout: '' });
      expect(r.stderr).toMatch(/usage: npm run -s snippet -- <web app URL/);
    }
  }, 60000);

  test('the URL is escaped in the action attribute', () => {
    const url = webAppUrl('https://example.com/exec?a=1&b="x"<y>')!;
    const html = snippet(url);
    expect(html).toContain('action="https://example.com/exec?a=1&amp;b=%22x%22%3Cy%3E"');
    expect(webAppUrl('ftp://example.com/exec')).toBeNull();
  });
});
