/**
 * `npm run readme`: writes the table of settings generated from the schema into README.md, between
 * its markers (test/unit/settings-schema.test.ts checks that it is there and current).
 */
import * as fs from 'fs';
import * as path from 'path';
import { settingsMarkdown } from '../src/core/settings-schema';

const file = path.join(__dirname, '..', 'README.md');
const START = '<!-- settings-table:start -->';
const END = '<!-- settings-table:end -->';
const text = fs.readFileSync(file, 'utf8');
const a = text.indexOf(START);
const b = text.indexOf(END);
if (a < 0 || b < a) throw new Error(`README.md has no ${START} … ${END} markers`);
fs.writeFileSync(file, `${text.slice(0, a + START.length)}\n${settingsMarkdown()}\n${text.slice(b)}`);
console.log('README.md: the table of settings is up to date');
