import { startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { scaffolderModuleDataProducts } from './module';

describe('scaffolderModuleDataProducts', () => {
  it('adds the dataproduct actions, with the shared warehouse service', async () => {
    const addActions = jest.fn();
    const backend = await startTestBackend({
      extensionPoints: [[scaffolderActionsExtensionPoint, { addActions }]],
      features: [scaffolderModuleDataProducts, catalogServiceMock.factory()],
    });
    try {
      const ids = addActions.mock.calls.flat().map(action => action.id);
      expect(ids).toEqual([
        'dataproduct:provision',
        'dataproduct:refresh',
        'dataproduct:grant',
        'dataproduct:revoke',
        'dataproduct:decommission',
        'dataproduct:register',
        'dataproduct:contract:import',
      ]);
      for (const action of addActions.mock.calls.flat()) {
        expect(action.supportsDryRun).toBe(true);
        // The template editor lists them under the action.
        expect(action.examples.length).toBeGreaterThan(0);
      }
    } finally {
      await backend.stop();
    }
  });
});
