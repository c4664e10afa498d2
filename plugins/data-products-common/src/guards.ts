import type { Entity } from '@backstage/catalog-model';
import {
  DATA_PRODUCT_KIND,
  DataProductEntityV1alpha1,
  OUTPUT_PORT_KIND,
  OutputPortEntityV1alpha1,
} from './types';

function hasKind(entity: Entity | undefined, kind: string): boolean {
  return (
    entity?.kind?.toLocaleLowerCase('en-US') === kind.toLocaleLowerCase('en-US')
  );
}

/** True when the entity is a DataProduct. */
export function isDataProductEntity(
  entity: Entity | undefined,
): entity is DataProductEntityV1alpha1 {
  return hasKind(entity, DATA_PRODUCT_KIND);
}

/** True when the entity is an OutputPort. */
export function isOutputPortEntity(
  entity: Entity | undefined,
): entity is OutputPortEntityV1alpha1 {
  return hasKind(entity, OUTPUT_PORT_KIND);
}
