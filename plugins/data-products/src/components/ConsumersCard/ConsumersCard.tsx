import {
  Entity,
  RELATION_DEPENDENCY_OF,
  RELATION_HAS_PART,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  InfoCard,
  ResponseErrorPanel,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  EntityRefLink,
  catalogApiRef,
  getEntityRelations,
  useEntity,
} from '@backstage/plugin-catalog-react';
import useAsync from 'react-use/esm/useAsync';
import { isDataProduct, ownerRef } from '../../lib/relations';
import { CardTable } from '../CardTable';

/** The refs of the entities that read a port. */
const consumerRefsOf = (port: Entity): string[] =>
  getEntityRelations(port, RELATION_DEPENDENCY_OF).map(ref =>
    stringifyEntityRef(ref),
  );

interface ConsumerRow {
  id: string;
  consumer: Entity;
  reads: Entity[];
  owner?: string;
}

const columns: TableColumn<ConsumerRow>[] = [
  {
    title: 'Consumer',
    render: row => <EntityRefLink entityRef={row.consumer} />,
  },
  {
    title: 'Reads',
    render: row => (
      <>
        {row.reads.map((port, i) => (
          <span key={stringifyEntityRef(port)}>
            {i > 0 && ', '}
            <EntityRefLink
              entityRef={port}
              title={String((port.spec as { name?: string })?.name)}
            />
          </span>
        ))}
      </>
    ),
  },
  {
    title: 'Owner',
    render: row =>
      row.owner ? (
        <EntityRefLink entityRef={row.owner} defaultKind="group" />
      ) : (
        '—'
      ),
  },
];

/** The products (and other entities) that read the output ports of the data product or output port on the page. */
export function ConsumersCard() {
  const { entity } = useEntity();
  const catalogApi = useApi(catalogApiRef);
  const entityRef = stringifyEntityRef(entity);

  const { value, loading, error } = useAsync(async () => {
    let ports: Entity[] = [entity];
    if (isDataProduct(entity)) {
      const portRefs = getEntityRelations(entity, RELATION_HAS_PART, {
        kind: 'OutputPort',
      }).map(ref => stringifyEntityRef(ref));
      ports = portRefs.length
        ? (
            await catalogApi.getEntitiesByRefs({ entityRefs: portRefs })
          ).items.filter((e): e is Entity => Boolean(e))
        : [];
    }
    const consumerRefs = [...new Set(ports.flatMap(consumerRefsOf))];
    if (consumerRefs.length === 0) return [];
    const consumers = (
      await catalogApi.getEntitiesByRefs({ entityRefs: consumerRefs })
    ).items.filter((e): e is Entity => Boolean(e));
    return consumers.map<ConsumerRow>(consumer => {
      const ref = stringifyEntityRef(consumer);
      return {
        id: ref,
        consumer,
        reads: ports.filter(p => consumerRefsOf(p).includes(ref)),
        owner: ownerRef(consumer),
      };
    });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [catalogApi, entityRef]);

  if (error) {
    return (
      <InfoCard title="Consumers">
        <ResponseErrorPanel error={error} />
      </InfoCard>
    );
  }
  return (
    <InfoCard
      title={value ? `Consumers (${value.length})` : 'Consumers'}
      noPadding
    >
      <CardTable<ConsumerRow>
        columns={columns}
        data={value ?? []}
        isLoading={loading}
        emptyMessage="No data product reads this yet."
      />
    </InfoCard>
  );
}
