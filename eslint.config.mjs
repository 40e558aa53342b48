import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

/**
 * The layers (README, "Layout"): core ← sheets ← keeper ← messenger / lanes ← main.ts. Each folder
 * may import only the layers below it (the keeper only through its door, keeper/keeper.ts; no lane
 * another lane) and use only the Apps Script services its job needs.
 */
const APPS_SCRIPT = [
  'SpreadsheetApp',
  'LockService',
  'PropertiesService',
  'CacheService',
  'MailApp',
  'GmailApp',
  'ScriptApp',
  'HtmlService',
  'ContentService',
  'Utilities',
  'Session',
  'UrlFetchApp',
  'DriveApp',
  'CalendarApp',
  'Logger',
];
const services = (where, ...allowed) =>
  APPS_SCRIPT.filter((g) => !allowed.includes(g)).map((name) => ({
    name,
    message: `${where} does not use ${name}: see the layout in README.md.`,
  }));
const NODE_ONLY = ['node:*', 'fs', 'path', 'worker_threads', 'vm', '**/emulator/*'];
const layer = (files, where, forbidden, ...allowedServices) => ({
  files,
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          { group: NODE_ONLY, message: 'src/ runs on Apps Script: no Node-only modules, no emulator.' },
          ...forbidden.map((group) => ({
            group,
            message: `${where} may not import this: see the layout in README.md.`,
          })),
        ],
      },
    ],
    'no-restricted-globals': ['error', ...services(where, ...allowedServices)],
  },
});
const ABOVE_CORE = [
  '**/gate/**',
  '**/sheets/**',
  '**/keeper/**',
  '**/messenger/**',
  '**/lanes/**',
  '**/main',
];
const ABOVE_SHEETS = ['**/gate/**', '**/keeper/**', '**/messenger/**', '**/lanes/**', '**/main'];
// The keeper from outside: only its door.
const KEEPER_INSIDE = ['**/keeper/*', '!**/keeper/keeper'];
const otherLanes = (lane) => [
  ['form', 'email-reply', 'import', 'host', 'checks']
    .filter((l) => l !== lane)
    .flatMap((l) => [`../${l}/*`, `**/lanes/${l}/**`]),
];

export default tseslint.config(
  { ignores: ['dist/', 'build/', 'node_modules/', 'data/', 'test-output/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    languageOptions: {
      globals: {
        require: 'readonly',
        module: 'writable',
        process: 'readonly',
        console: 'readonly',
        __dirname: 'readonly',
        Buffer: 'readonly',
      },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  layer(['src/core/**/*.ts'], 'src/core (pure)', [ABOVE_CORE]),
  // (Script Properties keep the form's public link: sheets/public-url.ts.)
  layer(
    ['src/sheets/**/*.ts'],
    'src/sheets',
    [ABOVE_SHEETS],
    'SpreadsheetApp',
    'ScriptApp',
    'Utilities',
    'PropertiesService',
  ),
  layer(
    ['src/keeper/**/*.ts'],
    'src/keeper',
    [['**/messenger/**', '**/lanes/**', '**/main']],
    'LockService',
    'PropertiesService',
    'CacheService',
    'Utilities',
  ),
  layer(
    ['src/messenger/**/*.ts'],
    'src/messenger',
    [['**/lanes/**', '**/main'], KEEPER_INSIDE],
    'MailApp',
    'GmailApp',
    'LockService',
    'Utilities',
    'Session',
  ),
  ...['form', 'email-reply', 'import'].map((lane) =>
    layer(
      [`src/lanes/${lane}/**/*.ts`],
      `src/lanes/${lane}`,
      [['**/main'], KEEPER_INSIDE, ...otherLanes(lane)],
      'HtmlService',
      'ContentService',
      'GmailApp',
      'CacheService',
      'PropertiesService',
      'LockService',
      'ScriptApp',
      'Utilities',
    ),
  ),
  // The host's lane also builds the menu, installs the spreadsheet's triggers, and shows the dashboard
  // (a sidebar: HtmlService; the mail quota: MailApp's read-only counter; dates: Utilities; the
  // form's copy of the questions, dropped when the host edits them: CacheService).
  layer(
    ['src/lanes/host/**/*.ts'],
    'src/lanes/host',
    [['**/main'], KEEPER_INSIDE, ...otherLanes('host')],
    'SpreadsheetApp',
    'ScriptApp',
    'HtmlService',
    'MailApp',
    'Utilities',
    'CacheService',
  ),
  // The deployment check touches every service it checks.
  layer(
    ['src/lanes/checks/**/*.ts'],
    'src/lanes/checks',
    [['**/main'], KEEPER_INSIDE, ...otherLanes('checks')],
    'SpreadsheetApp',
    'ScriptApp',
    'LockService',
    'PropertiesService',
    'MailApp',
    'GmailApp',
    'UrlFetchApp',
    'Utilities',
  ),
  // The gate every entry point passes: it reads only whether there is a spreadsheet UI and which
  // triggers are installed (core/entry.ts decides).
  layer(
    ['src/gate/**/*.ts'],
    'src/gate',
    [['**/sheets/**', '**/keeper/**', '**/messenger/**', '**/lanes/**', '**/main']],
    'SpreadsheetApp',
    'ScriptApp',
  ),
  layer(['src/main.ts'], 'src/main.ts (entry points only)', [
    ['./core/*', './sheets/*', './keeper/*', './messenger/*'],
  ]),
);
