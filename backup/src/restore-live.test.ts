import { planRestoreLive } from './restore-live';

test('the live restore plan names the stack, its members and volumes, and the target', () => {
  const plan = planRestoreLive({
    stack: 'dhakacart',
    to: new Date('2026-12-01T09:41:00Z'),
    repo: 2,
  });
  expect(plan.members).toEqual(['dhakacart_pg1', 'dhakacart_pg2', 'dhakacart_pg3']);
  expect(plan.steps).toHaveLength(8);
  expect(plan.steps[0]).toMatch(/repo2 .* before 2026-12-01T09:41:00.000Z/);
  expect(plan.steps[4]).toMatch(
    /restore repo2 to 2026-12-01T09:41:00.000Z into volume dhakacart_pg1/,
  );
  expect(planRestoreLive({ stack: 'x', to: null, repo: 1 }).steps[4]).toMatch(
    /to the end of its WAL into volume x_pg1/,
  );
});
