import { render, screen } from '@testing-library/react';
import { lazy, Suspense } from 'react';
import { loadOnce } from './loadOnce';

// What PageBlueprint does with a page's loader on each render of its frame.
const lazyPage = (loader: () => Promise<JSX.Element>) =>
  lazy(() => loader().then(element => ({ default: () => element })));

describe('loadOnce', () => {
  it('loads once, then hands the page to React.lazy without suspending', async () => {
    const load = jest.fn(async () => <p>the page</p>);
    const loader = loadOnce(load);

    const First = lazyPage(loader);
    const { unmount } = render(
      <Suspense fallback={<p>loading</p>}>
        <First />
      </Suspense>,
    );
    expect(screen.getByText('loading')).toBeInTheDocument();
    expect(await screen.findByText('the page')).toBeInTheDocument();
    unmount();

    // A new lazy component, as on the next render of the page's frame.
    const Second = lazyPage(loader);
    render(
      <Suspense fallback={<p>loading</p>}>
        <Second />
      </Suspense>,
    );
    expect(screen.getByText('the page')).toBeInTheDocument();
    expect(screen.queryByText('loading')).toBeNull();
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('asks again after a failed load', async () => {
    const load = jest
      .fn<Promise<string>, []>()
      .mockRejectedValueOnce(new Error('chunk failed'))
      .mockResolvedValue('the page');
    const loader = loadOnce(load);
    await expect(loader()).rejects.toThrow('chunk failed');
    await expect(loader()).resolves.toBe('the page');
    expect(load).toHaveBeenCalledTimes(2);
  });
});
