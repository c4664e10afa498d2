import { useApi } from '@backstage/core-plugin-api';
import type { MeshSearchMatch } from '@dataproducts/plugin-data-products-common';
import TextField from '@material-ui/core/TextField';
import Autocomplete from '@material-ui/lab/Autocomplete';
import { useEffect, useState } from 'react';
import { dataProductsMeshApiRef } from '../../api/DataProductsMeshApi';

const DEBOUNCE_MS = 250;

function matchLabel(match: MeshSearchMatch): string {
  switch (match.kind) {
    case 'domain':
      return `domain · ${(match.count ?? 0).toLocaleString('en-US')} products`;
    case 'source':
      return 'source table';
    default:
      return `data product · ${match.group.replace(/^.*\//, '')}`;
  }
}

/** The search box of the mesh view: finds a product, source or domain by name or title. */
export function MeshSearch(props: {
  onSelect: (match: MeshSearchMatch) => void;
}) {
  const { onSelect } = props;
  const api = useApi(dataProductsMeshApiRef);
  const [input, setInput] = useState('');
  const [options, setOptions] = useState<MeshSearchMatch[]>([]);
  const [loading, setLoading] = useState(false);

  useEffect(() => {
    const text = input.trim();
    if (!text) {
      setOptions([]);
      return undefined;
    }
    let cancelled = false;
    const timer = setTimeout(() => {
      setLoading(true);
      api
        .searchMesh(text.slice(0, 100))
        .then(result => !cancelled && setOptions(result.matches))
        .catch(() => !cancelled && setOptions([]))
        .finally(() => !cancelled && setLoading(false));
    }, DEBOUNCE_MS);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [api, input]);

  return (
    <Autocomplete<MeshSearchMatch>
      style={{ width: 340 }}
      size="small"
      options={options}
      loading={loading}
      filterOptions={all => all}
      getOptionLabel={option => option.title}
      getOptionSelected={(option, value) => option.id === value.id}
      inputValue={input}
      onInputChange={(_event, value) => setInput(value)}
      value={null}
      onChange={(_event, value) => {
        if (value) {
          onSelect(value);
          setInput('');
        }
      }}
      noOptionsText={input.trim() ? 'Nothing matches' : 'Type a name'}
      renderOption={option => (
        <div data-testid="mesh-search-option">
          <div>{option.title}</div>
          <div style={{ fontSize: 12, opacity: 0.7 }}>{matchLabel(option)}</div>
        </div>
      )}
      renderInput={params => (
        <TextField
          {...params}
          variant="outlined"
          label="Find a product or domain"
          inputProps={{
            ...params.inputProps,
            'data-testid': 'mesh-search',
          }}
        />
      )}
    />
  );
}
