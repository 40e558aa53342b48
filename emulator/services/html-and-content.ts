/**
 * HtmlService (outputs, files, templates) and ContentService (text outputs), built in the execution.
 * The worker hands an output back as its `__kind` and `__state` (what the dev server answers with).
 */
import { compileTemplate } from '../templates';
import { ServiceEnv, strict } from './env';

export function htmlService(env: ServiceEnv) {
  const htmlOutput = (content: string) => {
    const state = {
      content,
      title: '',
      xframe: 'DEFAULT',
      meta: [] as Array<{ name: string; content: string }>,
    };
    const o = {
      __kind: 'html',
      __state: state,
      getContent: () => state.content,
      setContent: (c: string) => ((state.content = c), o),
      append: (c: string) => ((state.content += c), o),
      setTitle: (t: string) => ((state.title = String(t)), o),
      getTitle: () => state.title,
      setXFrameOptionsMode: (m: string) => ((state.xframe = m), o),
      addMetaTag: (name: string, c: string) => (state.meta.push({ name, content: c }), o),
      setSandboxMode: () => o,
      setFaviconUrl: () => o,
      setWidth: () => o,
      setHeight: () => o,
    };
    return strict('HtmlOutput', o);
  };
  const fileContent = (name: string) => {
    const key = name.endsWith('.html') ? name : `${name}.html`;
    const c = env.files[key];
    if (c === undefined) throw env.error(`No HTML file named ${name} was found.`);
    return c;
  };
  const template = (src: string) => {
    const fn = compileTemplate(src, env.makeFunction);
    const t: Record<string, unknown> = {
      evaluate: () => {
        const vars: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(t)) if (k !== 'evaluate' && k !== 'getCode') vars[k] = v;
        return htmlOutput(fn(vars));
      },
      getCode: () => src,
    };
    return t;
  };
  return strict('HtmlService', {
    createHtmlOutput: (html?: string) => htmlOutput(html ?? ''),
    createHtmlOutputFromFile: (name: string) => htmlOutput(fileContent(name)),
    createTemplate: (src: string) => template(src),
    createTemplateFromFile: (name: string) => template(fileContent(name)),
    XFrameOptionsMode: { ALLOWALL: 'ALLOWALL', DEFAULT: 'DEFAULT' },
    SandboxMode: { IFRAME: 'IFRAME', NATIVE: 'NATIVE', EMULATED: 'EMULATED' },
  });
}

export function contentService() {
  return strict('ContentService', {
    createTextOutput: (s?: string) => {
      const state = { content: s ?? '', mimeType: 'text/plain' };
      const o = {
        __kind: 'text',
        __state: state,
        getContent: () => state.content,
        setContent: (c: string) => ((state.content = c), o),
        append: (c: string) => ((state.content += c), o),
        setMimeType: (m: string) => ((state.mimeType = m), o),
        getMimeType: () => state.mimeType,
      };
      return strict('TextOutput', o);
    },
    MimeType: { JSON: 'application/json', TEXT: 'text/plain', CSV: 'text/csv', ICAL: 'text/calendar' },
  });
}
