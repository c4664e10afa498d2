import type { Entity } from '@backstage/catalog-model';
import { renderTestApp } from '@backstage/frontend-test-utils';
import {
  catalogApiMock,
  createTestEntityPage,
} from '@backstage/plugin-catalog-react/testUtils';
import { screen, within } from '@testing-library/react';
import dataProductsPlugin from '../alpha';
import { DataProductsApi, dataProductsApiRef } from '../api';
import { allEntities } from './fixtures';

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
    ...overrides,
  };
}

/** Renders an entity page with every card and tab of the plugin that matches the entity. */
export function renderEntityPage(
  entity: Entity,
  api: DataProductsApi = mockDataProductsApi(),
  entities: Entity[] = allEntities,
) {
  return renderTestApp({
    features: [dataProductsPlugin],
    extensions: [createTestEntityPage({ entity })],
    apis: [catalogApiMock({ entities }), [dataProductsApiRef, api]],
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
