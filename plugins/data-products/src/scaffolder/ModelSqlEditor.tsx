import { useApi } from '@backstage/core-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { useRef } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { sourceReferenceFor } from './sourceColumns';

/** A field description without markdown code marks, for a helper text. */
const plainText = (text?: string) => text?.replace(/`/g, '');

/** ui:options of {@link ModelSqlEditor}. */
export interface ModelSqlEditorOptions {
  /** The form field holding the input OutputPorts' entity refs; default `inputs`. */
  inputsField?: string;
}

/**
 * A code field for model SQL: monospace, with one chip per selected input
 * that inserts its `{{ source('<product>', '<port>') }}` reference at the
 * cursor.
 */
export const ModelSqlEditor = (
  props: FieldExtensionComponentProps<string, ModelSqlEditorOptions>,
) => {
  const {
    formData,
    onChange,
    uiSchema,
    formContext,
    schema,
    rawErrors,
    required,
    idSchema,
  } = props;
  const inputsField = uiSchema?.['ui:options']?.inputsField ?? 'inputs';
  const inputs: string[] = formContext?.formData?.[inputsField] ?? [];
  const catalogApi = useApi(catalogApiRef);
  const textRef = useRef<HTMLTextAreaElement>(null);

  const { value: references = [] } = useAsync(async () => {
    if (inputs.length === 0) {
      return [];
    }
    const { items } = await catalogApi.getEntitiesByRefs({
      entityRefs: inputs,
    });
    return items.flatMap(entity => {
      const reference = entity && sourceReferenceFor(entity);
      return reference ? [reference] : [];
    });
  }, [catalogApi, inputs.join(',')]);

  const insert = (reference: string) => {
    const text = formData ?? '';
    const element = textRef.current;
    const start = element?.selectionStart ?? text.length;
    const end = element?.selectionEnd ?? text.length;
    onChange(`${text.slice(0, start)}${reference}${text.slice(end)}`);
  };

  return (
    <Box mt={2} mb={1}>
      <TextField
        id={idSchema?.$id}
        label={schema.title ?? 'Model SQL'}
        helperText={
          rawErrors?.length
            ? rawErrors.join(' ')
            : plainText(schema.description)
        }
        error={!!rawErrors?.length}
        required={required}
        fullWidth
        multiline
        minRows={12}
        variant="outlined"
        inputRef={textRef}
        inputProps={{
          spellCheck: false,
          style: { fontFamily: 'monospace', fontSize: '0.875rem' },
        }}
        value={formData ?? ''}
        onChange={e => onChange(e.target.value)}
      />
      {references.length > 0 && (
        <Box mt={1}>
          <Typography variant="caption" color="textSecondary">
            Insert a reference to an input:
          </Typography>
          <Box display="flex" flexWrap="wrap" style={{ gap: 8 }}>
            {references.map(reference => (
              <Chip
                key={reference}
                size="small"
                label={reference}
                onClick={() => insert(reference)}
              />
            ))}
          </Box>
        </Box>
      )}
    </Box>
  );
};
