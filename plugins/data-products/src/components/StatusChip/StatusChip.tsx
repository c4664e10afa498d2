import {
  StatusAborted,
  StatusError,
  StatusOK,
  StatusPending,
  StatusWarning,
} from '@backstage/core-components';
import type {
  AccessEvent,
  AccessRequestStatus,
  OutputPortStatus,
} from '@dataproducts/plugin-data-products-common';

/** The live state of one output port in words, with a status light. */
export function PortStatusLabel(props: {
  status?: OutputPortStatus;
  loading?: boolean;
}) {
  const { status, loading } = props;
  if (loading) return <StatusPending>checking…</StatusPending>;
  if (!status) return <StatusPending>unknown</StatusPending>;
  if (!status.exists) return <StatusError>not provisioned</StatusError>;
  if (status.drift.length > 0) {
    return (
      <StatusWarning>
        {status.drift.length === 1
          ? '1 contract drift'
          : `${status.drift.length} contract drifts`}
      </StatusWarning>
    );
  }
  return <StatusOK>provisioned</StatusOK>;
}

/** Where an access request stands, in words, with a status light. */
export function AccessStatusLabel(props: { status: AccessRequestStatus }) {
  const { status } = props;
  switch (status) {
    case 'granted':
      return <StatusOK>granted</StatusOK>;
    case 'requested':
      return <StatusPending>waiting for approval</StatusPending>;
    case 'failed':
      return <StatusError>failed</StatusError>;
    default:
      return <StatusAborted>{status}</StatusAborted>;
  }
}

/** Whether a recorded change succeeded, with a status light. */
export function OutcomeLabel(props: { outcome: AccessEvent['outcome'] }) {
  return props.outcome === 'succeeded' ? (
    <StatusOK>succeeded</StatusOK>
  ) : (
    <StatusError>failed</StatusError>
  );
}

/** A timestamp shown in the reader's locale. */
export function formatTimestamp(iso: string | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}
