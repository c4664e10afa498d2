import {
  DEFAULT_NAMESPACE,
  Entity,
  parseEntityRef,
  RELATION_DEPENDS_ON,
  RELATION_HAS_PART,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  EntityRefLink,
  catalogApiRef,
  getEntityRelations,
  useEntity,
} from '@backstage/plugin-catalog-react';
import {
  OutputPortEntityV1alpha1,
  parseSourceReferences,
  productNamesMatch,
} from '@dataproducts/plugin-data-products-common';
import Grid from '@material-ui/core/Grid';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { ReactNode } from 'react';
import useAsync from 'react-use/esm/useAsync';

const useStyles = makeStyles(theme => ({
  sql: {
    margin: 0,
    padding: theme.spacing(2),
    overflowX: 'auto',
    fontFamily: 'monospace',
    fontSize: 13,
    lineHeight: 1.5,
    background: theme.palette.background.default,
    borderRadius: 4,
  },
  unresolved: {
    color: theme.palette.error.main,
    textDecoration: 'underline wavy',
  },
}));

/** Finds the input port a `source('<product>', '<port>')` reference names. */
function resolveSource(
  inputs: OutputPortEntityV1alpha1[],
  product: string,
  port: string,
): OutputPortEntityV1alpha1 | undefined {
  return inputs.find(
    input =>
      input.spec.name === port &&
      productNamesMatch(
        parseEntityRef(input.spec.dataProduct, {
          defaultKind: 'dataproduct',
          defaultNamespace: DEFAULT_NAMESPACE,
        }).name,
        product,
      ),
  );
}

function ModelSql(props: { sql: string; inputs: OutputPortEntityV1alpha1[] }) {
  const classes = useStyles();
  const { sql, inputs } = props;
  let references;
  try {
    references = parseSourceReferences(sql);
  } catch (error) {
    return (
      <>
        <ResponseErrorPanel error={error as Error} />
        <pre className={classes.sql}>{sql}</pre>
      </>
    );
  }
  const parts: ReactNode[] = [];
  let position = 0;
  for (const reference of references) {
    parts.push(sql.slice(position, reference.start));
    const target = resolveSource(inputs, reference.product, reference.port);
    parts.push(
      target ? (
        <EntityRefLink
          key={reference.start}
          entityRef={target}
          title={reference.text}
        />
      ) : (
        <Tooltip
          key={reference.start}
          title="Not a declared input of this data product"
        >
          <span className={classes.unresolved}>{reference.text}</span>
        </Tooltip>
      ),
    );
    position = reference.end;
  }
  parts.push(sql.slice(position));
  return <pre className={classes.sql}>{parts}</pre>;
}

/** The Model tab: each output port's SQL, with every `source()` reference linked to the port it reads. */
export function ModelContent() {
  const { entity } = useEntity();
  const catalogApi = useApi(catalogApiRef);
  const entityRef = stringifyEntityRef(entity);

  const { value, loading, error } = useAsync(async () => {
    /** The output ports the entity has a relation of `type` to. */
    const loadPorts = async (type: string) => {
      const refs = getEntityRelations(entity, type, {
        kind: 'OutputPort',
      }).map(ref => stringifyEntityRef(ref));
      return refs.length
        ? (
            await catalogApi.getEntitiesByRefs({ entityRefs: refs })
          ).items.filter((e): e is Entity => Boolean(e))
        : [];
    };
    const [ports, inputs] = await Promise.all([
      loadPorts(RELATION_HAS_PART),
      loadPorts(RELATION_DEPENDS_ON),
    ]);
    return {
      ports: ports as OutputPortEntityV1alpha1[],
      inputs: inputs as OutputPortEntityV1alpha1[],
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [catalogApi, entityRef]);

  if (loading) return <Progress />;
  if (error) return <ResponseErrorPanel error={error} />;
  const modelled = (value?.ports ?? []).filter(p => p.spec.model);
  if (modelled.length === 0) {
    return (
      <Typography>
        No output port of this data product is built from model SQL.
      </Typography>
    );
  }
  return (
    <Grid container spacing={3}>
      {modelled.map(port => (
        <Grid item xs={12} key={stringifyEntityRef(port)}>
          <InfoCard
            title={port.spec.name}
            subheader={`${(entity.spec as { schema?: string }).schema}.${
              port.spec.name
            }`}
          >
            <ModelSql sql={port.spec.model!} inputs={value!.inputs} />
          </InfoCard>
        </Grid>
      ))}
    </Grid>
  );
}
