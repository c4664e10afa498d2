import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';
import { salesErpOrders } from './exampleEntities';

/** The examples the template editor shows for `dataproduct:provision`. */
export const examples: TemplateExample[] = [
  {
    description: 'Provision a data product that is in the catalog',
    example: yaml.stringify({
      steps: [
        {
          id: 'provision',
          name: 'Provision in PostgreSQL',
          action: 'dataproduct:provision',
          input: { entityRef: 'dataproduct:default/marketing-customer-360' },
        },
      ],
    }),
  },
  {
    description:
      'Show what provisioning would run, without changing the warehouse',
    example: yaml.stringify({
      steps: [
        {
          id: 'plan',
          name: 'Plan the warehouse changes',
          action: 'dataproduct:provision',
          input: {
            entityRef: 'dataproduct:default/marketing-customer-360',
            planOnly: true,
          },
        },
      ],
    }),
  },
  {
    description:
      'Provision a data product given inline, as a template builds it from its form',
    example: yaml.stringify({
      steps: [
        {
          id: 'provision',
          name: 'Provision in PostgreSQL',
          action: 'dataproduct:provision',
          input: salesErpOrders,
        },
      ],
    }),
  },
];
