/**
 * What a model may call and cast to: built-in functions and types of
 * PostgreSQL's `pg_catalog` that compute values from their arguments and
 * nothing else. None of them reads other tables, files, settings or
 * sequences, talks to other sessions or servers, sleeps, locks, or changes
 * any state. docs/model-safety.md explains the choices.
 */

/**
 * The search_path to run a checked model with (`SET LOCAL search_path TO …`).
 * The check allows functions, operators and types by name; with only
 * pg_catalog on the path, a name can only mean PostgreSQL's built-in object,
 * never a look-alike someone created in a schema they can write to (an
 * overload such as `public.lower(varchar)` would otherwise win for a varchar
 * argument).
 */
export const MODEL_SEARCH_PATH = 'pg_catalog, pg_temp';

function names(list: string): readonly string[] {
  return list.trim().split(/\s+/);
}

/** The functions a model may call, by family (names as `pg_proc.proname`). */
export const MODEL_FUNCTION_FAMILIES: Readonly<
  Record<string, readonly string[]>
> = {
  aggregate: names(`
    any_value array_agg avg bit_and bit_or bit_xor bool_and bool_or corr count
    covar_pop covar_samp every json_agg json_agg_strict json_object_agg
    json_object_agg_strict json_object_agg_unique
    json_object_agg_unique_strict jsonb_agg jsonb_agg_strict jsonb_object_agg
    jsonb_object_agg_strict jsonb_object_agg_unique
    jsonb_object_agg_unique_strict max min mode percentile_cont
    percentile_disc range_agg range_intersect_agg regr_avgx regr_avgy
    regr_count regr_intercept regr_r2 regr_slope regr_sxx regr_sxy regr_syy
    stddev stddev_pop stddev_samp string_agg sum var_pop var_samp variance
  `),
  window: names(`
    cume_dist dense_rank first_value lag last_value lead nth_value ntile
    percent_rank rank row_number
  `),
  conditional: names(`
    num_nonnulls num_nulls
  `),
  math: names(`
    abs acos acosd acosh asin asind asinh atan atan2 atan2d atand atanh cbrt
    ceil ceiling cos cosd cosh cot cotd degrees div erf erfc exp factorial
    floor gcd lcm ln log log10 min_scale mod pi power radians random
    random_normal round scale sign sin sind sinh sqrt tan tand tanh trim_scale
    trunc width_bucket
  `),
  string: names(`
    ascii bit_length btrim casefold char_length character_length chr concat
    concat_ws convert_from convert_to decode encode format gen_random_uuid
    initcap is_normalized left length like_escape lower lpad ltrim md5
    normalize octet_length overlay position quote_ident quote_literal
    quote_nullable regexp_count regexp_instr regexp_like regexp_match
    regexp_matches regexp_replace regexp_split_to_array regexp_split_to_table
    regexp_substr repeat replace reverse right rpad rtrim sha224 sha256 sha384
    sha512 similar_to_escape split_part starts_with string_to_array
    string_to_table strpos substr substring to_hex translate unistr upper
    uuid_extract_timestamp uuid_extract_version uuidv4 uuidv7
  `),
  dateTime: names(`
    age clock_timestamp date_add date_bin date_part date_subtract date_trunc
    extract isfinite justify_days justify_hours justify_interval make_date
    make_interval make_time make_timestamp make_timestamptz now overlaps
    statement_timestamp timezone transaction_timestamp
  `),
  typeConversion: names(`
    to_char to_date to_number to_timestamp
  `),
  json: names(`
    array_to_json json_array_elements json_array_elements_text
    json_array_length json_build_array json_build_object json_each
    json_each_text json_extract_path json_extract_path_text json_object
    json_object_keys json_strip_nulls json_typeof jsonb_array_elements
    jsonb_array_elements_text jsonb_array_length jsonb_build_array
    jsonb_build_object jsonb_each jsonb_each_text jsonb_extract_path
    jsonb_extract_path_text jsonb_insert jsonb_object jsonb_object_keys
    jsonb_path_exists jsonb_path_match jsonb_path_query jsonb_path_query_array
    jsonb_path_query_first jsonb_pretty jsonb_set jsonb_set_lax
    jsonb_strip_nulls jsonb_typeof row_to_json to_json to_jsonb
  `),
  array: names(`
    array_append array_cat array_dims array_fill array_length array_lower
    array_ndims array_position array_positions array_prepend array_remove
    array_replace array_reverse array_sample array_shuffle array_sort
    array_to_string array_upper cardinality generate_series
    generate_subscripts trim_array unnest
  `),
  range: names(`
    daterange int4range int8range isempty lower_inc lower_inf numrange
    range_merge tsrange tstzrange upper_inc upper_inf
  `),
};

/**
 * The types a model may cast to, as `pg_type.typname` (the parser turns
 * `integer`, `varchar(100)` or `timestamp with time zone` into these).
 * A function named like one of them is a cast written as a call (`date(ts)`).
 */
export const MODEL_TYPES: ReadonlySet<string> = new Set(
  names(`
    bit bool bpchar bytea char cidr date daterange float4 float8 inet int2
    int4 int4range int8 int8range interval json jsonb jsonpath macaddr
    macaddr8 money numeric numrange text time timestamp timestamptz timetz
    tsrange tstzrange uuid varbit varchar
  `),
);

/** Every function a model may call: the families above and casts written as calls. */
export const MODEL_FUNCTIONS: ReadonlySet<string> = new Set([
  ...Object.values(MODEL_FUNCTION_FAMILIES).flat(),
  ...MODEL_TYPES,
]);

/** The built-in TABLESAMPLE methods (others come from extensions and run their code). */
export const MODEL_TABLESAMPLE_METHODS: ReadonlySet<string> = new Set([
  'bernoulli',
  'system',
]);

// Why the functions attackers reach for first are refused, for clearer messages.
const REFUSAL_REASONS: ReadonlyArray<{ pattern: RegExp; reason: string }> = [
  {
    pattern: /^(set_config|current_setting)$/,
    reason: 'it reads or changes settings of the database session',
  },
  { pattern: /^pg_sleep/, reason: 'it holds the build without doing work' },
  { pattern: /^dblink/, reason: 'it connects to other databases' },
  {
    pattern: /^(lo_|loread$|lowrite$)/,
    reason: 'it reads or writes large objects',
  },
  {
    pattern: /^pg_(read_|ls_|stat_file$)/,
    reason: "it reads the database server's files",
  },
  { pattern: /advisory/, reason: 'it takes locks that outlive the query' },
  {
    pattern: /^pg_(cancel|terminate)_backend$/,
    reason: 'it interrupts other sessions',
  },
  {
    pattern: /^(query|table|cursor|schema|database)_to_xml/,
    reason: 'it runs SQL given as text or reads whole tables',
  },
  {
    pattern: /^(nextval|setval|currval|lastval)$/,
    reason: 'it reads or advances sequences',
  },
  {
    pattern: /^(txid_|pg_current_xact_id|pg_xact_)/,
    reason: 'it assigns or exposes transaction ids',
  },
  { pattern: /^pg_notify$/, reason: 'it signals other sessions' },
];

/** Why a well-known dangerous function is refused, or `undefined` for any other name. */
export function functionRefusalReason(name: string): string | undefined {
  return REFUSAL_REASONS.find(({ pattern }) => pattern.test(name))?.reason;
}
