// Build: src/main.ts -> dist/Code.js (+ appsscript.json, .html templates) and the emulator's Node entry points.
//
// Apps Script only sees top-level `function` declarations, so the bundle is an IIFE that puts the
// exports of src/main.ts on one global, followed by a generated stub per export. The build fails
// when an export has no stub, when an export is not a function, or when a Node-only API slips in.
import * as esbuild from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');
const build = path.join(root, 'build');
const GLOBAL = '__rsvp';

function fail(msg) {
  console.error(`build failed: ${msg}`);
  process.exit(1);
}

async function bundleApp() {
  // 1. The list of exports (esbuild reports them for ESM output).
  const probe = await esbuild.build({
    entryPoints: [path.join(root, 'src/main.ts')],
    bundle: true,
    format: 'esm',
    write: false,
    metafile: true,
    outfile: 'probe.js',
    logLevel: 'silent',
  });
  const exportsList = Object.values(probe.metafile.outputs)[0].exports;
  if (!exportsList.length) fail('src/main.ts exports no entry point');

  // 2. The bundle itself: ES2019 for Apps Script's V8, no Node built-ins.
  const result = await esbuild.build({
    entryPoints: [path.join(root, 'src/main.ts')],
    bundle: true,
    format: 'iife',
    globalName: GLOBAL,
    platform: 'neutral',
    mainFields: ['module', 'main'],
    target: 'es2019',
    write: false,
    legalComments: 'none',
    charset: 'utf8',
    // Apps Script has no TextEncoder (ical-generator folds lines with it): the bundle's own, no global.
    inject: [path.join(root, 'src/polyfills/text-encoder.ts')],
    // Apps Script has no Web Crypto; ical-generator calls crypto.randomUUID() for event ids.
    banner: {
      js: "var crypto = (typeof crypto !== 'undefined' && crypto) || { randomUUID: function () { return Utilities.getUuid(); } };",
    },
    logLevel: 'warning',
  });
  let code = result.outputFiles[0].text;
  const stubs = exportsList
    .map((name) => `function ${name}() {\n  return ${GLOBAL}.${name}.apply(this, arguments);\n}`)
    .join('\n');
  code = `// Built by scripts/build.mjs from src/. Edit the sources, not this file.\n${code}\n${stubs}\n`;

  // 3. Checks: every export is a top-level function; nothing Node-only.
  for (const name of exportsList) {
    if (!new RegExp(`^function ${name}\\(`, 'm').test(code)) fail(`export ${name} has no top-level stub`);
  }
  const forbidden = [
    /\brequire\(/,
    /\bprocess\.(env|argv|exit|cwd)/,
    /\bBuffer\.from\(/,
    /\b__dirname\b/,
    /\bsetTimeout\(/,
  ];
  for (const re of forbidden) if (re.test(code)) fail(`the bundle uses a Node-only API (${re})`);
  const ctx = vm.createContext({});
  try {
    vm.runInContext(code, ctx, { timeout: 5000 });
  } catch (e) {
    fail(`the bundle does not load in a bare context (top-level code must not call services): ${e}`);
  }
  // Every export is declared as exactly one kind and passes the gate (src/gate/gate.ts): on Google
  // any visitor can call any top-level function, so an undeclared one would be open to all.
  const kinds = { web: [], host: [], trigger: [] };
  for (const name of exportsList) {
    const fn = ctx[GLOBAL]?.[name];
    if (typeof fn !== 'function') fail(`export ${name} is not a function`);
    if (typeof ctx[name] !== 'function') fail(`entry point ${name} is not callable at top level`);
    if (!(fn.entryKind in kinds) || fn.entryName !== name)
      fail(
        `export ${name} is not declared as a web entry, a host UI function or a trigger: ` +
          `export it as entry('web' | 'host' | 'trigger', '${name}', …) (src/gate/gate.ts)`,
      );
    kinds[fn.entryKind].push(name);
  }
  // Nothing else at top level that google.script.run could call.
  const callable = Object.keys(ctx).filter((k) => typeof ctx[k] === 'function');
  const stray = callable.filter((k) => !exportsList.includes(k));
  if (stray.length) fail(`top-level functions that are not declared entry points: ${stray.join(', ')}`);

  fs.rmSync(dist, { recursive: true, force: true });
  fs.mkdirSync(dist, { recursive: true });
  fs.writeFileSync(path.join(dist, 'Code.js'), code);
  fs.copyFileSync(path.join(root, 'appsscript.json'), path.join(dist, 'appsscript.json'));
  const ui = path.join(root, 'src/ui');
  for (const f of fs.readdirSync(ui))
    if (f.endsWith('.html')) fs.copyFileSync(path.join(ui, f), path.join(dist, f));
  const paste = writePaste(code, ui);
  return { exportsList, kinds, bytes: Buffer.byteLength(code), paste };
}

/**
 * dist/paste/: the same bundle as one Code.gs, for a host to paste into Extensions → Apps Script of
 * any Sheet (no terminal, no clasp), with its appsscript.json. Every HTML file is inlined as a string
 * on one global object (an object, not a function: google.script.run calls only functions), and each
 * `…FromFile(name)` call reads it from there. The first line says which version it is.
 */
function writePaste(code, ui) {
  const html = {};
  for (const f of fs.readdirSync(ui).sort())
    if (f.endsWith('.html')) html[f.slice(0, -5)] = fs.readFileSync(path.join(ui, f), 'utf8');
  let calls = 0;
  const inlined = code
    .replace(
      /HtmlService\.createHtmlOutputFromFile\(/g,
      () => (calls++, 'HtmlService.createHtmlOutput(__rsvpHtml.file('),
    )
    .replace(
      /HtmlService\.createTemplateFromFile\(/g,
      () => (calls++, 'HtmlService.createTemplate(__rsvpHtml.file('),
    );
  // Each rewritten call gains one closing parenthesis after its argument: the argument is a string literal.
  const fixed = inlined.replace(/(__rsvpHtml\.file\((['"])[A-Za-z0-9_-]+\2)\)/g, '$1))');
  const left = (fixed.match(/__rsvpHtml\.file\((['"])[A-Za-z0-9_-]+\1\)\)/g) ?? []).length;
  if (!calls || left !== calls)
    fail(`the paste copy rewrote ${left} of ${calls} HTML file reads (only literal names are supported)`);
  if (/FromFile\(/.test(fixed)) fail('the paste copy still reads an HTML file');
  const version = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).version;
  const hash = createHash('sha256').update(fixed).update(JSON.stringify(html)).digest('hex').slice(0, 12);
  const head =
    `// sheet-rsvp ${version} (build ${hash}): paste this whole file into Extensions → Apps Script → Code.gs.\n` +
    `// Generated by scripts/build.mjs from src/ and src/ui/*.html; the same code as dist/Code.js.\n`;
  const files =
    `var __rsvpHtml = { files: ${JSON.stringify(html)}, file: function (name) {\n` +
    `  if (!Object.prototype.hasOwnProperty.call(this.files, name)) throw new Error('No HTML file named ' + name + ' was found.');\n` +
    `  return this.files[name];\n} };\n`;
  const out = head + files + fixed.replace(/^\/\/ Built by scripts\/build\.mjs.*\n/, '');
  const ctx = vm.createContext({});
  try {
    vm.runInContext(out, ctx, { timeout: 5000 });
  } catch (e) {
    fail(`the paste copy does not load in a bare context: ${e}`);
  }
  const dir = path.join(dist, 'paste');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'Code.gs'), out);
  fs.copyFileSync(path.join(root, 'appsscript.json'), path.join(dir, 'appsscript.json'));
  return { version, hash, bytes: Buffer.byteLength(out) };
}

async function bundleNode() {
  const entries = {
    'emulator-worker': 'emulator/worker.ts',
    server: 'emulator/server.ts',
    bench: 'scripts/bench.ts',
    simulate: 'scripts/simulate.ts',
    snippet: 'scripts/snippet.ts',
    loadtest: 'scripts/loadtest.ts',
    readme: 'scripts/readme.ts',
  };
  await esbuild.build({
    entryPoints: Object.fromEntries(
      Object.entries(entries)
        .filter(([, f]) => fs.existsSync(path.join(root, f)))
        .map(([k, f]) => [k, path.join(root, f)]),
    ),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    outdir: build,
    packages: 'external',
    sourcemap: 'inline',
    logLevel: 'warning',
  });
}

const app = await bundleApp();
await bundleNode();
// The declared kinds, for tests and the README (not in dist/: clasp pushes what is there).
fs.mkdirSync(build, { recursive: true });
fs.writeFileSync(path.join(build, 'entries.json'), JSON.stringify(app.kinds, null, 1));
// A report, not output: stderr, so a script that builds first (npm start, bench) keeps stdout its own.
console.error(
  `built dist/Code.js (${(app.bytes / 1024).toFixed(1)} KiB, entry points: ${app.exportsList.join(', ')}) ` +
    `and dist/paste/Code.gs (${app.paste.version}, build ${app.paste.hash})`,
);
