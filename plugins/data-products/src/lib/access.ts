import type { Entity } from '@backstage/catalog-model';
import {
  type OutputPortAccessLevel,
  type OutputPortEntityV1alpha1,
  outputPortAccessLevel,
} from '@dataproducts/plugin-data-products-common';

/** The access level of an OutputPort entity (see `outputPortAccessLevel`). */
export function accessLevelOf(port: Entity): OutputPortAccessLevel {
  return outputPortAccessLevel(port as OutputPortEntityV1alpha1);
}

/** What an access level means for someone who wants to read the port. */
export function accessLevelExplanation(level: OutputPortAccessLevel): string {
  switch (level) {
    case 'public':
      return 'Public: access is granted as soon as you ask.';
    case 'private':
      return 'Private: this port cannot be requested. Only its own product reads it.';
    default:
      return 'Restricted: an owner of the product approves each request.';
  }
}

/** The port name (`spec.name`) of an OutputPort entity, which readers know it by. */
export function portName(port: Entity): string {
  return (port as OutputPortEntityV1alpha1).spec?.name ?? port.metadata.name;
}

/** A day (`2027-03-31`) as the reader's locale writes it; an em dash when there is none. */
export function formatDay(iso: string | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleDateString();
}
