import { configuredDnsOpts, dnsReport, parseDnsProbe, SLOW_MISS_MS } from './engine-dns';

describe("the DNS probe's output", () => {
  test('gives each look-up, the best of them and the options the engine wrote', () => {
    const p = parseDnsProbe('612\n4\n7\noptions ndots:0 timeout:2\n');
    expect(p).toEqual({
      triesMs: [612, 4, 7],
      bestMs: 4,
      containerOptions: ['ndots:0', 'timeout:2'],
    });
  });

  test('has no options when resolv.conf has none', () => {
    expect(parseDnsProbe('1003\n1002\n1004\n').containerOptions).toEqual([]);
  });

  test('refuses output without a timing', () => {
    expect(() => parseDnsProbe('getent: not found\n')).toThrow(/no timing/);
  });
});

describe('the dns-opts daemon.json configures', () => {
  test('are read from the file, none when the file or the key is absent', () => {
    expect(configuredDnsOpts('{"dns-opts": ["ndots:0"], "userland-proxy": false}')).toEqual([
      'ndots:0',
    ]);
    expect(configuredDnsOpts('{"log-level": "warn"}')).toEqual([]);
    expect(configuredDnsOpts(undefined)).toEqual([]);
  });

  test('are unknown (null) when the file is not JSON or the key is not a list', () => {
    expect(configuredDnsOpts('{"dns-opts": ')).toBeNull();
    expect(configuredDnsOpts('{"dns-opts": "ndots:0"}')).toBeNull();
    expect(configuredDnsOpts('[]')).toEqual([]);
  });
});

describe('what lab up says about the engine DNS', () => {
  const fast = { triesMs: [553, 6, 5], bestMs: 5, containerOptions: ['ndots:0'] };

  test('one slow look-up on a busy host does not warn, and the line says what was measured and configured', () => {
    const r = dnsReport(fast, ['ndots:0']);
    expect(r).not.toMatch(/WARNING/);
    expect(r).toMatch(/best of 3 look-ups 5 ms \(553, 6, 5\)/);
    expect(r).toMatch(/containers get options: ndots:0/);
    expect(r).toMatch(/daemon\.json dns-opts: ndots:0/);
  });

  test('an engine without the option is told to add it', () => {
    const r = dnsReport({ triesMs: [2004, 2003, 2005], bestMs: 2003, containerOptions: [] }, []);
    expect(r).toMatch(/WARNING[\s\S]*2003 ms/);
    expect(r).toMatch(/Add \{"dns-opts": \["ndots:0"\]\} to \/etc\/docker\/daemon\.json/);
    expect(r).toMatch(/daemon\.json dns-opts: none/);
  });

  test('an engine that has the option in daemon.json but does not apply it is told to restart', () => {
    const r = dnsReport({ triesMs: [2004, 2003, 2005], bestMs: 2003, containerOptions: [] }, [
      'ndots:0',
    ]);
    expect(r).toMatch(/does not apply it: restart dockerd/);
    expect(r).not.toMatch(/Add \{"dns-opts"/);
  });

  test('an engine that applies the option but answered slowly every time points at the host, not the file', () => {
    const slow = SLOW_MISS_MS + 100;
    const r = dnsReport(
      { triesMs: [slow, slow + 5, slow + 9], bestMs: slow, containerOptions: ['ndots:0'] },
      ['ndots:0'],
    );
    expect(r).toMatch(new RegExp(`WARNING[\\s\\S]*${slow} ms at best`));
    expect(r).toMatch(/configuration is right: the host was too busy/);
    expect(r).not.toMatch(/Add \{"dns-opts"|restart dockerd/);
  });

  test('a daemon.json that cannot be read is said so', () => {
    expect(dnsReport(fast, null)).toMatch(/daemon\.json could not be read as JSON/);
  });
});
