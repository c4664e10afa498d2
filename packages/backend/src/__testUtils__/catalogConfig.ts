import type { JsonObject } from '@backstage/config';
import path from 'node:path';

/** The repository's root, where catalog-info/ and fixtures/ are. */
export const REPO_ROOT = path.resolve(__dirname, '../../../..');

/** The kinds a test catalog accepts from its file locations. */
const TEST_CATALOG_KINDS = [
  'Domain',
  'Group',
  'User',
  'Location',
  'Component',
  'Resource',
  'System',
  'DataProduct',
  'OutputPort',
];

/**
 * The `catalog` config of a test backend: file locations (paths relative to
 * the repository's root, or absolute), the kinds the portal's entities use,
 * and a processing interval short enough for a test to see its entities.
 */
export function testCatalogConfig(options: {
  files: string[];
  processingInterval?: JsonObject;
}): JsonObject {
  return {
    processingInterval: options.processingInterval ?? { seconds: 1 },
    rules: [{ allow: TEST_CATALOG_KINDS }],
    locations: options.files.map(file => ({
      type: 'file',
      target: path.isAbsolute(file) ? file : path.join(REPO_ROOT, file),
    })),
  };
}

/** Polls `probe` every `intervalMs` until it returns a value; jest's timeout bounds it. */
export async function eventually<T>(
  probe: () => Promise<T | undefined>,
  intervalMs = 100,
): Promise<T> {
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise(resolve => setTimeout(resolve, intervalMs));
  }
}
