import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import Autocomplete from '@material-ui/lab/Autocomplete';
import { errorMessage } from '../lib/errors';
import {
  type InputPortOption,
  inputPortLabel,
  useInputPorts,
} from './inputPorts';

/** A field description without markdown code marks, for a helper text. */
const plainText = (text?: string) => text?.replace(/`/g, '');

/**
 * The compose form's input picker: every output port of the catalog with
 * its product's title, its owner's name and its description, so a port is
 * chosen by what it is rather than by a bare name. Stores the chosen ports'
 * entity refs.
 */
export const OutputPortInputsPicker = (
  props: FieldExtensionComponentProps<string[]>,
) => {
  const { formData, onChange, schema, rawErrors, required, idSchema } = props;
  const { value: options = [], loading, error } = useInputPorts();
  const chosen = (formData ?? []).filter(Boolean);
  const byRef = new Map(options.map(option => [option.ref, option]));
  // A chosen ref the catalog no longer lists still shows, by its ref.
  const value: InputPortOption[] = chosen.map(
    ref =>
      byRef.get(ref) ?? {
        ref,
        port: ref,
        product: '',
        owner: '',
        description: '',
        columns: [],
      },
  );

  let helperText = plainText(schema.description);
  if (error) {
    helperText = `Could not read the output ports from the catalog: ${errorMessage(
      error,
    )}`;
  } else if (rawErrors?.length) {
    helperText = rawErrors.join(' ');
  }

  return (
    <Box mt={2} mb={1}>
      <Autocomplete
        id={idSchema?.$id ?? 'inputs'}
        multiple
        loading={loading}
        options={options}
        value={value}
        filterSelectedOptions
        getOptionSelected={(option, selected) => option.ref === selected.ref}
        getOptionLabel={option =>
          [inputPortLabel(option), option.owner, option.description]
            .filter(Boolean)
            .join(' ')
        }
        onChange={(_event, selected) =>
          onChange(selected.map(option => option.ref))
        }
        renderOption={option => (
          <Box>
            <Typography variant="body1">
              <strong>{option.port}</strong>
              {option.product && ` · ${option.product}`}
            </Typography>
            <Typography variant="body2" color="textSecondary">
              {[option.owner && `Owner: ${option.owner}`, option.description]
                .filter(Boolean)
                .join(' — ')}
            </Typography>
          </Box>
        )}
        renderTags={(selected, getTagProps) =>
          selected.map((option, index) => (
            <Chip
              {...getTagProps({ index })}
              key={option.ref}
              size="small"
              label={inputPortLabel(option)}
            />
          ))
        }
        renderInput={params => (
          <TextField
            {...params}
            label={schema.title ?? 'Input output ports'}
            placeholder="Search by port, product, owner or description"
            variant="outlined"
            required={required && chosen.length === 0}
            error={!!rawErrors?.length || !!error}
            helperText={helperText}
          />
        )}
      />
    </Box>
  );
};
