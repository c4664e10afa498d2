import { Table, TableColumn } from '@backstage/core-components';

/** Props of {@link CardTable}. */
export interface CardTableProps<T extends object> {
  columns: TableColumn<T>[];
  data: T[];
  isLoading?: boolean;
  /** What the card says when there are no rows. */
  emptyMessage: string;
}

/** A dense, toolbar-less table that fills an entity card, with its empty state. */
export function CardTable<T extends object>(props: CardTableProps<T>) {
  const { columns, data, isLoading, emptyMessage } = props;
  return (
    <Table<T>
      columns={columns}
      data={data}
      isLoading={isLoading}
      options={{
        paging: false,
        search: false,
        toolbar: false,
        padding: 'dense',
      }}
      emptyContent={<div style={{ padding: 16 }}>{emptyMessage}</div>}
    />
  );
}
