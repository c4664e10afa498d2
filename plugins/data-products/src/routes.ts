import { createRouteRef } from '@backstage/core-plugin-api';

/** The route of the data products explorer page. */
export const rootRouteRef = createRouteRef({ id: 'data-products' });
