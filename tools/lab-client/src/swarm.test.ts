import { healthyStatus } from './swarm';

describe('healthyStatus', () => {
  it('counts a container whose health check passes', () => {
    expect(healthyStatus('Up 3 minutes (healthy)')).toBe(true);
  });

  it('counts a running container that has no health check', () => {
    expect(healthyStatus('Up 5 minutes')).toBe(true);
  });

  it('does not count a container that is unhealthy or still starting', () => {
    expect(healthyStatus('Up 2 minutes (unhealthy)')).toBe(false);
    expect(healthyStatus('Up 4 seconds (health: starting)')).toBe(false);
  });

  it('does not count a container that has exited or is being created', () => {
    expect(healthyStatus('Exited (137) 3 seconds ago')).toBe(false);
    expect(healthyStatus('Created')).toBe(false);
  });
});
