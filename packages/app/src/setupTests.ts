import '@testing-library/jest-dom';

// The app's tests render its sign-in page and routes: on a two-core machine
// running other suites beside them that takes longer than jest's default 5 s.
jest.setTimeout(30_000);
