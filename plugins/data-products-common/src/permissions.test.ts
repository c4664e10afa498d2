import { isResourcePermission } from '@backstage/plugin-permission-common';
import {
  DATA_PRODUCT_RESOURCE_TYPE,
  dataProductCreatePermission,
  dataProductPermissions,
} from './permissions';

describe('data product permissions', () => {
  it('lists every permission once, by the names policies match on', () => {
    expect(dataProductPermissions.map(p => p.name)).toEqual([
      'dataproduct.create',
      'dataproduct.update',
      'dataproduct.refresh',
      'dataproduct.decommission',
      'dataproduct.access.request',
      'dataproduct.access.approve',
      'dataproduct.access.revoke',
      'dataproduct.preview',
    ]);
  });

  it('makes create a basic permission, since no product exists to decide on', () => {
    expect(dataProductCreatePermission.type).toBe('basic');
  });

  it('makes every other permission one on the data-product resource type', () => {
    const others = dataProductPermissions.filter(
      p => p !== dataProductCreatePermission,
    );
    expect(others).toHaveLength(7);
    for (const permission of others) {
      expect(isResourcePermission(permission, DATA_PRODUCT_RESOURCE_TYPE)).toBe(
        true,
      );
    }
  });
});
