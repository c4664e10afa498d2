import {
  type Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { mockApis, renderTestApp } from '@backstage/frontend-test-utils';
import {
  AuthorizeResult,
  EvaluatePermissionRequest,
} from '@backstage/plugin-permission-common';
import {
  type PermissionApi,
  permissionApiRef,
} from '@backstage/plugin-permission-react';
import type { DataProductsAccessApi } from '@dataproducts/plugin-data-products-common';
import {
  type EntityPresentationApi,
  defaultEntityPresentation,
  entityPresentationApiRef,
} from '@backstage/plugin-catalog-react';
import {
  catalogApiMock,
  createTestEntityPage,
} from '@backstage/plugin-catalog-react/testUtils';
import { screen, within } from '@testing-library/react';
import dataProductsPlugin from '../alpha';
import {
  DataProductsApi,
  dataProductsAccessApiRef,
  dataProductsApiRef,
  type DataProductsFreshnessApi,
  dataProductsFreshnessApiRef,
} from '../api';
import {
  type DataProductsColumnLineageApi,
  dataProductsColumnLineageApiRef,
} from '../api/DataProductsColumnLineageApi';
import { allEntities } from './fixtures';
import { mockFreshnessApi } from './freshnessFixtures';

/** A data products API whose calls fail unless a test gives them an answer. */
export function mockDataProductsApi(
  overrides: Partial<DataProductsApi> = {},
): DataProductsApi {
  return {
    getProductStatus: jest.fn(async () => {
      throw new Error('no product status in this test');
    }),
    getPortStatus: jest.fn(async () => {
      throw new Error('no port status in this test');
    }),
    getLineage: jest.fn(async () => ({
      nodes: [],
      edges: [],
      truncated: false,
    })),
    checkModel: jest.fn(async () => {
      throw new Error('no model check in this test');
    }),
    ...overrides,
  };
}

/** A column lineage API whose calls fail unless a test gives them an answer. */
export function mockColumnLineageApi(
  overrides: Partial<DataProductsColumnLineageApi> = {},
): DataProductsColumnLineageApi {
  return {
    getPortColumns: jest.fn(async () => {
      throw new Error('no column lineage in this test');
    }),
    getColumnImpact: jest.fn(async () => {
      throw new Error('no column impact in this test');
    }),
    ...overrides,
  };
}

/** An access API with no readers, requests or history, whose writes fail unless a test gives them an answer. */
export function mockAccessApi(
  overrides: Partial<DataProductsAccessApi> = {},
): DataProductsAccessApi {
  const unanswered = (call: string) =>
    jest.fn(async () => {
      throw new Error(`no answer to ${call} in this test`);
    });
  return {
    requestAccess: unanswered('requestAccess'),
    listAccessRequests: jest.fn(async () => []),
    approveAccessRequest: unanswered('approveAccessRequest'),
    denyAccessRequest: unanswered('denyAccessRequest'),
    revokeAccessRequest: unanswered('revokeAccessRequest'),
    getPortAccess: jest.fn(async () => ({ readers: [], pending: [] })),
    getProductHistory: jest.fn(async () => []),
    getMyAccess: jest.fn(async () => ({ requests: [], readable: [] })),
    ...overrides,
  };
}

/**
 * Presents entities by their titles and display names, as the catalog
 * plugin's presentation API does in the app, from the test's entities.
 */
export function presentationOf(entities: Entity[]): EntityPresentationApi {
  return {
    forEntity(entityOrRef, context) {
      const ref =
        typeof entityOrRef === 'string'
          ? stringifyEntityRef(parseEntityRef(entityOrRef, context))
          : stringifyEntityRef(entityOrRef);
      const snapshot = defaultEntityPresentation(
        entities.find(e => stringifyEntityRef(e) === ref) ?? entityOrRef,
        context,
      );
      return { snapshot, promise: Promise.resolve(snapshot) };
    },
  };
}

/** What else an entity page test needs: the access API, the permissions granted, the signed-in user. */
export interface EntityPageOptions {
  accessApi?: DataProductsAccessApi;
  /** Freshness and Refresh now; knows nothing when absent. */
  freshnessApi?: DataProductsFreshnessApi;
  /** The permission API, e.g. {@link permissionsAllowing}; every permission is allowed when absent. */
  permissionApi?: PermissionApi;
  /** Column lineage; every call fails when absent. */
  columnLineageApi?: DataProductsColumnLineageApi;
  /** The user's ownership refs (their user and groups). */
  ownershipEntityRefs?: string[];
}

/** A permission API that allows exactly the named permissions, or every one; `authorize` is a jest mock. */
export function permissionsAllowing(allowed?: string[]) {
  return {
    authorize: jest.fn(async (request: EvaluatePermissionRequest) => ({
      result:
        !allowed || allowed.includes(request.permission.name)
          ? AuthorizeResult.ALLOW
          : AuthorizeResult.DENY,
    })),
  };
}

/** Renders an entity page with every card and tab of the plugin that matches the entity. */
export function renderEntityPage(
  entity: Entity,
  api: DataProductsApi = mockDataProductsApi(),
  entities: Entity[] = allEntities,
  options: EntityPageOptions = {},
) {
  return renderTestApp({
    features: [dataProductsPlugin],
    extensions: [createTestEntityPage({ entity })],
    apis: [
      catalogApiMock({ entities }),
      [entityPresentationApiRef, presentationOf(entities)],
      [dataProductsApiRef, api],
      [dataProductsAccessApiRef, options.accessApi ?? mockAccessApi()],
      [dataProductsFreshnessApiRef, options.freshnessApi ?? mockFreshnessApi()],
      [permissionApiRef, options.permissionApi ?? permissionsAllowing()],
      [
        dataProductsColumnLineageApiRef,
        options.columnLineageApi ?? mockColumnLineageApi(),
      ],
      mockApis.identity({
        userEntityRef: 'user:default/mark.marketing',
        ownershipEntityRefs: options.ownershipEntityRefs ?? [
          'user:default/mark.marketing',
          'group:default/marketing',
        ],
      }),
    ],
  });
}

/** The card with a title, to look inside it. */
export async function findCard(title: string | RegExp) {
  // The first render of a suite compiles the lazily loaded cards: allow time.
  const heading = await screen.findByText(
    title,
    { selector: '.MuiCardHeader-title, .MuiCardHeader-title *' },
    { timeout: 10000 },
  );
  const card = heading.closest('.MuiCard-root') as HTMLElement;
  return within(card);
}
