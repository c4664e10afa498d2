import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  dataProductRefreshPermission,
  type PortFreshness,
} from '@dataproducts/plugin-data-products-common';
import Button from '@material-ui/core/Button';
import CircularProgress from '@material-ui/core/CircularProgress';
import RefreshIcon from '@material-ui/icons/Refresh';
import { useState } from 'react';
import { dataProductsFreshnessApiRef } from '../../api';

/**
 * "Refresh now" for a table port: rebuilds it at once and tells how it went.
 * Shown only to those the permission policy allows `dataproduct.refresh` on
 * the port's product.
 */
export function RefreshNowButton(props: {
  /** The OutputPort's entity ref. */
  portRef: string;
  /** The port's DataProduct entity ref: the permission's resource. */
  productRef: string;
  /** The port name, for messages. */
  name: string;
  /** Called with the port's freshness after the refresh, succeeded or failed. */
  onRefreshed?: (freshness: PortFreshness) => void;
}) {
  const { portRef, productRef, name, onRefreshed } = props;
  const api = useApi(dataProductsFreshnessApiRef);
  const alertApi = useApi(alertApiRef);
  const [running, setRunning] = useState(false);
  const { allowed } = usePermission({
    permission: dataProductRefreshPermission,
    resourceRef: productRef,
  });
  if (!allowed) {
    return null;
  }
  const refresh = async () => {
    setRunning(true);
    try {
      const { run, freshness } = await api.refreshPort(portRef);
      if (run.outcome === 'succeeded') {
        alertApi.post({
          message: `Refreshed ${name}: ${run.rows} rows`,
          severity: 'success',
          display: 'transient',
        });
      } else {
        alertApi.post({
          message: `Refreshing ${name} failed: ${run.error}`,
          severity: 'error',
        });
      }
      onRefreshed?.(freshness);
    } catch (error) {
      alertApi.post({
        message: `Could not refresh ${name}: ${(error as Error).message}`,
        severity: 'error',
      });
    } finally {
      setRunning(false);
    }
  };
  return (
    <Button
      size="small"
      variant="outlined"
      color="primary"
      disabled={running}
      onClick={refresh}
      startIcon={running ? <CircularProgress size={14} /> : <RefreshIcon />}
      aria-label={`Refresh ${name} now`}
    >
      Refresh now
    </Button>
  );
}
