// Lab tests drive a real Swarm stack; bring-up and failovers take minutes on 2 cores.
jest.setTimeout(600_000);
