import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';
import { salesErpOrders } from './exampleEntities';

/** The examples the template editor shows for `dataproduct:register`. */
export const examples: TemplateExample[] = [
  {
    description:
      'Publish a provisioned data product to the catalog, and wait until the catalog shows it',
    example: yaml.stringify({
      steps: [
        {
          id: 'register',
          name: 'Register in the catalog',
          action: 'dataproduct:register',
          input: salesErpOrders,
        },
      ],
    }),
  },
  {
    description:
      'Check that a data product can be registered before provisioning it',
    example: yaml.stringify({
      steps: [
        {
          id: 'validate',
          name: 'Validate the product',
          action: 'dataproduct:register',
          input: { ...salesErpOrders, validateOnly: true },
        },
      ],
    }),
  },
];
