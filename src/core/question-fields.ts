/**
 * The host's questions as form fields: one renderer for the page without JavaScript, the page with
 * it, the embed snippet and the guest's own page, so all four ask the same way and show an error on
 * its field. Pure; every value and label is escaped here.
 */
import { Question, fieldName, personField, textQuestion } from './questions';
import { escapeHtml as esc } from './text';
import { MAX_LONG, MAX_SHORT } from './questions';

export interface FieldsInput {
  questions: readonly Question[];
  /** The posted (or saved) values by field name, to fill the fields in again. */
  values?: Record<string, readonly string[]>;
  errors?: Record<string, string>;
  /** The largest party: per-person questions get a group for each person up to it. */
  largestParty: number;
  /** The guest's page: only one party's people, known. */
  party?: number;
  /** A prefix for ids, so two forms on one page (an embed twice) do not share them. */
  idPrefix?: string;
}

const optional = (q: Question) => (q.required ? '' : ' <span class="muted">(optional)</span>');

function field(q: Question, name: string, label: string, input: FieldsInput): string {
  const id = `${input.idPrefix ?? 'f'}-${name}`;
  const err = input.errors?.[name];
  const values = input.values?.[name] ?? [];
  const first = values[0] ?? '';
  const invalid = err ? ` aria-invalid="true" aria-describedby="${esc(id)}-error"` : '';
  const req = q.required ? ' required' : '';
  const error = err ? `<p class="error-text" id="${esc(id)}-error">${esc(err)}</p>` : '';
  const head = `<label for="${esc(id)}">${esc(label)}${optional(q)}</label>`;
  let body: string;
  switch (q.type) {
    case 'long text':
      body = `${head}<textarea id="${esc(id)}" name="${esc(name)}" rows="3" maxlength="${MAX_LONG}"${req}${invalid}>${esc(first)}</textarea>`;
      break;
    case 'number':
      body = `${head}<input id="${esc(id)}" name="${esc(name)}" type="text" inputmode="decimal" maxlength="20" value="${esc(first)}"${req}${invalid}>`;
      break;
    case 'one choice':
      body =
        `${head}<select id="${esc(id)}" name="${esc(name)}"${req}${invalid}><option value="">Choose…</option>` +
        q.choices
          .map(
            (c) =>
              `<option value="${esc(c)}"${first.toLowerCase() === c.toLowerCase() ? ' selected' : ''}>${esc(c)}</option>`,
          )
          .join('') +
        '</select>';
      break;
    case 'several choices':
    case 'yes/no': {
      const options = q.type === 'yes/no' ? ['yes', 'no'] : q.choices;
      const kind = q.type === 'yes/no' ? 'radio' : 'checkbox';
      const picked = new Set(
        (q.type === 'several choices' ? values.flatMap((v) => v.split(',')) : values).map((v) =>
          v.trim().toLowerCase(),
        ),
      );
      body =
        `<fieldset id="${esc(id)}"${invalid}><legend>${esc(label)}${optional(q)}</legend>` +
        options
          .map(
            (c, i) =>
              `<label class="choice"><input type="${kind}" id="${esc(id)}-${i}" name="${esc(name)}" value="${esc(c)}"${picked.has(c.toLowerCase()) ? ' checked' : ''}> ${esc(c)}</label>`,
          )
          .join('') +
        '</fieldset>';
      break;
    }
    default:
      body = `${head}<input id="${esc(id)}" name="${esc(name)}" type="text" maxlength="${MAX_SHORT}" value="${esc(first)}"${req}${invalid}>`;
  }
  return `<div class="q" data-rsvp-field="${esc(name)}">${body}${error}</div>`;
}

/** Every question's fields, per-RSVP ones first, then a group for each person of the party. */
export function questionFieldsHtml(input: FieldsInput): string {
  const once = input.questions.filter((q) => !q.perPerson);
  const each = input.questions.filter((q) => q.perPerson);
  const parts = once.map((q) => field(q, fieldName(q), q.label, input));
  if (each.length) {
    const people = input.party ?? Math.max(1, input.largestParty);
    for (let p = 1; p <= people; p++) {
      const legend =
        p === 1 ? (people > 1 ? 'You' : '') : `Guest ${p}${input.party ? '' : ' (only if they are coming)'}`;
      const name = p === 1 ? '' : field(textQuestion('Their name'), personField(p), 'Their name', input);
      const inner = each.map((q) => field(q, fieldName(q, p), q.label, input)).join('');
      parts.push(
        legend
          ? `<fieldset class="person" data-rsvp-person="${p}"><legend>${esc(legend)}</legend>${name}${inner}</fieldset>`
          : `<div class="person" data-rsvp-person="1">${inner}</div>`,
      );
    }
  }
  return parts.join('\n');
}
