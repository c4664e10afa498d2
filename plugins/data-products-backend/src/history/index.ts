export { HistoryStore } from './HistoryStore';
export type { NewAccessEvent } from './HistoryStore';
export { HistoryRecorder } from './HistoryRecorder';
export { createHistoryRouter } from './createHistoryRouter';
