import type { Entity } from '@backstage/catalog-model';
import type { TableColumn } from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import type {
  AccessRequest,
  PortReader,
} from '@dataproducts/plugin-data-products-common';
import Button from '@material-ui/core/Button';
import Chip from '@material-ui/core/Chip';
import Tooltip from '@material-ui/core/Tooltip';
import { formatDay, portName } from '../../lib/access';
import { CardTable } from '../CardTable';
import { formatTimestamp } from '../StatusChip';
import type { Decision } from './DecisionDialog';

/** One role that reads one port. */
export interface ReaderRow {
  port: Entity;
  reader: PortReader;
}

/** One request waiting for an owner. */
export interface PendingRow {
  port: Entity;
  request: AccessRequest;
}

/** Props shared by the two tables of the Access card. */
interface AccessTableProps {
  /** Show a Port column: the card lists several ports. */
  showPort: boolean;
  onDecide: (decision: Decision, request: AccessRequest) => void;
}

const portColumn = <T extends { port: Entity }>(): TableColumn<T> => ({
  title: 'Port',
  render: row => (
    <EntityRefLink entityRef={row.port} title={portName(row.port)} />
  ),
});

const userLink = (ref: string | undefined) =>
  ref ? <EntityRefLink entityRef={ref} defaultKind="user" /> : '—';

/**
 * Who can read the ports, as the warehouse says, with the request that gave
 * each grant; hand-made grants are marked unmanaged.
 */
export function ReadersTable(
  props: AccessTableProps & { rows: ReaderRow[]; canRevoke: boolean },
) {
  const { rows, showPort, canRevoke, onDecide } = props;
  const columns: TableColumn<ReaderRow>[] = [
    ...(showPort ? [portColumn<ReaderRow>()] : []),
    {
      title: 'Reader',
      render: ({ reader }) =>
        reader.consumer ? (
          <EntityRefLink entityRef={reader.consumer} />
        ) : (
          <code>{reader.role}</code>
        ),
    },
    {
      title: 'Granted',
      render: ({ reader }) => {
        if (reader.request) return 'through a request';
        if (reader.managed) return 'as a declared input';
        return (
          <Tooltip title="Granted by hand in PostgreSQL, not through the portal: no request, no end date.">
            <Chip label="unmanaged" size="small" variant="outlined" />
          </Tooltip>
        );
      },
    },
    {
      title: 'Approved by',
      render: ({ reader }) => userLink(reader.request?.decidedBy),
    },
    {
      title: 'Purpose',
      render: ({ reader }) => reader.request?.purpose ?? '—',
    },
    {
      title: 'Until',
      render: ({ reader }) => formatDay(reader.request?.until),
    },
    ...(canRevoke
      ? [
          {
            title: 'Actions',
            render: ({ reader }: ReaderRow) =>
              reader.request?.status === 'granted' ? (
                <Button
                  size="small"
                  color="secondary"
                  onClick={() => onDecide('revoke', reader.request!)}
                >
                  Revoke
                </Button>
              ) : null,
          },
        ]
      : []),
  ];
  return (
    <CardTable<ReaderRow>
      columns={columns}
      data={rows}
      emptyMessage="No one reads this yet: only the owning product's own role."
    />
  );
}

/** Requests waiting for an owner, with Approve and Deny for those allowed. */
export function PendingRequestsTable(
  props: AccessTableProps & { rows: PendingRow[]; canApprove: boolean },
) {
  const { rows, showPort, canApprove, onDecide } = props;
  const columns: TableColumn<PendingRow>[] = [
    ...(showPort ? [portColumn<PendingRow>()] : []),
    {
      title: 'For',
      render: ({ request }) => <EntityRefLink entityRef={request.consumer} />,
    },
    {
      title: 'Requested by',
      render: ({ request }) => userLink(request.requester),
    },
    { title: 'Purpose', render: ({ request }) => request.purpose },
    { title: 'Until', render: ({ request }) => formatDay(request.until) },
    {
      title: 'Asked',
      render: ({ request }) => formatTimestamp(request.createdAt),
    },
    ...(canApprove
      ? [
          {
            title: 'Actions',
            render: ({ request }: PendingRow) => (
              <>
                <Button
                  size="small"
                  color="primary"
                  onClick={() => onDecide('approve', request)}
                >
                  Approve
                </Button>
                <Button size="small" onClick={() => onDecide('deny', request)}>
                  Deny
                </Button>
              </>
            ),
          },
        ]
      : []),
  ];
  return (
    <CardTable<PendingRow>
      columns={columns}
      data={rows}
      emptyMessage="No request waits for a decision."
    />
  );
}
