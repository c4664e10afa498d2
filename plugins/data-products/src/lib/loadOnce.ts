/**
 * A page loader that, once its code has loaded, hands the page over at once.
 *
 * `PageBlueprint` wraps its loader in a new `React.lazy` component each time
 * the page's frame renders. While the app's first render is retried (it
 * suspends on other code loading as the app starts), every retry asks the
 * loader again, and a promise, however settled, suspends once more: the
 * explorer's loader ran 14 times before the page showed, about half a
 * second in headless Chromium. A value whose `then` calls back at once is
 * rendered by `React.lazy` without suspending, so the first retry after
 * the code arrives shows the page (3 calls).
 */
export function loadOnce<T>(load: () => Promise<T>): () => Promise<T> {
  let loaded: { value: T } | undefined;
  return () =>
    loaded
      ? resolvedAtOnce(loaded.value)
      : load().then(value => {
          loaded = { value };
          return value;
        });
}

/** A promise-like whose callbacks run at once. */
function resolvedAtOnce<T>(value: T): Promise<T> {
  const thenable = {
    then: (onFulfilled?: (v: T) => unknown) =>
      resolvedAtOnce(onFulfilled ? onFulfilled(value) : value),
  };
  return thenable as unknown as Promise<T>;
}
