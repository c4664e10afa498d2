import { ConfigReader } from '@backstage/config';
import { readExpirySchedule } from './AccessExpiry';

describe('readExpirySchedule', () => {
  it('runs every minute unless configured', () => {
    expect(readExpirySchedule(new ConfigReader({}))).toEqual({
      frequency: { minutes: 1 },
      timeout: { minutes: 5 },
    });
  });

  it('reads dataProducts.access.expiry.schedule', () => {
    const config = new ConfigReader({
      dataProducts: {
        access: {
          expiry: {
            schedule: { frequency: { seconds: 5 }, timeout: 'PT30S' },
          },
        },
      },
    });
    expect(readExpirySchedule(config)).toMatchObject({
      frequency: { seconds: 5 },
      timeout: expect.anything(),
    });
  });

  it('names a schedule it cannot read', () => {
    const config = new ConfigReader({
      dataProducts: { access: { expiry: { schedule: { timeout: 'PT30S' } } } },
    });
    expect(() => readExpirySchedule(config)).toThrow(/frequency/);
  });
});
