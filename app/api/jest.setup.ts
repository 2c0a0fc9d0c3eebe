// Integration tests start real containers; on 2 cores that can take tens of seconds.
jest.setTimeout(180_000);
