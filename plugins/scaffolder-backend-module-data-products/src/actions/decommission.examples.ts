import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

/** The examples the template editor shows for `dataproduct:decommission`. */
export const examples: TemplateExample[] = [
  {
    description: 'Remove a data product that no other product reads',
    example: yaml.stringify({
      steps: [
        {
          id: 'decommission',
          name: 'Decommission',
          action: 'dataproduct:decommission',
          input: { product: 'dataproduct:default/marketing-customer-360' },
        },
      ],
    }),
  },
  {
    description:
      'Remove a data product although other products read it (their access ends)',
    example: yaml.stringify({
      steps: [
        {
          id: 'decommission',
          name: 'Decommission, ending the access of its consumers',
          action: 'dataproduct:decommission',
          input: { product: 'sales-crm-customers', force: true },
        },
      ],
    }),
  },
];
