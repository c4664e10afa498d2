import { parseEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';

/** The entity name of a data product given as a name or an entity ref. */
export function productName(value: string, what = 'data product'): string {
  try {
    return parseEntityRef(value, {
      defaultKind: 'DataProduct',
      defaultNamespace: 'default',
    }).name;
  } catch (error) {
    throw new InputError(
      `Invalid ${what} ${JSON.stringify(value)}: ${(error as Error).message}`,
    );
  }
}
