import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import FormControl from '@material-ui/core/FormControl';
import Grid from '@material-ui/core/Grid';
import InputLabel from '@material-ui/core/InputLabel';
import NativeSelect from '@material-ui/core/NativeSelect';
import Typography from '@material-ui/core/Typography';
import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { dataProductsApiRef } from '../../api';
import { LineageGraph } from './LineageGraph';

function useEntityLineage(upstream: number, downstream: number) {
  const { entity } = useEntity();
  const api = useApi(dataProductsApiRef);
  const entityRef = stringifyEntityRef(entity);
  return useAsync(
    () => api.getLineage({ entityRef, upstream, downstream }),
    [api, entityRef, upstream, downstream],
  );
}

function LineageBody(props: {
  state: ReturnType<typeof useEntityLineage>;
  height: number | string;
}) {
  const { state, height } = props;
  if (state.loading) return <Progress />;
  if (state.error) return <ResponseErrorPanel error={state.error} />;
  if (!state.value) return null;
  return (
    <>
      {state.value.truncated && (
        <Typography color="error">
          The graph was cut at its node limit; lower the depth to see all of it.
        </Typography>
      )}
      <LineageGraph lineage={state.value} height={height} />
    </>
  );
}

/** The lineage of the entity on the page: upstream to its sources, downstream to its consumers. */
export function LineageCard() {
  const state = useEntityLineage(10, 10);
  return (
    <InfoCard title="Lineage">
      <LineageBody state={state} height={360} />
    </InfoCard>
  );
}

const DEPTHS = [1, 2, 3, 5, 10, 25];

function DepthSelect(props: {
  label: string;
  value: number;
  onChange: (value: number) => void;
}) {
  const id = `lineage-${props.label.toLocaleLowerCase('en-US')}`;
  return (
    <FormControl>
      <InputLabel htmlFor={id}>{props.label}</InputLabel>
      <NativeSelect
        id={id}
        value={props.value}
        onChange={e => props.onChange(Number(e.target.value))}
      >
        {DEPTHS.map(d => (
          <option key={d} value={d}>
            {d} {d === 1 ? 'hop' : 'hops'}
          </option>
        ))}
      </NativeSelect>
    </FormControl>
  );
}

/** The full lineage tab of an entity page, with the depth to show in each direction. */
export function LineageContent() {
  const [upstream, setUpstream] = useState(10);
  const [downstream, setDownstream] = useState(10);
  const state = useEntityLineage(upstream, downstream);
  return (
    <Grid container spacing={2}>
      <Grid item>
        <DepthSelect label="Upstream" value={upstream} onChange={setUpstream} />
      </Grid>
      <Grid item>
        <DepthSelect
          label="Downstream"
          value={downstream}
          onChange={setDownstream}
        />
      </Grid>
      <Grid item xs={12}>
        <LineageBody state={state} height="75vh" />
      </Grid>
    </Grid>
  );
}
