/** After each test file: stop the runtime's pooled worker threads, so the jest worker exits cleanly. */
import { closeWorkers } from '../emulator/runtime';

afterAll(() => closeWorkers());
