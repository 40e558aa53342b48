/**
 * The layers the linter keeps (eslint.config.mjs; README, "Layout"): core ← sheets ← keeper ←
 * messenger / lanes ← main.ts. Each case lints a line of code as if it were a new file in that
 * folder: the rule must catch what breaks the layering, and let through what keeps it.
 */
import { execFileSync } from 'child_process';
import * as path from 'path';

/**
 * ESLint's config is an ES module, which jest's sandbox cannot load: lint every case in one plain
 * Node process with ESLint's API, and read its answers.
 */
function lintAll(cases: Array<[string, string]>): string[][] {
  const script = `
    const { ESLint } = require('eslint');
    const cases = JSON.parse(require('fs').readFileSync(0, 'utf8'));
    (async () => {
      const eslint = new ESLint({ cwd: process.cwd() });
      const out = [];
      for (const [file, code] of cases) {
        const [r] = await eslint.lintText(code + '\\nexport const used = 1;\\n', { filePath: file });
        out.push(r.messages
          .filter((m) => m.ruleId === 'no-restricted-imports' || m.ruleId === 'no-restricted-globals')
          .map((m) => m.message));
      }
      process.stdout.write(JSON.stringify(out));
    })();`;
  const out = execFileSync(process.execPath, ['-e', script], {
    cwd: path.join(__dirname, '../..'),
    input: JSON.stringify(cases),
  });
  return JSON.parse(out.toString()) as string[][];
}

const REFUSED: Array<[string, string, RegExp]> = [
  ['src/lanes/checks/new.ts', "import { pollReplies } from '../email-reply/poll';", /may not import/],
  ['src/lanes/host/new.ts', "import { checkDeployment } from '../checks/deployment';", /may not import/],
  ['src/lanes/checks/new.ts', 'HtmlService.createHtmlOutput("");', /does not use HtmlService/],
  ['src/core/new.ts', "import { Workbook } from '../sheets/workbook';", /src\/core \(pure\) may not import/],
  ['src/core/new.ts', "import { keeper } from '../keeper/keeper';", /may not import/],
  ['src/core/reply/new.ts', "import { deliver } from '../../messenger/send';", /may not import/],
  ['src/core/new.ts', 'SpreadsheetApp.flush();', /src\/core \(pure\) does not use SpreadsheetApp/],
  ['src/core/new.ts', 'const x = Utilities.getUuid();', /does not use Utilities/],
  ['src/sheets/new.ts', "import { keeper } from '../keeper/keeper';", /src\/sheets may not import/],
  ['src/sheets/new.ts', "import { deliver } from '../messenger/send';", /may not import/],
  ['src/sheets/new.ts', 'MailApp.sendEmail("a", "b", "c");', /src\/sheets does not use MailApp/],
  ['src/keeper/new.ts', "import { deliver } from '../messenger/send';", /src\/keeper may not import/],
  ['src/keeper/new.ts', 'GmailApp.search("x");', /does not use GmailApp/],
  ['src/messenger/new.ts', "import { transact } from '../keeper/transaction';", /may not import/],
  ['src/messenger/new.ts', "import { handleGet } from '../lanes/form/web';", /may not import/],
  [
    'src/lanes/form/new.ts',
    "import { runImport } from '../import/import';",
    /src\/lanes\/form may not import/,
  ],
  ['src/lanes/import/new.ts', "import { pollReplies } from '../email-reply/poll';", /may not import/],
  ['src/lanes/form/new.ts', "import { requestSeat } from '../../keeper/group-commit';", /may not import/],
  ['src/lanes/form/new.ts', 'SpreadsheetApp.flush();', /does not use SpreadsheetApp/],
  ['src/main.ts', "import { Workbook } from './sheets/workbook';", /entry points only\) may not import/],
  ['src/core/new.ts', "import * as fs from 'fs';", /no Node-only modules/],
];

const ALLOWED: Array<[string, string]> = [
  ['src/core/reply/new.ts', "import { oneLine } from '../text';"],
  ['src/sheets/new.ts', "import { Guest } from '../core/model';\nSpreadsheetApp.flush();"],
  ['src/keeper/new.ts', "import { Workbook } from '../sheets/workbook';\nLockService.getScriptLock();"],
  ['src/messenger/new.ts', "import { keeper } from '../keeper/keeper';\nMailApp.getRemainingDailyQuota();"],
  [
    'src/lanes/form/new.ts',
    "import { keeper } from '../../keeper/keeper';\nimport { admitTry } from './throttle';",
  ],
  ['src/lanes/host/new.ts', 'SpreadsheetApp.getUi();'],
  ['src/main.ts', "import { handleGet } from './lanes/form/web';"],
];

describe('layers', () => {
  let found: string[][];
  beforeAll(() => {
    found = lintAll([...REFUSED.map(([f, c]) => [f, c] as [string, string]), ...ALLOWED]);
  }, 60000);

  test.each(REFUSED.map((c, i) => [...c, i] as const))('%s: %s is refused', (_file, _code, message, i) => {
    expect(found[i]).toEqual([expect.stringMatching(message)]);
  });

  test.each(ALLOWED.map((c, i) => [...c, REFUSED.length + i] as const))('%s: %s is allowed', (_f, _c, i) => {
    expect(found[i]).toEqual([]);
  });
});
