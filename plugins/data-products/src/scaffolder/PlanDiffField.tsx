import { Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import type {
  CustomFieldValidator,
  FieldExtensionComponentProps,
} from '@backstage/plugin-scaffolder-react';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import { useEffect, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import useDebounce from 'react-use/esm/useDebounce';
import { dataProductPlansApiRef } from '../api/DataProductPlansApi';
import { PlanDiffView } from '../components/PlanDiff';
import { planRequestFrom, sourceTableOf } from '../lib/editForm';
import { errorMessage } from '../lib/errors';

/** What the field keeps: whether the plan would run. */
export interface PlanDiffFieldValue {
  breaking: boolean;
  /** Why the plan would not run; absent when it would. */
  problem?: string;
}

/**
 * The plan of the form's product before it is created or changed: calls
 * `POST /plans` with the values of the form's other fields and shows the
 * diff of its ports (columns added, removed or changed, breaking or not, the
 * consumers affected). A plan that would not run keeps the form from being
 * submitted.
 */
export function PlanDiffField(
  props: FieldExtensionComponentProps<PlanDiffFieldValue>,
) {
  const { onChange, formContext, schema } = props;
  const values: Record<string, any> = formContext?.formData ?? {};
  const catalogApi = useApi(catalogApiRef);
  const plansApi = useApi(dataProductPlansApiRef);
  const key = JSON.stringify(values, (k, v) =>
    k === props.name ? undefined : v,
  );
  // The field shares its page with fields being typed into: plan once they rest.
  const [planned, setPlanned] = useState(key);
  useDebounce(() => setPlanned(key), 500, [key]);

  const state = useAsync(async () => {
    const current: Record<string, any> = JSON.parse(planned);
    const source =
      typeof current.source === 'string'
        ? sourceTableOf(
            await catalogApi
              .getEntityByRef(current.source)
              .catch(() => undefined),
          )
        : undefined;
    const request = planRequestFrom(current, source);
    if (!request) return undefined;
    return plansApi.plan(request);
  }, [planned]);

  useEffect(() => {
    if (state.loading) return;
    let next: PlanDiffFieldValue | undefined;
    if (state.error) {
      next = { breaking: false, problem: errorMessage(state.error) };
    } else if (state.value) {
      next = {
        breaking: state.value.diff.breaking,
        ...(state.value.problem
          ? { problem: state.value.problem.message }
          : {}),
      };
    }
    // Written only when the verdict turns (runs / would not run, breaking or
    // not), never for a new reason alone: every write from here can race the
    // user's typing on the same page (the form merges a field's change into
    // the data it rendered last), and a refused plan is refused whatever the
    // reason. The reason shown is always the current plan's.
    const current = props.formData;
    if (
      next &&
      (current === undefined ||
        Boolean(next.problem) !== Boolean(current.problem) ||
        next.breaking !== current.breaking)
    ) {
      onChange(next);
    }
    // onChange changes on every render of the form.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [state.loading, state.error, state.value]);

  return (
    <>
      <Typography variant="h6">{schema.title ?? 'Changes'}</Typography>
      {schema.description && (
        <Typography variant="body2" paragraph>
          {schema.description}
        </Typography>
      )}
      {state.loading && <Progress />}
      {state.error && (
        <Alert severity="error">{errorMessage(state.error)}</Alert>
      )}
      {!state.loading && !state.error && !state.value && (
        <Alert severity="info">
          Fill in the earlier steps to see what the plan changes.
        </Alert>
      )}
      {state.value && <PlanDiffView plan={state.value} />}
    </>
  );
}

/** Keeps the form from being submitted while its plan would not run. */
export const validatePlanDiff: CustomFieldValidator<PlanDiffFieldValue> = (
  value,
  validation,
) => {
  if (value?.problem) {
    validation.addError(
      'The plan would not run: the reason is shown under Changes; correct it, then review again.',
    );
  }
};
