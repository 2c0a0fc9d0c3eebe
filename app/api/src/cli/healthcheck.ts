// The image's HEALTHCHECK checks liveness, not readiness: a database outage must not make the
// orchestrator kill every replica. The load balancer routes on /readyz instead.
import http from 'node:http';

const port = Number(process.env.PORT ?? 3000);
const req = http.get({ host: '127.0.0.1', port, path: '/livez', timeout: 2000 }, (res) => {
  res.resume();
  process.exit(res.statusCode === 200 ? 0 : 1);
});
req.on('timeout', () => req.destroy());
req.on('error', () => process.exit(1));
