/** SpreadsheetApp: the bound spreadsheet, its sheets and ranges, and the editor's Ui. */
import { colToLetters, type RangeRef } from '../spreadsheet';
import type { ValidationRule } from '../spreadsheet';
import { ServiceEnv, realmArray, strict } from './env';

export interface SheetRef {
  id: number;
  name: string;
}

/** SpreadsheetApp, and the live Range and Spreadsheet of an event object (onEdit's e.range, e.source). */
export function spreadsheetApp(env: ServiceEnv) {
  const { rpc } = env;

  const range = (ref: RangeRef, sheet: SheetRef): GoogleAppsScript.Spreadsheet.Range => {
    const r = {
      getRow: () => ref.row,
      getColumn: () => ref.col,
      getNumRows: () => ref.numRows,
      getNumColumns: () => ref.numCols,
      getLastRow: () => ref.row + ref.numRows - 1,
      getLastColumn: () => ref.col + ref.numCols - 1,
      getA1Notation: () => a1(ref),
      getSheet: () => sheetObj(sheet),
      getValues: () => rpc('range.getValues', ref),
      getValue: () => rpc('range.getValue', ref),
      getDisplayValues: () => rpc('range.getDisplayValues', ref),
      getDisplayValue: () => rpc('range.getDisplayValue', ref),
      getFormulas: () => rpc('range.getFormulas', ref),
      setValues: (values: unknown[][]) => (rpc('range.setValues', ref, values), r),
      setValue: (value: unknown) => (rpc('range.setValue', ref, value), r),
      clearContent: () => (rpc('range.clearContent', ref), r),
      setNumberFormat: (f: string) => (rpc('range.setNumberFormat', ref, f), r),
      setNote: (n: string) => (rpc('range.setNote', ref, n), r),
      setNotes: (n: unknown[][]) => (rpc('range.setNotes', ref, n), r),
      getNote: () => rpc('range.getNote', ref),
      setFontWeight: () => (rpc('range.style', ref), r),
      setFontColor: () => (rpc('range.style', ref), r),
      setBackground: (color: string | null) => (rpc('range.setBackground', ref, color ?? null), r),
      getBackground: () => (rpc('range.getBackgrounds', ref) as string[][])[0][0],
      getBackgrounds: () => rpc('range.getBackgrounds', ref),
      setBackgrounds: (c: unknown[][]) => (rpc('range.setBackgrounds', ref, c), r),
      getNotes: () => rpc('range.getNotes', ref),
      setDataValidation: (rule: { __rule?: ValidationRule } | null) => {
        if (rule !== null && !rule?.__rule)
          throw env.error(
            "Exception: The parameters (Object) don't match the method signature for SpreadsheetApp.Range.setDataValidation.",
          );
        return (rpc('range.setDataValidation', ref, rule ? rule.__rule : null), r);
      },
      clearDataValidations: () => (rpc('range.setDataValidation', ref, null), r),
      getDataValidation: () => {
        const rule = (rpc('range.getDataValidations', ref) as Array<Array<ValidationRule | null>>)[0][0];
        return rule ? builtRule(rule) : null;
      },
      createTextFinder: (text: string) => {
        const o = { text: String(text), matchCase: false, entireCell: false, regex: false };
        const tf = {
          matchCase: (b: boolean) => ((o.matchCase = !!b), tf),
          matchEntireCell: (b: boolean) => ((o.entireCell = !!b), tf),
          useRegularExpression: (b: boolean) => ((o.regex = !!b), tf),
          findAll: () =>
            realmArray(
              env,
              (rpc('range.findAll', ref, o) as Array<{ row: number; col: number }>).map((c) =>
                range({ sheetId: ref.sheetId, row: c.row, col: c.col, numRows: 1, numCols: 1 }, sheet),
              ),
            ),
        };
        return strict('TextFinder', tf);
      },
      setWrap: () => (rpc('range.style', ref), r),
      setHorizontalAlignment: () => (rpc('range.style', ref), r),
    };
    return strict('Range', r) as unknown as GoogleAppsScript.Spreadsheet.Range;
  };

  const sheetObj = (s: SheetRef): GoogleAppsScript.Spreadsheet.Sheet => {
    const sh = {
      getName: () => rpc('sheet.getName', s.id),
      setName: (n: string) => (rpc('sheet.setName', s.id, n), sh),
      getSheetId: () => s.id,
      getLastRow: () => rpc('sheet.getLastRow', s.id),
      getLastColumn: () => rpc('sheet.getLastColumn', s.id),
      getMaxRows: () => rpc('sheet.getMaxRows', s.id),
      getMaxColumns: () => rpc('sheet.getMaxColumns', s.id),
      getFrozenRows: () => rpc('sheet.getFrozenRows', s.id),
      getRange: (a: number | string, col?: number, numRows?: number, numCols?: number) =>
        range(
          (typeof a === 'string'
            ? rpc('sheet.getRangeA1', s.id, a)
            : rpc('sheet.getRange', s.id, a, col, numRows ?? 1, numCols ?? 1)) as RangeRef,
          s,
        ),
      getDataRange: () => range(rpc('sheet.getDataRange', s.id) as RangeRef, s),
      appendRow: (values: unknown[]) => (rpc('sheet.appendRow', s.id, values), sh),
      insertRowsAfter: (after: number, n: number) => (rpc('sheet.insertRowsAfter', s.id, after, n), sh),
      insertColumnsAfter: (after: number, n: number) => (rpc('sheet.insertColumnsAfter', s.id, after, n), sh),
      deleteRows: (row: number, n: number) => rpc('sheet.deleteRows', s.id, row, n),
      setFrozenRows: (n: number) => rpc('sheet.setFrozenRows', s.id, n),
      hideSheet: () => (rpc('sheet.hideSheet', s.id), sh),
      isSheetHidden: () => rpc('sheet.isSheetHidden', s.id),
      hideColumns: (c: number, n?: number) => rpc('sheet.hideColumns', s.id, c, n ?? 1),
      showColumns: (c: number, n?: number) => rpc('sheet.showColumns', s.id, c, n ?? 1),
      isColumnHiddenByUser: (c: number) => rpc('sheet.isColumnHiddenByUser', s.id, c),
      setColumnWidth: (c: number, w: number) => (rpc('sheet.setColumnWidth', s.id, c, w), sh),
      protect: () => {
        const p = {
          setDescription: (d: string) => (rpc('sheet.protect', s.id, d), p),
          setWarningOnly: () => p,
        };
        return strict('Protection', p);
      },
      clear: () => (rpc('sheet.clear', s.id), sh),
      activate: () => sh,
    };
    return strict('Sheet', sh) as unknown as GoogleAppsScript.Spreadsheet.Sheet;
  };

  const ui = () => {
    rpc('ui.check');
    const u = {
      createMenu: (name: string) => {
        const items: Array<{ caption: string; fn: string } | null> = [];
        const menu = {
          addItem: (caption: string, fn: string) => (items.push({ caption, fn }), menu),
          addSeparator: () => (items.push(null), menu),
          addToUi: () => void rpc('ui.menu', name, items),
        };
        return strict('Menu', menu);
      },
      // alert(prompt), alert(prompt, buttons), alert(title, prompt, buttons)
      alert: (a: string, b?: string, c?: string) => {
        const buttons = c ?? (b === 'OK' || b === 'OK_CANCEL' || b === 'YES_NO' ? b : undefined);
        const prompt = c !== undefined || buttons === undefined ? (b ?? a) : a;
        return rpc('ui.alert', prompt, buttons ?? 'OK');
      },
      showSidebar: (out: { getContent(): string; getTitle(): string }) =>
        void rpc('ui.panel', 'sidebar', out.getTitle(), out.getContent()),
      showModalDialog: (out: { getContent(): string }, title: string) =>
        void rpc('ui.panel', 'dialog', String(title), out.getContent()),
      ButtonSet: { OK: 'OK', OK_CANCEL: 'OK_CANCEL', YES_NO: 'YES_NO' },
      Button: { OK: 'OK', CANCEL: 'CANCEL', YES: 'YES', NO: 'NO', CLOSE: 'CLOSE' },
    };
    return strict('Ui', u);
  };

  const spreadsheetObj = () => {
    const ss = {
      getId: () => rpc('ss.getId'),
      getName: () => rpc('ss.getName'),
      getUrl: () => rpc('ss.getUrl'),
      getSpreadsheetTimeZone: () => rpc('ss.getTimeZone'),
      getSpreadsheetLocale: () => rpc('ss.getLocale'),
      getSheets: () => realmArray(env, (rpc('ss.getSheets') as SheetRef[]).map(sheetObj)),
      getSheetByName: (n: string) => {
        const s = rpc('ss.getSheetByName', n) as SheetRef | null;
        return s ? sheetObj(s) : null;
      },
      insertSheet: (n: string, i?: number) => sheetObj(rpc('ss.insertSheet', n, i) as SheetRef),
      deleteSheet: (sh: GoogleAppsScript.Spreadsheet.Sheet) => rpc('ss.deleteSheet', sh.getSheetId()),
      toast: (msg: string, title?: string, timeout?: number) =>
        rpc('ss.toast', msg, title ?? '', timeout ?? 5),
      getRange: (a1str: string) => {
        const m = /^'?(.+?)'?!(.+)$/.exec(a1str);
        if (!m) throw new Error('not emulated: Spreadsheet.getRange without a sheet name');
        const s = rpc('ss.getSheetByName', m[1]) as SheetRef | null;
        if (!s) throw env.error('Range not found');
        return range(rpc('sheet.getRangeA1', s.id, m[2]) as RangeRef, s);
      },
    };
    return strict('Spreadsheet', ss);
  };

  /** A built rule: what Range.setDataValidation takes, and what getDataValidation gives back. */
  const builtRule = (rule: ValidationRule) =>
    strict('DataValidation', {
      __rule: rule,
      getCriteriaType: () => rule.criteria,
      getCriteriaValues: () => realmArray(env, rule.values),
      getAllowInvalid: () => rule.allowInvalid,
      getHelpText: () => rule.helpText,
      copy: () => builder({ ...rule }),
    });

  const builder = (
    rule: ValidationRule = { criteria: 'VALUE_IN_LIST', values: [], allowInvalid: true, helpText: '' },
  ) => {
    let set = false;
    const b = strict('DataValidationBuilder', {
      requireDate: () => ((rule = { ...rule, criteria: 'DATE_IS_VALID_DATE', values: [] }), (set = true), b),
      requireCheckbox: () => (
        (rule = { ...rule, criteria: 'CHECKBOX', values: [], allowInvalid: false }),
        (set = true),
        b
      ),
      requireValueInList: (values: unknown[], showDropdown = true) => (
        (rule = {
          ...rule,
          criteria: 'VALUE_IN_LIST',
          values: [...values].map((x) => (typeof x === 'number' ? x : String(x))),
          showDropdown,
        }),
        (set = true),
        b
      ),
      requireNumberGreaterThanOrEqualTo: (n: number) => (
        (rule = { ...rule, criteria: 'NUMBER_GREATER_THAN_OR_EQUAL_TO', values: [Number(n)] }),
        (set = true),
        b
      ),
      requireNumberBetween: (a: number, c: number) => (
        (rule = { ...rule, criteria: 'NUMBER_BETWEEN', values: [Number(a), Number(c)] }),
        (set = true),
        b
      ),
      setAllowInvalid: (allow: boolean) => ((rule = { ...rule, allowInvalid: !!allow }), b),
      setHelpText: (text: string) => ((rule = { ...rule, helpText: String(text) }), b),
      build: () => {
        // Google: a builder with no criteria cannot be built.
        if (!set && !rule.values.length)
          throw env.error('Exception: You must set a criteria for the data validation rule.');
        return builtRule(rule);
      },
    });
    return b;
  };

  const SpreadsheetApp = strict('SpreadsheetApp', {
    newDataValidation: () => builder(),
    getActiveSpreadsheet: () => (rpc('ss.get'), spreadsheetObj()),
    getActive: () => (rpc('ss.get'), spreadsheetObj()),
    flush: () => void rpc('flush'),
    getUi: ui,
  });

  return {
    SpreadsheetApp,
    makeRange: range,
    makeSpreadsheet: spreadsheetObj,
  };
}

function a1(ref: RangeRef): string {
  const start = `${colToLetters(ref.col)}${ref.row}`;
  if (ref.numRows === 1 && ref.numCols === 1) return start;
  return `${start}:${colToLetters(ref.col + ref.numCols - 1)}${ref.row + ref.numRows - 1}`;
}
