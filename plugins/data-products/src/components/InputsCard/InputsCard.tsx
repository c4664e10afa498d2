import {
  Entity,
  RELATION_DEPENDS_ON,
  RELATION_PART_OF,
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
import { isOutputPort, ownerRef } from '../../lib/relations';
import { CardTable } from '../CardTable';

/** The ref of the data product an input output port is part of. */
const productRefOf = (input: Entity): string | undefined =>
  getEntityRelations(input, RELATION_PART_OF, { kind: 'DataProduct' }).map(
    ref => stringifyEntityRef(ref),
  )[0];

interface InputRow {
  id: string;
  input: Entity;
  product?: Entity;
  owner?: string;
}

const columns: TableColumn<InputRow>[] = [
  {
    title: 'Input',
    render: row => (
      <EntityRefLink
        entityRef={row.input}
        title={
          isOutputPort(row.input)
            ? String((row.input.spec as { name?: string })?.name)
            : row.input.metadata.title
        }
      />
    ),
  },
  {
    title: 'Kind',
    render: row =>
      isOutputPort(row.input)
        ? 'output port'
        : row.input.kind.toLocaleLowerCase('en-US'),
  },
  {
    title: 'Data product',
    render: row =>
      row.product ? <EntityRefLink entityRef={row.product} /> : '—',
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

/** The inputs a data product reads (output ports of other products, or source tables), with their products and owners. */
export function InputsCard() {
  const { entity } = useEntity();
  const catalogApi = useApi(catalogApiRef);
  const inputRefs = getEntityRelations(entity, RELATION_DEPENDS_ON).map(ref =>
    stringifyEntityRef(ref),
  );
  const key = inputRefs.join(',');

  const { value, loading, error } = useAsync(async () => {
    if (inputRefs.length === 0) return [];
    const inputs = (
      await catalogApi.getEntitiesByRefs({ entityRefs: inputRefs })
    ).items.filter((e): e is Entity => Boolean(e));
    const productRefs = [
      ...new Set(
        inputs
          .map(productRefOf)
          .filter((ref): ref is string => ref !== undefined),
      ),
    ];
    const products = productRefs.length
      ? (
          await catalogApi.getEntitiesByRefs({ entityRefs: productRefs })
        ).items.filter((e): e is Entity => Boolean(e))
      : [];
    return inputs.map<InputRow>(input => {
      const productRef = productRefOf(input);
      const product = products.find(p => stringifyEntityRef(p) === productRef);
      return {
        id: stringifyEntityRef(input),
        input,
        product,
        owner: ownerRef(product ?? input),
      };
    });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [catalogApi, key]);

  if (error) {
    return (
      <InfoCard title="Inputs">
        <ResponseErrorPanel error={error} />
      </InfoCard>
    );
  }
  return (
    <InfoCard title={`Inputs (${inputRefs.length})`} noPadding>
      <CardTable<InputRow>
        columns={columns}
        data={value ?? []}
        isLoading={loading}
        emptyMessage="This data product declares no inputs."
      />
    </InfoCard>
  );
}
