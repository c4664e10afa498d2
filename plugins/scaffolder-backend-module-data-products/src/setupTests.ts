// Each test talks to a real PostgreSQL (and some start a whole backend): on a
// two-core machine running other suites beside it, a right test can take
// longer than jest's default 5 s. Tests that need more set their own.
jest.setTimeout(60_000);
