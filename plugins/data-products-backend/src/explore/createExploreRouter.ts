import type { HttpAuthService } from '@backstage/backend-plugin-api';
import express from 'express';
import Router from 'express-promise-router';
import type { ExploreService } from './ExploreService';
import { parseExploreQuery } from './parseExploreQuery';

/**
 * The explorer's route (read access: signed-in users, like status):
 * `GET /explore?q=&domain=&owner=&lifecycle=&type=&sort=&order=&limit=&cursor=`,
 * one page of data products from the mesh index with the total count and
 * the facets of the filters.
 */
export function createExploreRouter(options: {
  httpAuth: HttpAuthService;
  explore: ExploreService;
}): express.Router {
  const { httpAuth, explore } = options;
  const router = Router();

  router.get('/explore', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    const query = parseExploreQuery(req.query as Record<string, unknown>);
    res.json(await explore.explore(query, credentials));
  });

  return router;
}
