/**
 * SpreadsheetApp: the bound spreadsheet's calls (ss., sheet., range., flush). Writes are buffered
 * per execution and land at a flush, at the execution's own next read, or at its end (see
 * Backend.commit); formatting is buffered the same way.
 */
import type { ValidationRule } from '../spreadsheet';
import { GasError, MAX_CELLS, RangeRef, Spreadsheet, WriteOp, parseA1 } from '../spreadsheet';
import type { Backend } from './core';
import type { ExecState, Handlers } from './types';

export function spreadsheetHandlers(b: Backend): Handlers {
  const readAs = (ex: ExecState, ref: RangeRef, mode: 'values' | 'display' | 'formulas') => {
    b.commit(ex); // an execution's own read flushes its pending writes first
    return b.ss.read(b.ss.checkRange(ref), mode);
  };
  const queue = (ex: ExecState, op: WriteOp): void => {
    b.ss.checkWrite(op);
    ex.pending.push(op);
  };
  const format = (
    ex: ExecState,
    sheetId: number,
    apply: (s: ReturnType<Spreadsheet['sheet']>) => void,
    cols?: number,
  ) => {
    b.ss.sheet(sheetId);
    ex.pending.push({ kind: 'format', sheetId, apply, cols });
  };

  return {
    'ss.get': () => ({ id: 'spreadsheet-1', name: b.ss.name }),
    'ss.getId': () => 'spreadsheet-1',
    'ss.getName': () => b.ss.name,
    'ss.getUrl': () => 'http://localhost/sheets',
    'ss.getTimeZone': () => b.ss.timeZone,
    'ss.getLocale': () => b.ss.locale,
    'ss.getSheets': () => b.ss.sheets.map((s) => ({ id: s.id, name: s.name })),
    'ss.getSheetByName': (_ex, name: string) => {
      const s = b.ss.byName(name);
      return s ? { id: s.id, name: s.name } : null;
    },
    'ss.insertSheet': (ex, name: string, index?: number) => {
      b.commit(ex);
      const s = b.ss.insertSheet(name, index);
      b.scheduleSave();
      return { id: s.id, name: s.name };
    },
    'ss.deleteSheet': (ex, id: number) => {
      b.commit(ex);
      b.ss.deleteSheet(id);
    },
    'ss.toast': (_ex, message: string, title: string) => {
      b.toasts.push({ at: b.now(), message: String(message), title: String(title ?? '') });
    },
    'sheet.getName': (_ex, id: number) => b.ss.sheet(id).name,
    'sheet.setName': (ex, id: number, name: string) => {
      b.commit(ex);
      if (b.ss.byName(name) && b.ss.byName(name)!.id !== id) {
        throw new GasError(`A sheet with the name "${name}" already exists. Please enter another name.`);
      }
      b.ss.sheet(id).name = name;
    },
    'sheet.getLastRow': (ex, id: number) => {
      b.commit(ex);
      return b.ss.lastRow(b.ss.sheet(id));
    },
    'sheet.getLastColumn': (ex, id: number) => {
      b.commit(ex);
      return b.ss.lastColumn(b.ss.sheet(id));
    },
    'sheet.getMaxRows': (ex, id: number) => {
      b.commit(ex);
      return b.ss.sheet(id).maxRows;
    },
    'sheet.getMaxColumns': (ex, id: number) => {
      b.commit(ex);
      return b.ss.sheet(id).maxColumns;
    },
    'sheet.getFrozenRows': (ex, id: number) => {
      b.commit(ex);
      return b.ss.sheet(id).frozenRows;
    },
    // getRange is not a read: it must not flush. Its bounds count this execution's pending inserts.
    'sheet.getRange': (ex, id: number, row: number, col: number, numRows = 1, numCols = 1) =>
      b.ss.checkRange({ sheetId: id, row, col, numRows, numCols }, pendingGrowth(ex, id)),
    'sheet.getRangeA1': (ex, id: number, a1: string) => {
      const s = b.ss.sheet(id);
      const grow = pendingGrowth(ex, id);
      return b.ss.checkRange(
        { sheetId: id, ...parseA1(a1, s.maxRows + grow.rows, s.maxColumns + grow.cols) },
        grow,
      );
    },
    'sheet.getDataRange': (ex, id: number) => {
      b.commit(ex);
      const s = b.ss.sheet(id);
      return {
        sheetId: id,
        row: 1,
        col: 1,
        numRows: Math.max(1, b.ss.lastRow(s)),
        numCols: Math.max(1, b.ss.lastColumn(s)),
      };
    },
    'sheet.appendRow': (ex, id: number, values: unknown[]) => {
      b.ss.sheet(id);
      if (!Array.isArray(values)) throw new GasError('Invalid argument: rowContents');
      queue(ex, { kind: 'appendRow', sheetId: id, values });
    },
    'sheet.insertRowsAfter': (ex, id: number, after: number, count: number) => {
      b.ss.sheet(id);
      queue(ex, { kind: 'insertRowsAfter', sheetId: id, after, count });
    },
    // Columns added at the right edge (what the product does: a new question's column). Columns
    // inserted between others would shift every cell right, which nothing here needs: refused.
    'sheet.insertColumnsAfter': (ex, id: number, after: number, count: number) => {
      const sheet = b.ss.sheet(id);
      if (after !== sheet.maxColumns)
        throw new GasError('not emulated: insertColumnsAfter before the last column');
      const total = b.ss.sheets.reduce((n, x) => n + x.maxRows * x.maxColumns, 0);
      if (total + count * sheet.maxRows > MAX_CELLS)
        throw new GasError(
          `This action would increase the number of cells in the workbook above the limit of ${MAX_CELLS} cells.`,
        );
      format(ex, id, (st) => (st.maxColumns += count), count);
    },
    'sheet.deleteRows': (ex, id: number, row: number, count: number) => {
      ex.pending.push({ kind: 'deleteRows', sheetId: id, row, count });
    },
    'sheet.setFrozenRows': (ex, id: number, n: number) => format(ex, id, (s) => (s.frozenRows = n)),
    'sheet.hideSheet': (ex, id: number) => format(ex, id, (s) => (s.hidden = true)),
    'sheet.isSheetHidden': (_ex, id: number) => !!b.ss.sheet(id).hidden,
    'sheet.hideColumns': (ex, id: number, col: number, n = 1) =>
      format(ex, id, (s) => {
        for (let c = col; c < col + n; c++) if (!s.hiddenColumns.includes(c)) s.hiddenColumns.push(c);
      }),
    'sheet.showColumns': (ex, id: number, col: number, n = 1) =>
      format(ex, id, (s) => (s.hiddenColumns = s.hiddenColumns.filter((c) => c < col || c >= col + n))),
    'sheet.isColumnHiddenByUser': (ex, id: number, col: number) => {
      b.commit(ex);
      return b.ss.sheet(id).hiddenColumns.includes(col);
    },
    'sheet.setColumnWidth': (ex, id: number, col: number, w: number) =>
      format(ex, id, (s) => (s.columnWidths[col] = w)),
    'sheet.protect': (ex, id: number, description: string) =>
      format(ex, id, (s) => (s.protectedDescription = description || 'protected')),
    'sheet.clear': (ex, id: number) => {
      const s = b.ss.sheet(id);
      ex.pending.push({
        kind: 'clear',
        ref: { sheetId: id, row: 1, col: 1, numRows: s.maxRows, numCols: s.maxColumns },
      });
    },
    'range.getValues': (ex, ref: RangeRef) => readAs(ex, ref, 'values'),
    // TextFinder.findAll: the cells whose shown text matches, row by row (Google searches display values).
    'range.findAll': (
      ex,
      ref: RangeRef,
      o: { text: string; matchCase: boolean; entireCell: boolean; regex: boolean },
    ) => {
      const shown = readAs(ex, ref, 'display') as string[][];
      const src = o.regex ? o.text : o.text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      let re: RegExp;
      try {
        re = new RegExp(o.entireCell ? `^(?:${src})$` : src, o.matchCase ? 'u' : 'iu');
      } catch {
        throw new GasError(`Invalid regular expression: ${o.text}`);
      }
      const out: Array<{ row: number; col: number }> = [];
      shown.forEach((line, r) =>
        line.forEach(
          (t, c) =>
            String(t) !== '' && re.test(String(t)) && out.push({ row: ref.row + r, col: ref.col + c }),
        ),
      );
      return out;
    },
    'range.getValue': (ex, ref: RangeRef) => readAs(ex, { ...ref, numRows: 1, numCols: 1 }, 'values')[0][0],
    'range.getDisplayValues': (ex, ref: RangeRef) => readAs(ex, ref, 'display'),
    'range.getDisplayValue': (ex, ref: RangeRef) =>
      readAs(ex, { ...ref, numRows: 1, numCols: 1 }, 'display')[0][0],
    'range.getFormulas': (ex, ref: RangeRef) => readAs(ex, ref, 'formulas'),
    'range.setValues': (ex, ref: RangeRef, values: unknown[][]) =>
      queue(ex, { kind: 'setValues', ref, values }),
    'range.setValue': (ex, ref: RangeRef, value: unknown) =>
      queue(ex, {
        kind: 'setValues',
        ref,
        values: Array.from({ length: ref.numRows }, () => Array.from({ length: ref.numCols }, () => value)),
      }),
    'range.clearContent': (ex, ref: RangeRef) => ex.pending.push({ kind: 'clear', ref }),
    'range.setNumberFormat': (ex, ref: RangeRef, fmt: string) =>
      format(ex, ref.sheetId, (s) => {
        for (let c = ref.col; c < ref.col + ref.numCols; c++) s.columnFormats[c] = fmt;
      }),
    'range.setNote': (ex, ref: RangeRef, note: string) =>
      format(ex, ref.sheetId, (s) => {
        const key = `${ref.row},${ref.col}`;
        if (note) s.notes[key] = String(note);
        else delete s.notes[key];
      }),
    // Range.setNotes: one note per cell ('' clears it), the same shape checks as setValues.
    'range.setNotes': (ex, ref: RangeRef, notes: unknown[][]) => {
      b.ss.checkWrite({ kind: 'setValues', ref, values: notes });
      format(ex, ref.sheetId, (s) => {
        notes.forEach((row, i) =>
          row.forEach((note, j) => {
            const key = `${ref.row + i},${ref.col + j}`;
            if (note) s.notes[key] = String(note);
            else delete s.notes[key];
          }),
        );
      });
    },
    'range.getNote': (ex, ref: RangeRef) => {
      b.commit(ex);
      return b.ss.sheet(ref.sheetId).notes[`${ref.row},${ref.col}`] ?? '';
    },
    'range.getNotes': (ex, ref: RangeRef) => {
      b.commit(ex);
      const notes = b.ss.sheet(ref.sheetId).notes;
      return cellsOf(ref, (r, c) => notes[`${r},${c}`] ?? '');
    },
    // A background is kept so tests (and the dev server) can see a flagged cell; null or '' resets it.
    'range.setBackground': (ex, ref: RangeRef, color: string | null) =>
      format(ex, ref.sheetId, (s) => {
        const bg = (s.backgrounds ??= {});
        for (let r = ref.row; r < ref.row + ref.numRows; r++)
          for (let c = ref.col; c < ref.col + ref.numCols; c++) {
            if (color) bg[`${r},${c}`] = String(color).toLowerCase();
            else delete bg[`${r},${c}`];
          }
      }),
    'range.setBackgrounds': (ex, ref: RangeRef, colors: unknown[][]) => {
      b.ss.checkWrite({ kind: 'setValues', ref, values: colors });
      format(ex, ref.sheetId, (st) => {
        const bg = (st.backgrounds ??= {});
        colors.forEach((row, i) =>
          row.forEach((color, j) => {
            const key = `${ref.row + i},${ref.col + j}`;
            if (color) bg[key] = String(color).toLowerCase();
            else delete bg[key];
          }),
        );
      });
    },
    'range.getBackgrounds': (ex, ref: RangeRef) => {
      b.commit(ex);
      const bg = b.ss.sheet(ref.sheetId).backgrounds ?? {};
      return cellsOf(ref, (r, c) => bg[`${r},${c}`] ?? '#ffffff');
    },
    // Range.setDataValidation(rule | null): the rule on every cell of the range (null clears it).
    'range.setDataValidation': (ex, ref: RangeRef, rule: ValidationRule | null) =>
      format(ex, ref.sheetId, (s) => {
        const v = (s.validations ??= {});
        for (let r = ref.row; r < ref.row + ref.numRows; r++)
          for (let c = ref.col; c < ref.col + ref.numCols; c++) {
            if (rule) v[`${r},${c}`] = { ...rule, values: [...rule.values] };
            else delete v[`${r},${c}`];
          }
      }),
    'range.getDataValidations': (ex, ref: RangeRef) => {
      b.commit(ex);
      const v = b.ss.sheet(ref.sheetId).validations ?? {};
      return cellsOf(ref, (r, c) => v[`${r},${c}`] ?? null);
    },
    // Pure presentation: recorded nowhere, but real calls (counted and charged).
    'range.style': () => undefined,
    flush: (ex) => b.commit(ex),
  };
}

function cellsOf<T>(ref: RangeRef, at: (row: number, col: number) => T): T[][] {
  return Array.from({ length: ref.numRows }, (_, i) =>
    Array.from({ length: ref.numCols }, (_, j) => at(ref.row + i, ref.col + j)),
  );
}

/** Rows and columns this execution's unflushed inserts and appends will add to a sheet. */
function pendingGrowth(ex: ExecState, sheetId: number): { rows: number; cols: number } {
  let rows = 0;
  let cols = 0;
  for (const op of ex.pending) {
    if (op.kind === 'insertRowsAfter' && op.sheetId === sheetId) rows += op.count;
    if (op.kind === 'format' && op.sheetId === sheetId) cols += op.cols ?? 0;
    if (op.kind === 'appendRow' && op.sheetId === sheetId) {
      rows += 1;
      cols = Math.max(cols, op.values.length);
    }
  }
  return { rows, cols };
}
