import '@testing-library/jest-dom';

// The lineage graph (React Flow) measures nodes with ResizeObserver, which jsdom lacks.
class ResizeObserverStub {
  observe() {}
  unobserve() {}
  disconnect() {}
}
(globalThis as any).ResizeObserver ??= ResizeObserverStub;

// The first entity page of a test file compiles every lazily loaded card it
// shows, which on a busy machine takes longer than jest's default 5 s.
jest.setTimeout(30_000);
