import type { HttpAuthService } from '@backstage/backend-plugin-api';
import express from 'express';
import Router from 'express-promise-router';
import type { PlanService } from './PlanService';

/** The largest plan request body read, in bytes (512 KiB). */
export const PLAN_BODY_LIMIT = 512 * 1024;

/**
 * `POST /plans`: the plan of a product as a template would provision it
 * (`{ product, ports }`), without changing anything: its steps and the diff
 * of its ports (columns added, removed or changed, breaking or not, the
 * consumers affected), and the problem that would stop it. Needs
 * `dataproduct.update` on an existing product, `dataproduct.create` for a
 * new one.
 */
export function createPlansRouter(options: {
  httpAuth: HttpAuthService;
  plans: PlanService;
}): express.Router {
  const { httpAuth, plans } = options;
  const router = Router();
  router.use('/plans', express.json({ limit: PLAN_BODY_LIMIT }));
  router.post('/plans', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    res.json(await plans.plan(req.body, credentials));
  });
  return router;
}
