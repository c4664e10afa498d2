import {
  alertApiRef,
  discoveryApiRef,
  fetchApiRef,
  useApi,
} from '@backstage/core-plugin-api';
import Button from '@material-ui/core/Button';
import GetAppIcon from '@material-ui/icons/GetApp';
import { useState } from 'react';
import { errorMessage } from '../../lib/errors';
import { fetchContract } from './contractDownload';

/**
 * "Download contract (ODCS)" on an output port's page: saves the port's
 * ODCS v3.1.0 data contract as `<port>.odcs.yaml`, fetched with the user's
 * credentials (the catalog shows the contract only to who may see the port).
 */
export function ContractDownloadButton(props: {
  /** The OutputPort's entity ref. */
  portRef: string;
}) {
  const { portRef } = props;
  const discoveryApi = useApi(discoveryApiRef);
  const fetchApi = useApi(fetchApiRef);
  const alertApi = useApi(alertApiRef);
  const [busy, setBusy] = useState(false);

  const download = async () => {
    setBusy(true);
    try {
      const { filename, yaml } = await fetchContract(
        { discoveryApi, fetchApi },
        portRef,
      );
      const url = URL.createObjectURL(
        new Blob([yaml], { type: 'application/yaml' }),
      );
      const link = document.createElement('a');
      link.href = url;
      link.download = filename;
      document.body.appendChild(link);
      link.click();
      link.remove();
      URL.revokeObjectURL(url);
    } catch (error) {
      alertApi.post({
        message: `Could not download the contract: ${errorMessage(
          error as Error,
        )}`,
        severity: 'error',
      });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Button
      size="small"
      variant="outlined"
      color="primary"
      startIcon={<GetAppIcon />}
      disabled={busy}
      onClick={download}
    >
      Download contract (ODCS)
    </Button>
  );
}
