import { parseEntityRef } from '@backstage/catalog-model';
import type { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';

/** The URL of an output port's ODCS v3.1.0 contract: `/contracts/<namespace>/<name>.yaml`. */
export async function contractUrl(
  discoveryApi: DiscoveryApi,
  portRef: string,
): Promise<string> {
  const { namespace, name } = parseEntityRef(portRef, {
    defaultKind: 'outputport',
  });
  const baseUrl = await discoveryApi.getBaseUrl('data-products');
  return `${baseUrl}/contracts/${encodeURIComponent(
    namespace,
  )}/${encodeURIComponent(name)}.yaml`;
}

/** Fetches an output port's contract with the user's credentials: its YAML and file name. */
export async function fetchContract(
  apis: { discoveryApi: DiscoveryApi; fetchApi: FetchApi },
  portRef: string,
): Promise<{ filename: string; yaml: string }> {
  const response = await apis.fetchApi.fetch(
    await contractUrl(apis.discoveryApi, portRef),
  );
  if (!response.ok) {
    throw await ResponseError.fromResponse(response);
  }
  const { name } = parseEntityRef(portRef, { defaultKind: 'outputport' });
  return { filename: `${name}.odcs.yaml`, yaml: await response.text() };
}
