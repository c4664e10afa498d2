import { makeStyles } from '@material-ui/core/styles';
import { groupColor } from './meshColors';
import {
  MESH_NO_DOMAIN,
  MESH_SOURCES,
} from '@dataproducts/plugin-data-products-common';

const useStyles = makeStyles(theme => ({
  legend: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(2.5),
    marginTop: theme.spacing(1),
    fontSize: 12,
    color: theme.palette.text.secondary,
  },
  item: { display: 'flex', alignItems: 'center', gap: theme.spacing(0.75) },
  box: {
    display: 'inline-block',
    width: 22,
    height: 14,
    borderRadius: 3,
    border: `1px solid ${theme.palette.divider}`,
    borderLeftWidth: 5,
  },
  line: {
    display: 'inline-block',
    width: 26,
    background: theme.palette.text.secondary,
  },
}));

/** What the shapes, colours and lines of the mesh view mean. */
export function MeshLegend() {
  const classes = useStyles();
  return (
    <div className={classes.legend} data-testid="mesh-legend">
      <span className={classes.item}>
        <span
          className={classes.box}
          style={{ borderLeftColor: groupColor('domain:default/sales') }}
        />
        Domain (one colour each): click to show its products
      </span>
      <span className={classes.item}>
        <span
          className={classes.box}
          style={{ borderLeftColor: groupColor(MESH_NO_DOMAIN) }}
        />
        No domain
      </span>
      <span className={classes.item}>
        <span
          className={classes.box}
          style={{ borderLeftColor: groupColor(MESH_SOURCES) }}
        />
        Source tables
      </span>
      <span className={classes.item}>
        <span className={classes.box} />
        Data product: click to focus on its inputs and consumers; “page ↗” opens
        it
      </span>
      <span className={classes.item}>
        <span className={classes.line} style={{ height: 1.5 }} />
        <span className={classes.line} style={{ height: 6 }} />
        Arrows follow the data; thicker and numbered: more ports read
      </span>
    </div>
  );
}
