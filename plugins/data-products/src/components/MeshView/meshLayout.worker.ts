// The mesh view's layout, run off the main thread: elkjs's own code (the
// bundled build, which would otherwise run on the page's thread) lays out
// each graph posted here and posts the result back with the request's id.
import ELK, { type ElkNode } from 'elkjs/lib/elk.bundled.js';

const elk = new ELK();

/** What a worker scope offers this file (the DOM library types `self` as a window). */
const scope = self as unknown as {
  onmessage:
    | ((event: MessageEvent<{ id: number; graph: ElkNode }>) => void)
    | null;
  postMessage(message: unknown): void;
};

scope.onmessage = event => {
  const { id, graph } = event.data;
  elk.layout(graph).then(
    result => scope.postMessage({ id, result }),
    error => scope.postMessage({ id, error: String(error) }),
  );
};
