import type { HttpAuthService } from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  ACCESS_REQUEST_STATUSES,
  type AccessRequestList,
  OUTPUT_PORT_KIND,
} from '@dataproducts/plugin-data-products-common';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import type { AccessService } from './AccessService';
import type { AccessViews } from './AccessViews';

/** A text field: trimmed, within `max` characters, without NUL (PostgreSQL cannot store it). */
function text(max: number) {
  return z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    .refine(value => !value.includes('\u0000'), 'must not contain NUL');
}

const newAccessRequestSchema = z
  .object({
    port: text(255),
    consumer: text(255),
    purpose: text(2000),
    until: z
      .string()
      .datetime({
        offset: true,
        message: 'must be an ISO date-time, e.g. 2026-06-30T00:00:00Z',
      })
      .optional(),
  })
  .strict();

const decisionSchema = z.object({ note: text(2000).optional() }).strict();

const querySchema = z
  .object({
    port: text(255).optional(),
    product: text(255).optional(),
    consumer: text(255).optional(),
    requester: text(255).optional(),
    status: z.enum(ACCESS_REQUEST_STATUSES).optional(),
  })
  .strict();

const idSchema = z.string().uuid();

/** Parses a value with a schema; an `InputError` naming each bad field otherwise. */
function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value ?? {});
  if (!result.success) {
    const problems = result.error.issues.map(issue => {
      const field = issue.path.join('.');
      return field ? `${field} ${issue.message}` : issue.message;
    });
    throw new InputError(`Invalid ${what}: ${problems.join('; ')}`);
  }
  return result.data;
}

function requestId(value: string): string {
  if (!idSchema.safeParse(value).success) {
    throw new InputError(
      `Invalid access request id ${JSON.stringify(value)}: ids are UUIDs`,
    );
  }
  return value;
}

/**
 * The access API under `/api/data-products`, for signed-in users:
 * `POST /access-requests` (201, an `AccessRequest`), `GET /access-requests`
 * (`AccessRequestList`, filtered by `port`, `product`, `consumer`,
 * `requester`, `status`), `POST /access-requests/:id/approve`, `/deny` and
 * `/revoke` (an `AccessRequest`), `GET /ports/:namespace/:name/access`
 * (`PortAccess`) and `GET /me/access` (`MyAccess`). Bodies are checked: a
 * bad one answers 400 naming the field.
 */
export function createAccessRouter(options: {
  access: AccessService;
  views: AccessViews;
  httpAuth: HttpAuthService;
}): express.Router {
  const { access, views, httpAuth } = options;
  const router = Router();
  // Parses only this router's bodies: other routers of the plugin (the
  // registry) read theirs with their own limits.
  const json = express.json();

  const user = (req: express.Request) =>
    httpAuth.credentials(req, { allow: ['user'] });

  router.post('/access-requests', json, async (req, res) => {
    const credentials = await user(req);
    const body = parse(newAccessRequestSchema, req.body, 'access request');
    res.status(201).json(await access.request(body, credentials));
  });

  router.get('/access-requests', async (req, res) => {
    await user(req);
    const query = parse(querySchema, req.query, 'access request filter');
    const body: AccessRequestList = { items: await views.list(query) };
    res.json(body);
  });

  for (const verb of ['approve', 'deny', 'revoke'] as const) {
    router.post(`/access-requests/:id/${verb}`, json, async (req, res) => {
      const credentials = await user(req);
      const id = requestId(req.params.id);
      const { note } = parse(decisionSchema, req.body, 'decision');
      res.json(await access[verb]({ id, note, credentials }));
    });
  }

  router.get('/ports/:namespace/:name/access', async (req, res) => {
    const credentials = await user(req);
    const { namespace, name } = req.params;
    res.json(
      await views.port(
        stringifyEntityRef({ kind: OUTPUT_PORT_KIND, namespace, name }),
        credentials,
      ),
    );
  });

  router.get('/me/access', async (req, res) => {
    res.json(await views.mine(await user(req)));
  });

  return router;
}
