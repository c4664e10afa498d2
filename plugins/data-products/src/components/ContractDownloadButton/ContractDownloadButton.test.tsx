import {
  alertApiRef,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { customerActivity } from '../../__testUtils__/fixtures';
import {
  findCard,
  renderEntityPage,
} from '../../__testUtils__/renderEntityPage';
import { ContractDownloadButton } from './ContractDownloadButton';

const PORT = 'outputport:default/marketing-customer-360-customer-activity';
const YAML_TEXT = 'apiVersion: v3.1.0\nkind: DataContract\n';

function renderButton(response: Response) {
  const fetch = jest.fn(async (_input: RequestInfo | URL) => response);
  const post = jest.fn();
  const discoveryApi = {
    getBaseUrl: async (id: string) => `http://backend/api/${id}`,
  };
  return {
    fetch,
    post,
    rendered: renderInTestApp(
      <TestApiProvider
        apis={[
          [discoveryApiRef, discoveryApi],
          [fetchApiRef, { fetch }],
          [alertApiRef, { post }],
        ]}
      >
        <ContractDownloadButton portRef={PORT} />
      </TestApiProvider>,
    ),
  };
}

describe('ContractDownloadButton', () => {
  const created: Blob[] = [];
  const clicked: string[] = [];
  beforeEach(() => {
    created.length = 0;
    clicked.length = 0;
    URL.createObjectURL = jest.fn((blob: Blob) => {
      created.push(blob);
      return 'blob:contract';
    });
    URL.revokeObjectURL = jest.fn();
    jest
      .spyOn(HTMLAnchorElement.prototype, 'click')
      .mockImplementation(function recordDownload(this: HTMLAnchorElement) {
        clicked.push(this.download);
      });
  });
  afterEach(() => jest.restoreAllMocks());

  it('saves the port contract as <port>.odcs.yaml, fetched from the contracts endpoint', async () => {
    const { fetch, rendered } = renderButton(
      new Response(YAML_TEXT, {
        status: 200,
        headers: { 'content-type': 'application/yaml' },
      }),
    );
    await rendered;
    fireEvent.click(await screen.findByText('Download contract (ODCS)'));
    await waitFor(() =>
      expect(clicked).toEqual([
        'marketing-customer-360-customer-activity.odcs.yaml',
      ]),
    );
    expect(fetch).toHaveBeenCalledWith(
      'http://backend/api/data-products/contracts/default/marketing-customer-360-customer-activity.yaml',
    );
    expect(await created[0].text()).toBe(YAML_TEXT);
    expect(URL.revokeObjectURL).toHaveBeenCalledWith('blob:contract');
  });

  it("tells the backend's reason when the contract cannot be had", async () => {
    const { post, rendered } = renderButton(
      new Response(
        JSON.stringify({
          error: {
            name: 'NotFoundError',
            message: 'No output port outputport:default/x in the catalog',
          },
          request: { method: 'GET', url: '/contracts/default/x.yaml' },
          response: { statusCode: 404 },
        }),
        { status: 404, headers: { 'content-type': 'application/json' } },
      ),
    );
    await rendered;
    fireEvent.click(await screen.findByText('Download contract (ODCS)'));
    await waitFor(() =>
      expect(post).toHaveBeenCalledWith({
        message:
          'Could not download the contract: No output port outputport:default/x in the catalog',
        severity: 'error',
      }),
    );
    expect(clicked).toEqual([]);
  });

  it('is on the Schema card of an output port page', async () => {
    renderEntityPage(customerActivity);
    const card = await findCard('Schema');
    expect(card.getByText('Download contract (ODCS)')).toBeInTheDocument();
  });
});
