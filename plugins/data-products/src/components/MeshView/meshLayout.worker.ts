// The mesh view's layout, off the page's main thread: elkjs's worker script,
// which in a worker answers elk-api's layout requests on `self.onmessage`.
import 'elkjs/lib/elk-worker.min.js';
