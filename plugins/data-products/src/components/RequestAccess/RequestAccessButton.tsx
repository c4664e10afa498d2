import type { Entity } from '@backstage/catalog-model';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import {
  type AccessRequest,
  dataProductAccessRequestPermission,
} from '@dataproducts/plugin-data-products-common';
import { usePermission } from '@backstage/plugin-permission-react';
import Button from '@material-ui/core/Button';
import { useState } from 'react';
import { RequestAccessDialog } from './RequestAccessDialog';

/** Props of {@link RequestAccessButton}. */
export interface RequestAccessButtonProps {
  /** The DataProduct entity ref the ports belong to: the permission's resource. */
  productRef: string;
  /** The OutputPort entities one can ask for. */
  ports: Entity[];
  /** Called with the recorded request, e.g. to show it in a list. */
  onRequested?: (request: AccessRequest) => void;
}

function confirmation(request: AccessRequest): string {
  switch (request.status) {
    case 'granted':
      return 'Access granted.';
    case 'failed':
      return `The grant failed: ${request.outcome ?? 'no reason given'}.`;
    default:
      return 'Access requested: an owner of the product decides.';
  }
}

/**
 * "Request access": opens the request dialog, for those allowed to request
 * access to the product's ports.
 */
export function RequestAccessButton(props: RequestAccessButtonProps) {
  const { productRef, ports, onRequested } = props;
  const alertApi = useApi(alertApiRef);
  const [open, setOpen] = useState(false);
  const { allowed } = usePermission({
    permission: dataProductAccessRequestPermission,
    resourceRef: productRef,
  });
  if (!allowed || ports.length === 0) return null;
  return (
    <>
      <Button color="primary" variant="outlined" onClick={() => setOpen(true)}>
        Request access
      </Button>
      {open && (
        <RequestAccessDialog
          ports={ports}
          open={open}
          onClose={() => setOpen(false)}
          onRequested={request => {
            setOpen(false);
            alertApi.post({
              message: confirmation(request),
              severity: request.status === 'failed' ? 'error' : 'success',
              display: 'transient',
            });
            onRequested?.(request);
          }}
        />
      )}
    </>
  );
}
