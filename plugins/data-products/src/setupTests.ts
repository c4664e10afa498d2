import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';
import { unload } from 'swr';

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

// findBy*/waitFor give up after 1 s by default: on a two-core machine running
// other suites, a page that loads lazily or waits on its permission questions
// can take longer, and the test fails though the page is right. Tests that
// expect something never to appear use their own short timeouts.
configure({ asyncUtilTimeout: 10_000 });

// usePermission answers from SWR's module-wide cache, which outlives a test:
// without this, a test could see the permission answer of the test before it.
afterEach(() => unload());
