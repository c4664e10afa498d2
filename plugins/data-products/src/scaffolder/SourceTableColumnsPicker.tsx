import { useApi } from '@backstage/core-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import type { OutputPortColumn } from '@dataproducts/plugin-data-products-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import FormControl from '@material-ui/core/FormControl';
import FormHelperText from '@material-ui/core/FormHelperText';
import IconButton from '@material-ui/core/IconButton';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import DeleteIcon from '@material-ui/icons/Delete';
import { useEffect, useRef } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { documentedColumns } from './sourceColumns';

/** ui:options of {@link SourceTableColumnsPicker}. */
export interface SourceTableColumnsPickerOptions {
  /** The form field holding the source Resource's entity ref; default `source`. */
  sourceField?: string;
}

/**
 * The output port's columns, filled in from the selected source table with
 * its documented types and descriptions. Descriptions are editable and
 * columns can be dropped; choosing another source table fills them again.
 */
export const SourceTableColumnsPicker = (
  props: FieldExtensionComponentProps<
    OutputPortColumn[],
    SourceTableColumnsPickerOptions
  >,
) => {
  const { formData, onChange, uiSchema, formContext, schema, rawErrors } =
    props;
  const sourceField = uiSchema?.['ui:options']?.sourceField ?? 'source';
  const sourceRef: string | undefined = formContext?.formData?.[sourceField];
  const catalogApi = useApi(catalogApiRef);
  const filledFor = useRef<string | undefined>(
    formData?.length ? sourceRef : undefined,
  );

  const {
    value: documented,
    loading,
    error,
  } = useAsync(async () => {
    if (!sourceRef) {
      return undefined;
    }
    const entity = await catalogApi.getEntityByRef(sourceRef);
    return entity ? documentedColumns(entity) : [];
  }, [catalogApi, sourceRef]);

  useEffect(() => {
    if (documented && sourceRef && filledFor.current !== sourceRef) {
      filledFor.current = sourceRef;
      onChange(documented);
    }
  }, [documented, sourceRef, onChange]);

  // The form pre-fills an array that has minItems with one empty item: a
  // column only exists once it has a name (filled from the source table).
  const columns = (formData ?? []).filter(column => Boolean(column?.name));
  const setDescription = (index: number, description: string) =>
    onChange(
      columns.map((column, i) =>
        i === index ? { ...column, description } : column,
      ),
    );
  const remove = (index: number) =>
    onChange(columns.filter((_, i) => i !== index));

  return (
    <FormControl
      margin="normal"
      fullWidth
      error={!!rawErrors?.length || !!error}
    >
      <Typography variant="subtitle1">{schema.title ?? 'Columns'}</Typography>
      {schema.description && (
        <Typography variant="body2" color="textSecondary">
          {schema.description}
        </Typography>
      )}
      {!sourceRef && (
        <FormHelperText>
          Choose a source table to fill in its columns.
        </FormHelperText>
      )}
      {loading && <FormHelperText>Reading the source table…</FormHelperText>}
      {error && (
        <FormHelperText>
          Could not read {sourceRef}: {error.message}
        </FormHelperText>
      )}
      {documented && documented.length === 0 && (
        <FormHelperText>
          {sourceRef} documents no columns (a "column | type | description"
          table in its description).
        </FormHelperText>
      )}
      {columns.length > 0 && (
        <Table size="small" aria-label="Columns">
          <TableHead>
            <TableRow>
              <TableCell>Column</TableCell>
              <TableCell>Type</TableCell>
              <TableCell>Description</TableCell>
              <TableCell />
            </TableRow>
          </TableHead>
          <TableBody>
            {columns.map((column, index) => (
              <TableRow key={column.name}>
                <TableCell>
                  <code>{column.name}</code>
                  {column.primaryKey ? ' (primary key)' : ''}
                </TableCell>
                <TableCell>
                  <code>{column.type}</code>
                </TableCell>
                <TableCell>
                  <TextField
                    fullWidth
                    value={column.description ?? ''}
                    onChange={e => setDescription(index, e.target.value)}
                    inputProps={{
                      'aria-label': `Description of ${column.name}`,
                    }}
                  />
                </TableCell>
                <TableCell padding="none">
                  <IconButton
                    aria-label={`Drop ${column.name}`}
                    size="small"
                    onClick={() => remove(index)}
                  >
                    <DeleteIcon fontSize="small" />
                  </IconButton>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      {documented &&
        documented.length > 0 &&
        columns.length !== documented.length && (
          <Box mt={1}>
            <Button size="small" onClick={() => onChange(documented)}>
              Restore all columns of the source table
            </Button>
          </Box>
        )}
      {rawErrors?.map(message => (
        <FormHelperText key={message}>{message}</FormHelperText>
      ))}
    </FormControl>
  );
};
