import { createRouteRef } from '@backstage/core-plugin-api';

/** The route of the data products explorer page. */
export const rootRouteRef = createRouteRef({ id: 'data-products' });

/** The route of the "My access" page: the signed-in user's requests and what they can read. */
export const myAccessRouteRef = createRouteRef({
  id: 'data-products:my-access',
});
